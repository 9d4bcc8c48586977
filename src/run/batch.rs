//! Batches: stream articles through the pipeline on all cores, in input order.
//!
//! Articles are read in chunks. With one thread, each chunk is read, processed and
//! handed out in turn, on the calling thread. With more, three chunks are in flight at
//! once: a pool thread reads chunk n+1, the calling thread hands out the records of
//! chunk n-1 to the caller, who writes them, and all threads, the calling one included,
//! process chunk n. Records leave in input order whatever the thread count, and memory
//! holds three chunks at most (each at most 64 articles per thread and 16 MB of text),
//! never the dump.

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::InputProblem;
use crate::pipeline::extract::Extractor;
use crate::record::Article;
use crate::record::ArticleRecord;
use crate::run::Observer;
use crate::run::input::Item;

/// Articles per chunk, per thread.
const CHUNK_PER_THREAD: usize = 64;
/// A chunk stops growing at this many bytes of article text.
const CHUNK_BYTES: usize = 16 << 20;

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Articles processed.
    pub articles: usize,
    /// Bytes of article input processed (JSON lines, table rows, .txt files, as read
    /// after decompression).
    pub bytes: usize,
    /// Bytes of article text processed (UTF-8 title and body): what "MB/s of text"
    /// counts, the measure other tools report.
    pub text_bytes: usize,
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
    /// The threads the batch ran on: what the work after it may use too.
    pub threads: usize,
}

impl Summary {
    /// Megabytes (10^6 bytes) of input per second.
    pub fn mb_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64().max(1e-9);
        self.bytes as f64 / 1e6 / seconds
    }

    /// Megabytes (10^6 bytes) of article text per second.
    pub fn text_mb_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64().max(1e-9);
        self.text_bytes as f64 / 1e6 / seconds
    }

    /// Articles per second.
    pub fn articles_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64().max(1e-9);
        self.articles as f64 / seconds
    }
}

/// Where a batch's records and problems go, in input order: the seam between the batch
/// and what a run makes of its results (a folder of outputs, standard output, a
/// benchmark's tally).
pub trait Sink {
    /// What stops the batch: the first error [`Sink::record`] or [`Sink::chunk_end`]
    /// returns ends it.
    type Error;

    /// One article's record, with the bytes of input it was read from.
    fn record(&mut self, record: &ArticleRecord, bytes: usize) -> Result<(), Self::Error>;

    /// An article or file that was skipped, or read with a warning.
    fn problem(&mut self, problem: &InputProblem);

