//! Batches: stream articles through the pipeline on all cores, in input order.
//!
//! Articles are read in chunks; while one chunk is processed in parallel (rayon), the
//! next is read. Records leave in input order whatever the thread count, and memory
//! holds two chunks at most, never the dump.

use std::time::{Duration, Instant};

use crate::error::InputProblem;
use crate::extract::Extractor;
use crate::input::{Article, Item};
use crate::record::ArticleRecord;

/// Articles per chunk, per thread.
const CHUNK_PER_THREAD: usize = 64;
/// A chunk stops growing at this many bytes of article text.
const CHUNK_BYTES: usize = 16 << 20;

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles processed.
    pub articles: usize,
    /// Bytes of article input processed.
    pub bytes: usize,
    /// Mentions found.
    pub mentions: usize,
    /// Relations found (facts, negated and hedged alike).
    pub relations: usize,
    /// Articles or files skipped.
    pub skipped: usize,
    /// Articles processed after a repair (lossy UTF-8, a dropped date), and files passed over.
    pub warnings: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl Summary {
    /// Megabytes of input per second.
    pub fn mb_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64().max(1e-9);
        self.bytes as f64 / 1e6 / seconds
    }
}

/// Runs `extractor` over `items` with `threads` threads (0: all cores). Each record is
/// handed to `on_record` in input order; each problem to `on_problem` as it is met.
/// Stops at the first error `on_record` returns.
pub fn run<I, E>(
    extractor: &Extractor,
    items: I,
    threads: usize,
    mut on_record: impl FnMut(&ArticleRecord, usize) -> Result<(), E>,
    mut on_problem: impl FnMut(&InputProblem),
) -> Result<Summary, E>
where
    I: Iterator<Item = Item> + Send,
    E: Send,
{
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool with default settings builds");
    let chunk_len = CHUNK_PER_THREAD * pool.current_num_threads();
    let mut summary = Summary::default();
    let mut items = items;
    let result = (|| {
        let mut current = read_chunk(&mut items, chunk_len);
        while !current.is_empty() {
            let (next, records) = pool.join(
                || read_chunk(&mut items, chunk_len),
                || process(extractor, &current),
            );
            for (entry, record) in current.iter().zip(records) {
                match (entry, record) {
                    (
                        Entry::Article {
                            bytes, warnings, ..
                        },
                        Some(record),
                    ) => {
                        for warning in warnings {
                            summary.warnings += 1;
                            on_problem(warning);
                        }
                        summary.articles += 1;
                        summary.bytes += bytes;
                        summary.mentions += record.mentions.len();
                        summary.relations += record.relations.len();
                        on_record(&record, *bytes)?;
                    }
                    (Entry::Problem(problem), _) => {
                        if problem.recovered {
                            summary.warnings += 1;
                        } else {
                            summary.skipped += 1;
                        }
                        on_problem(problem);
                    }
                    (Entry::Article { .. }, None) => unreachable!("every article has a record"),
                }
            }
            current = next;
        }
        Ok(())
    })();
    summary.elapsed = started.elapsed();
    result.map(|()| summary)
}

enum Entry {
    Article {
        article: Article,
        bytes: usize,
        warnings: Vec<InputProblem>,
    },
    Problem(InputProblem),
}

fn read_chunk(items: &mut impl Iterator<Item = Item>, max_len: usize) -> Vec<Entry> {
    let mut chunk = Vec::new();
    let mut bytes = 0;
    while chunk.len() < max_len && bytes < CHUNK_BYTES {
        let Some(item) = items.next() else { break };
        chunk.push(match item {
            Item::Article {
                article,
                bytes: size,
                warnings,
            } => {
                bytes += size;
                Entry::Article {
                    article,
                    bytes: size,
                    warnings,
                }
            }
            Item::Problem(problem) => Entry::Problem(problem),
        });
    }
    chunk
}

fn process(extractor: &Extractor, chunk: &[Entry]) -> Vec<Option<ArticleRecord>> {
    use rayon::prelude::*;
    chunk
        .par_iter()
        .map(|entry| match entry {
            Entry::Article { article, .. } => Some(extractor.extract(article)),
            Entry::Problem(_) => None,
        })
        .collect()
}
