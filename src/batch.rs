//! Batches: stream articles through the pipeline on all cores, in input order.
//!
//! Articles are read in chunks; while one chunk is processed in parallel (rayon), the
//! next is read. Records leave in input order whatever the thread count, and memory
//! holds two chunks at most, never the dump.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
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
    /// Repairs (lossy UTF-8, escaped control characters, a dropped date or title) and
    /// folders not read twice: the articles were still processed.
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
/// handed to `on_record` in input order; each problem to `on_problem` in input order.
/// Stops at the first error `on_record` returns.
///
/// One article never stops the batch: should the pipeline panic on one (a bug), the
/// article is reported as a problem at its file and line, skipped, and the batch goes on.
pub fn run<I, E>(
    extractor: &Extractor,
    items: I,
    threads: usize,
    on_record: impl FnMut(&ArticleRecord, usize) -> Result<(), E>,
    on_problem: impl FnMut(&InputProblem),
) -> Result<Summary, E>
where
    I: Iterator<Item = Item> + Send,
    E: Send,
{
    run_with(
        |article| extractor.extract(article),
        items,
        threads,
        on_record,
        on_problem,
    )
}

/// [`run`] with any per-article function.
fn run_with<I, E, F>(
    extract: F,
    items: I,
    threads: usize,
    mut on_record: impl FnMut(&ArticleRecord, usize) -> Result<(), E>,
    mut on_problem: impl FnMut(&InputProblem),
) -> Result<Summary, E>
where
    I: Iterator<Item = Item> + Send,
    E: Send,
    F: Fn(&Article) -> ArticleRecord + Sync,
{
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build())
        .expect("a thread pool of one thread builds");
    let chunk_len = CHUNK_PER_THREAD * pool.current_num_threads();
    let mut summary = Summary::default();
    let mut items = items;
    let result = (|| {
        let mut current = read_chunk(&mut items, chunk_len);
        while !current.is_empty() {
            let (next, records) = pool.join(
                || read_chunk(&mut items, chunk_len),
                || process(&extract, &current),
            );
            for (entry, record) in current.iter().zip(records) {
                match entry {
                    Entry::Article {
                        article,
                        bytes,
                        warnings,
                        file,
                        line,
                    } => {
                        for warning in warnings {
                            summary.warnings += 1;
                            on_problem(warning);
                        }
                        match record {
                            Some(Ok(record)) => {
                                summary.articles += 1;
                                summary.bytes += bytes;
                                summary.mentions += record.mentions.len();
                                summary.relations += record.relations.len();
                                on_record(&record, *bytes)?;
                            }
                            Some(Err(panic)) => {
                                summary.skipped += 1;
                                on_problem(&InputProblem {
                                    file: file.to_string(),
                                    line: *line,
                                    message: format!(
                                        "internal error on article `{}` ({panic}); skipped, please report it",
                                        article.id
                                    ),
                                    recovered: false,
                                });
                            }
                            None => unreachable!("every article has a record"),
                        }
                    }
                    Entry::Problem(problem) => {
                        if problem.recovered {
                            summary.warnings += 1;
                        } else {
                            summary.skipped += 1;
                        }
                        on_problem(problem);
                    }
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
        file: Arc<str>,
        line: Option<usize>,
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
                file,
                line,
            } => {
                bytes += size;
                Entry::Article {
                    article,
                    bytes: size,
                    warnings,
                    file,
                    line,
                }
            }
            Item::Problem(problem) => Entry::Problem(problem),
        });
    }
    chunk
}

/// The record of each article of `chunk`, or the message of the panic it caused.
fn process<F>(extract: &F, chunk: &[Entry]) -> Vec<Option<Result<ArticleRecord, String>>>
where
    F: Fn(&Article) -> ArticleRecord + Sync,
{
    use rayon::prelude::*;
    chunk
        .par_iter()
        .map(|entry| match entry {
            Entry::Article { article, .. } => Some(
                // The pipeline only reads shared data, so a panic cannot leave it
                // half-changed for the next article.
                panic::catch_unwind(AssertUnwindSafe(|| extract(article))).map_err(|payload| {
                    payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "panic".to_string())
                }),
            ),
            Entry::Problem(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str) -> Item {
        Item::Article {
            article: Article {
                id: id.to_string(),
                date: None,
                title: None,
                text: "نص".to_string(),
            },
            bytes: 4,
            warnings: Vec::new(),
            file: Arc::from("dump.jsonl"),
            line: Some(id.len()),
        }
    }

    #[test]
    fn a_panic_on_one_article_skips_only_that_article() {
        let items = vec![article("a"), article("bb"), article("ccc")];
        let mut ids = Vec::new();
        let mut problems = Vec::new();
        let summary = run_with(
            |a: &Article| {
                assert_ne!(a.id, "bb", "a bug in the pipeline");
                ArticleRecord {
                    id: a.id.clone(),
                    date: None,
                    mentions: Vec::new(),
                    relations: Vec::new(),
                }
            },
            items.into_iter(),
            2,
            |record, _| {
                ids.push(record.id.clone());
                Ok::<(), ()>(())
            },
            |problem| problems.push(problem.to_string()),
        )
        .unwrap();
        assert_eq!(ids, ["a", "ccc"]);
        assert_eq!((summary.articles, summary.skipped), (2, 1));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("dump.jsonl:2: internal error on article `bb`")
                && problems[0].contains("a bug in the pipeline"),
            "{problems:?}"
        );
    }
}