    /// The records and problems of one chunk have all been handed out: the place to
    /// flush a stream, so that a reader at the other end of a pipe gets records while
    /// the batch runs.
    fn chunk_end(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Runs `extractor` over `items` with `threads` threads (0: all cores), handing each
/// record and each problem to `sink` in input order. Stops at the first error the sink
/// returns.
///
/// One article never stops the batch: should the pipeline panic on one (a bug), the
/// article is reported as a problem at its file and line, skipped, and the batch goes on.
pub fn run<I, S>(
    extractor: &Extractor,
    items: I,
    threads: usize,
    sink: &mut S,
) -> Result<Summary, S::Error>
where
    I: Iterator<Item = Item> + Send,
    S: Sink,
{
    run_with(|article| extractor.extract(article), items, threads, sink)
}

/// [`run`] with any per-article function.
fn run_with<I, S, F>(
    extract: F,
    items: I,
    threads: usize,
    sink: &mut S,
) -> Result<Summary, S::Error>
where
    I: Iterator<Item = Item> + Send,
    S: Sink,
    F: Fn(&Article) -> ArticleRecord + Sync,
{
    let started = Instant::now();
    let workers = workers(threads);
    let chunk_len = CHUNK_PER_THREAD * workers;
    let mut summary = Summary {
        threads: workers,
        ..Summary::default()
    };
    let mut items = items;
    let result = (|| {
        let mut current = read_chunk(&mut items, chunk_len);
        if workers == 1 {
            // One thread does everything on the calling thread: each article is handed
            // out as soon as it is processed, while its record is still in the cache.
            // Handing chunks to another thread and back would cost two context switches
            // a chunk, and the records would change cores.
            while !current.is_empty() {
                for entry in &current {
                    let record = process_entry(&extract, entry);
                    emit_entry(entry, record, &mut summary, sink)?;
                }
                sink.chunk_end()?;
                current = read_chunk(&mut items, chunk_len);
            }
            return Ok(());
        }
        let mut emit = |chunk: Vec<Item>, records: Records, summary: &mut Summary| {
            emit_chunk(chunk, records, summary, sink)?;
            sink.chunk_end()
        };
        // The calling thread is one of the workers: the pool has the others.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers - 1)
            .build()
            .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build())
            .expect("a thread pool of one thread builds");
        let helpers = pool.current_num_threads();
        // Three chunks at once: a pool thread reads chunk n+1, the calling thread hands
        // out the records of chunk n-1 (writing them is its work), and every thread
        // processes chunk n, an article at a time, as soon as it is free.
        let mut done: Option<(Vec<Item>, Records)> = None;
        while !current.is_empty() || done.is_some() {
            let mut next = Vec::new();
            let shared = SharedChunk::new(&current);
            let mut emitted = Ok(());
            pool.in_place_scope(|scope| {
                if !current.is_empty() {
                    scope.spawn(|_| next = read_chunk(&mut items, chunk_len));
                    for _ in 0..helpers {
                        scope.spawn(|_| shared.process(&extract));
                    }
                }
                if let Some((chunk, records)) = done.take() {
                    emitted = emit(chunk, records, &mut summary);
                }
                shared.process(&extract);
            });
            emitted?;
            let records = shared.into_records();
            let chunk = std::mem::replace(&mut current, next);
            done = (!chunk.is_empty()).then_some((chunk, records));
        }
        Ok(())
    })();
    summary.elapsed = started.elapsed();
    result.map(|()| summary)
}

/// The threads a batch runs on for `--threads threads`: all cores for 0.
pub fn workers(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// The record of one entry (`None` for a problem), or the message of the panic it caused.
type Outcome = Option<Result<ArticleRecord, String>>;

/// The outcome of each entry of a chunk.
type Records = Vec<Outcome>;

/// Hands out the records and problems of one processed chunk, in order, and counts them.
fn emit_chunk<S: Sink>(
    chunk: Vec<Item>,
    records: Records,
    summary: &mut Summary,
    sink: &mut S,
) -> Result<(), S::Error> {
    for (entry, record) in chunk.iter().zip(records) {
        emit_entry(entry, record, summary, sink)?;
    }
    Ok(())
}

/// Hands out the record (`None` for a problem) or the problems of one entry, and
/// counts them.
fn emit_entry<S: Sink>(
    entry: &Item,
    record: Outcome,
    summary: &mut Summary,
    sink: &mut S,
) -> Result<(), S::Error> {
    match entry {
        Item::Article {
            article,
            bytes,
            warnings,
            file,
            line,
        } => {
            for warning in warnings {
                summary.warnings += 1;
                sink.problem(warning);
            }
            match record {
                Some(Ok(record)) => {
                    summary.articles += 1;
                    summary.bytes += bytes;
                    summary.text_bytes +=
                        article.text.len() + article.title.as_ref().map_or(0, String::len);
                    summary.mentions += record.mentions.len();
                    summary.relations += record.relations.len();
                    sink.record(&record, *bytes)?;
                }
                Some(Err(panic)) => {
                    summary.skipped += 1;
                    sink.problem(&InputProblem {
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
        Item::Problem(problem) => {
            if problem.recovered {
                summary.warnings += 1;
            } else {
                summary.skipped += 1;
            }
            sink.problem(problem);
        }
    }
    Ok(())
}

/// What `extract -o - --error-records` writes on standard output in place of an
/// article (or a file) that it skipped: `{"error": "...", "file": "-", "line": 7}`.
/// `line` is left out for a problem with a whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRecord {
    /// What is wrong, as it is reported on stderr.
    pub error: String,
    /// The file (`-` for standard input).
    pub file: String,
    /// The 1-based line in that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl From<&InputProblem> for ErrorRecord {
    fn from(problem: &InputProblem) -> ErrorRecord {
        ErrorRecord {
            error: problem.message.clone(),
            file: problem.file.clone(),
            line: problem.line,
        }
    }
}

/// The map step (`extract -o -`): one JSON line per article record, in input order,
/// flushed after every chunk, and nothing else. With `error_records`, every article or
/// file that is skipped also becomes an [`ErrorRecord`] line, in its place in the input
/// order. Every problem (warnings too) and every article written is told to the observer.
///
/// The lines are byte for byte those of `articles.jsonl` written by `extract -o OUTDIR`.
pub struct LinesSink<'o, W: Write> {
    out: io::BufWriter<W>,
    error_records: bool,
    observer: &'o mut dyn Observer,
    /// The first error writing an error record, returned at the next record or chunk's
    /// end (a problem cannot stop the batch itself).
    failed: Option<io::Error>,
    line: Vec<u8>,
}

impl<'o, W: Write> LinesSink<'o, W> {
    /// Lines to `out`.
    pub fn new(out: W, error_records: bool, observer: &'o mut dyn Observer) -> Self {
        LinesSink {
            out: io::BufWriter::with_capacity(1 << 16, out),
            error_records,
            observer,
            failed: None,
            line: Vec::new(),
        }
    }

    /// Flushes the last lines; the first error any write met.
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.out.flush()
    }
}

impl<W: Write> Sink for LinesSink<'_, W> {
    type Error = io::Error;

    fn record(&mut self, record: &ArticleRecord, bytes: usize) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.line.clear();
        crate::record::encode::article_json(record, &mut self.line)?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)?;
        self.observer.article(bytes);
        Ok(())
    }

    fn problem(&mut self, problem: &InputProblem) {
        self.observer.problem(problem);
        if self.error_records && !problem.recovered && self.failed.is_none() {
            let written = serde_json::to_writer(&mut self.out, &ErrorRecord::from(problem))
                .map_err(io::Error::from)
                .and_then(|()| self.out.write_all(b"\n"));
            if let Err(e) = written {
                self.failed = Some(e);
            }
        }
    }

    fn chunk_end(&mut self) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.out.flush()
    }
}

