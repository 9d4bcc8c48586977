//! `actorgraph bench`: where the time of one core goes, stage by stage, on a corpus held
//! in memory, beside the ceiling of the aho-corasick crate alone.
//!
//! Every figure is megabytes (10^6 bytes) of the articles' UTF-8 text (title and body)
//! per second on one thread, the median of `--repeat` runs; reading and decompressing
//! the corpus, and compiling the gazetteer, happen before any clock starts.
//!
//! - `fold`: normalisation alone (`Folded::new`: diacritics, hamza forms, the offset map).
//! - `aho-corasick ceiling`: the crate alone, on the already folded text, with the folded
//!   surfaces of `actorgraph gazetteer dump` (what the Python peers match), leftmost-longest,
//!   unanchored, no word boundaries and no proclitics: the fastest a dictionary scan of
//!   this text can be with that crate. It finds more (and wronger) matches than the
//!   pipeline, which checks boundaries and clitics.
//! - `match`: the pipeline's own matcher (`Extractor::names().find_all`: anchored at word
//!   starts, proclitic runs, article rules, titles and surnames too) on the folded text.
//! - `pipeline`: `Extractor::extract` on every article: fold, match, resolve, relate,
//!   build the record, and with `--ner hybrid` (the default, as for `extract`) tag the
//!   names no gazetteer lists; no reading, no writing. `--ner gazetteer` measures the
//!   gazetteers alone, for the tagger's share.
//! - `read`: the input read again, as `extract` reads it (from the page cache by now):
//!   decompression, JSON or table parsing, the articles.
//! - `write`: the records written by the code `extract -o OUTDIR` writes them with (its
//!   folder sink), to a temporary folder: articles.jsonl, mentions.csv, relations.csv,
//!   errors.csv, the spill, the graph built from them, its tables and graph files, the
//!   staging folder's commit.
//! - `all stages`: `read`, `pipeline` and `write` one after the other: where one
//!   core's time goes end to end, without process start and gazetteer compilation.
//!
//! End-to-end figures as a user sees them (the whole process, peak memory, several
//! threads) come from running `actorgraph extract` itself: see benches/throughput.py.

use std::path::PathBuf;

use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use clap::Args;

use actorgraph::run::Silent;
use actorgraph::run::batch::Sink;
use actorgraph::run::folder::{FolderOptions, FolderSink};
use actorgraph::run::input::Item;
use actorgraph::text::fold::{Folded, fold_surface};
use actorgraph::{Article, ArticleRecord, Extractor, Inputs};

use super::args::{GazetteerArgs, NerArgs};
use super::{Done, Fatal, load_gazetteer};

/// The most surfaces the ceiling compiles into a DFA.
const DFA_LIMIT: usize = 20_000;

/// Arguments of `actorgraph bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Articles to measure on (any input `extract` reads), held in memory.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Read at most this many articles.
    #[arg(long, value_name = "N")]
    max_articles: Option<usize>,
    /// Runs of each measurement; the median is reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    ner: NerArgs,
}