fn read_chunk(items: &mut impl Iterator<Item = Item>, max_len: usize) -> Vec<Item> {
    let mut chunk = Vec::new();
    let mut bytes = 0;
    while chunk.len() < max_len && bytes < CHUNK_BYTES {
        let Some(item) = items.next() else { break };
        if let Item::Article { bytes: size, .. } = &item {
            bytes += size;
        }
        chunk.push(item);
    }
    chunk
}

/// A chunk's entries, taken one at a time by every thread that processes the chunk:
/// whichever thread is free takes the next, so that none waits while another has work.
struct SharedChunk<'a> {
    entries: &'a [Item],
    next: AtomicUsize,
    records: Vec<OnceLock<Outcome>>,
}

impl<'a> SharedChunk<'a> {
    fn new(entries: &'a [Item]) -> SharedChunk<'a> {
        SharedChunk {
            entries,
            next: AtomicUsize::new(0),
            records: entries.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// Processes entries not yet taken, until there are none.
    fn process<F>(&self, extract: &F)
    where
        F: Fn(&Article) -> ArticleRecord,
    {
        loop {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(entry) = self.entries.get(index) else {
                return;
            };
            let set = self.records[index].set(process_entry(extract, entry));
            debug_assert!(set.is_ok(), "each entry is taken once");
        }
    }

    /// The records, in the order of the entries, once every entry has been processed.
    fn into_records(self) -> Records {
        self.records
            .into_iter()
            .map(|record| record.into_inner().expect("every entry was processed"))
            .collect()
    }
}

/// Runs the pipeline on one entry, catching a panic.
fn process_entry<F>(extract: &F, entry: &Item) -> Outcome
where
    F: Fn(&Article) -> ArticleRecord,
{
    match entry {
        Item::Article { article, .. } => Some(
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
        Item::Problem(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// Keeps what it is handed.
    #[derive(Default)]
    struct Collect {
        ids: Vec<String>,
        problems: Vec<String>,
    }

    impl Sink for Collect {
        type Error = ();

        fn record(&mut self, record: &ArticleRecord, _: usize) -> Result<(), ()> {
            self.ids.push(record.id.clone());
            Ok(())
        }

        fn problem(&mut self, problem: &InputProblem) {
            self.problems.push(problem.to_string());
        }
    }

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

    /// At one thread the batch runs on the calling thread, at more on the pool: both ways.
    #[test]
    fn a_panic_on_one_article_skips_only_that_article() {
        for threads in [1, 2, 3] {
            let items = vec![article("a"), article("bb"), article("ccc")];
            let mut sink = Collect::default();
            let summary = run_with(
                |a: &Article| {
                    assert_ne!(a.id, "bb", "a bug in the pipeline");
                    ArticleRecord {
                        id: a.id.clone(),
                        date: None,
                        fingerprint: None,
                        mentions: Vec::new(),
                        relations: Vec::new(),
                        unknown: Vec::new(),
                    }
                },
                items.into_iter(),
                threads,
                &mut sink,
            )
            .unwrap();
            let Collect { ids, problems } = sink;
            assert_eq!(ids, ["a", "ccc"], "{threads} threads");
            assert_eq!((summary.articles, summary.skipped), (2, 1));
            assert_eq!(problems.len(), 1);
            assert!(
                problems[0].starts_with("dump.jsonl:2: internal error on article `bb`")
                    && problems[0].contains("a bug in the pipeline"),
                "{threads} threads: {problems:?}"
            );
        }
    }
}