/// The median duration of `repeat` runs of `f`, and its last result.
fn median<T>(repeat: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeat {
        let started = Instant::now();
        let result = std::hint::black_box(f());
        times.push(started.elapsed());
        last = Some(result);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

/// Writes `records` as `extract -o OUTDIR` does (one thread, no filters), to a
/// temporary folder removed after.
fn write_outputs(records: &[ArticleRecord], extractor: &Extractor) -> Result<(), Fatal> {
    let dir = tempfile::tempdir()?;
    let options = FolderOptions {
        threads: 1,
        ..FolderOptions::default()
    };
    let mut silent = Silent;
    let mut sink = FolderSink::create(dir.path(), &options, extractor.gazetteer(), &mut silent)?;
    for record in records {
        sink.record(record, 0)?;
    }
    sink.end_batch()?
        .finish(None, 1, None, &mut |_, _| Ok(()))?;
    Ok(())
}

/// Runs the measurements and prints them.
pub fn run(args: BenchArgs) -> Result<Done, Fatal> {
    let started = Instant::now();
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let load_time = started.elapsed();
    let extractor = args.ner.extractor(gazetteer)?;
    let compile_time = started.elapsed() - load_time;
    let mut articles: Vec<Article> = Vec::new();
    for item in Inputs::new(&args.inputs) {
        if let Item::Article { article, .. } = item {
            articles.push(article);
            if args.max_articles.is_some_and(|max| articles.len() >= max) {
                break;
            }
        }
    }
    if articles.is_empty() {
        return Err(Fatal("no articles to measure on".into()));
    }
    let texts: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.title.as_deref().into_iter().chain([a.text.as_str()]))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();

    let mut surfaces: Vec<String> = extractor
        .surfaces()
        .into_iter()
        .map(|(_, _, surface)| fold_surface(&surface))
        .filter(|s| !s.is_empty())
        .collect();
    surfaces.sort();
    surfaces.dedup();
    let built = Instant::now();
    // The crate at its fastest: a DFA, up to DFA_LIMIT surfaces; past that its build time
    // and memory grow too much, and the crate's own choice (a contiguous NFA) is the ceiling.
    let raw = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind((surfaces.len() <= DFA_LIMIT).then_some(AhoCorasickKind::DFA))
        .build(&surfaces)
        .map_err(|e| Fatal(format!("building the automaton: {e}")))?;
    let raw_build = built.elapsed();

    let (fold_time, folded) = median(args.repeat, || {
        texts
            .iter()
            .map(|t| Folded::new(t))
            .collect::<Vec<Folded>>()
    });
    let (raw_time, raw_matches) = median(args.repeat, || {
        folded
            .iter()
            .map(|t| raw.find_iter(t.text.as_str()).count())
            .sum::<usize>()
    });
    let (match_time, matches) = median(args.repeat, || {
        folded
            .iter()
            .map(|t| extractor.names().find_all(t).len())
            .sum::<usize>()
    });
    let (pipeline_time, mentions) = median(args.repeat, || {
        articles
            .iter()
            .map(|a| extractor.extract(a).mentions.len())
            .sum::<usize>()
    });
    let (read_time, read) = median(args.repeat, || {
        Inputs::new(&args.inputs)
            .filter(|item| matches!(item, Item::Article { .. }))
            .take(articles.len())
            .count()
    });
    debug_assert_eq!(read, articles.len());
    let records: Vec<ArticleRecord> = articles.iter().map(|a| extractor.extract(a)).collect();
    let (write_time, written) = median(args.repeat, || write_outputs(&records, &extractor));
    written?;
    let mb_s = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9);
    let rows = [
        ("fold", fold_time, None),
        ("aho-corasick ceiling", raw_time, Some(raw_matches)),
        ("match", match_time, Some(matches)),
        ("pipeline", pipeline_time, Some(mentions)),
        ("read", read_time, None),
        ("write", write_time, None),
        ("all stages", read_time + pipeline_time + write_time, None),
    ];
    if args.json {
        let mut value = serde_json::json!({
            "articles": articles.len(),
            "bytes": bytes,
            "repeat": args.repeat,
            "gazetteer_load_s": load_time.as_secs_f64(),
            "gazetteer_compile_s": compile_time.as_secs_f64(),
            "surfaces": surfaces.len(),
            "aho_corasick_kind": format!("{:?}", raw.kind()),
            "aho_corasick_build_s": raw_build.as_secs_f64(),
        });
        for (name, time, count) in rows {
            let key = name.replace([' ', '-'], "_");
            value[format!("{key}_mb_per_s")] = serde_json::json!(mb_s(time));
            value[format!("{key}_s")] = serde_json::json!(time.as_secs_f64());
            if let Some(count) = count {
                value[format!("{key}_matches")] = serde_json::json!(count);
            }
        }
        println!("{value}");
    } else {
        println!(
            "{} articles, {:.1} MB of text, median of {} runs, one thread; {} folded surfaces ({:?}, built in {:.2} s)",
            articles.len(),
            bytes as f64 / 1e6,
            args.repeat,
            surfaces.len(),
            raw.kind(),
            raw_build.as_secs_f64()
        );
        println!(
            "gazetteer: loaded in {:.2} s, compiled in {:.2} s",
            load_time.as_secs_f64(),
            compile_time.as_secs_f64()
        );
        println!(
            "{:<22} {:>9} {:>9} {:>10}",
            "stage", "MB/s", "seconds", "matches"
        );
        for (name, time, count) in rows {
            println!(
                "{name:<22} {:>9.1} {:>9.3} {:>10}",
                mb_s(time),
                time.as_secs_f64(),
                count.map(|c| c.to_string()).unwrap_or_default()
            );
        }
    }
    Ok(Done::Clean)
}
