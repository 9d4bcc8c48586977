//! The `actorgraph` command: a thin layer over the library.
#![forbid(unsafe_code)]

use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use clap::{Args, Parser, Subcommand};

#[path = "cli/bench.rs"]
mod bench;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use actorgraph::graph::filter::{FilterArgs, View};
use actorgraph::output::{ExportOptions, PendingFile, RecordWriter};
use actorgraph::pipeline::slots::UnknownTally;
use actorgraph::run::batch;
use actorgraph::run::spill::RecordSpill;
use actorgraph::tools::eval::{GoldArticle, evaluate, read_conll};
use actorgraph::{ActorGraph, ArticleRecord, Extractor, Gazetteer, InputProblem, Inputs};

/// jemalloc: a batch allocates and frees records on several threads for hours, and the
/// system allocator's per-thread arenas fragment under that; jemalloc's do not.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const EXIT_HELP: &str = "\
Exit status:
  0  every article was processed
  1  some articles or files were skipped: each is reported on stderr as FILE:LINE: what is
     wrong, and listed in OUTDIR/errors.csv (with the warnings)
  2  nothing could be done: bad arguments (an INPUT that does not exist, for one), a broken
     gazetteer or rule file (reported as FILE:LINE:COLUMN: what is wrong), or an output that
     cannot be written; no output is left half-written

Outputs are written to a hidden folder inside OUTDIR and moved into place when the run is
complete: an interrupted run leaves the previous outputs, or none.";

/// Arabic news articles in, an evidence-backed actor-alliance graph out.
#[derive(Parser)]
#[command(name = "actorgraph", version, after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find actors and relations in articles and write records, tables and the graph.
    Extract(ExtractArgs),
    /// Rebuild the graph and its exports from article records of one run or many.
    Graph(GraphArgs),
    /// Print each relation of article records with its evidence marked, for checking.
    Explain(ExplainArgs),
    /// Score article records against gold annotation.
    Eval(EvalArgs),
    /// Inspect the gazetteers.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Measure one core's speed, stage by stage, against the aho-corasick ceiling.
    Bench(bench::BenchArgs),
}

#[derive(Args)]
struct GazetteerArgs {
    /// Add a gazetteer or rule file (or a folder of .tsv files); repeatable.
    #[arg(long = "gazetteer", value_name = "PATH")]
    gazetteers: Vec<PathBuf>,
}

#[derive(Args)]
struct ExtractArgs {
    /// Articles: .txt, .jsonl, .csv or .tsv files (plain, gzip or zstd), folders, or - for
    /// JSON Lines on stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output folder, or - to write only the article records to stdout, one JSON line
    /// each, flushed as they come (the map step; `actorgraph graph` is the reduce).
    #[arg(short, long, value_name = "OUTDIR")]
    output: PathBuf,
    /// With -o -: write each skipped article or file to stdout as an error record,
    /// {"error": ..., "file": ..., "line": N}, in its place, and exit 0 (for engines
    /// such as Spark's `pipe`, where a non-zero status fails the task).
    #[arg(long)]
    error_records: bool,
    #[command(flatten)]
    columns: ColumnArgs,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1024))]
    threads: usize,
    /// Skip articles (JSON lines, CSV/TSV rows, .txt files) larger than this many bytes.
    #[arg(long, default_value_t = actorgraph::run::input::DEFAULT_MAX_ARTICLE_BYTES, value_name = "BYTES",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_article_bytes: usize,
    /// Also print each relation with its evidence marked, as `actorgraph explain` does.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    export: ExportOptions,
}

/// Columns of CSV and TSV inputs (a header row is required).
#[derive(Args)]
struct ColumnArgs {
    /// CSV/TSV column with the article id [default: id; none: STEM-LINE]
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// CSV/TSV column with the date, YYYY-MM-DD [default: date]
    #[arg(long, value_name = "NAME")]
    date_column: Option<String>,
    /// CSV/TSV column with the headline [default: title, or headline]
    #[arg(long, value_name = "NAME")]
    title_column: Option<String>,
    /// CSV/TSV column with the text [default: text, body or content]
    #[arg(long, value_name = "NAME")]
    text_column: Option<String>,
}

#[derive(Args)]
struct GraphArgs {
    /// articles.jsonl files written by `extract`.
    #[arg(required = true, value_name = "RECORDS")]
    records: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, value_name = "OUTDIR")]
    output: PathBuf,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    export: ExportOptions,
}

#[derive(Args)]
struct EvalArgs {
    /// Gold annotation: JSON Lines in the gold format of DESIGN.md, or CoNLL (a token
    /// and BIO tags a line, blank lines between sentences).
    gold: PathBuf,
    /// Article records (articles.jsonl) for JSON Lines gold; for CoNLL gold, leave out:
    /// the sentences are extracted here with the gazetteers given.
    records: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Print every compiled surface as TSV: id, type, surface.
    Dump(GazetteerArgs),
    /// Load and validate the gazetteers; report counts.
    Check(GazetteerArgs),
    /// Run the extractor on TEXT and print each mention with where its entity is defined.
    Show(ShowArgs),
    /// Propose names the gazetteers do not know, as an entity file to review.
    Suggest(SuggestArgs),
}

#[derive(Args)]
struct ShowArgs {
    /// Arabic text.
    text: String,
    /// The article's date, YYYY-MM-DD (titles resolve to office holders by it).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
}

#[derive(Args)]
struct SuggestArgs {
    /// Articles, as for `extract`.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The entity file to write (loads as is with --gazetteer).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Propose only names seen at least this many times.
    #[arg(long, default_value_t = 3, value_name = "N")]
    min_count: usize,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
}

/// A failure that stops the command (exit status 2).
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(error: E) -> Fatal {
        Fatal(error.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Graph(args) => graph(args),
        Command::Explain(args) => explain(args),
        Command::Eval(args) => eval(args),
        Command::Gazetteer(GazetteerCommand::Dump(args)) => dump(args),
        Command::Gazetteer(GazetteerCommand::Check(args)) => check(args),
        Command::Gazetteer(GazetteerCommand::Show(args)) => show(args),
        Command::Gazetteer(GazetteerCommand::Suggest(args)) => suggest(args),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("actorgraph: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn load_gazetteer(args: &GazetteerArgs) -> Result<Gazetteer, Fatal> {
    let mut builder = Gazetteer::builder();
    for path in &args.gazetteers {
        builder.add_path(path);
    }
    Ok(builder.build()?)
}

fn progress_bar() -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    // The position counts input bytes, so that indicatif's rate is MB/s; the message
    // counts articles.
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} {msg}, {decimal_bytes} ({decimal_bytes_per_sec})",
        )
        .expect("a valid template"),
    );
    bar.set_message("0 articles");
    bar
}

/// Moves the bar on by one article of `bytes` input bytes; `articles` counts them.
fn tick(bar: &ProgressBar, articles: &mut u64, bytes: usize) {
    *articles += 1;
    bar.inc(bytes as u64);
    if *articles % 64 == 1 {
        let rate = *articles as f64 / bar.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!("{articles} articles ({rate:.0}/s)"));
    }
}

/// `extract -o -`: article records on stdout, flushed per chunk, nothing else there.
fn extract_to_stdout(
    args: &ExtractArgs,
    extractor: &Extractor,
    inputs: Inputs,
) -> Result<ExitCode, Fatal> {
    let bar = progress_bar();
    let mut articles = 0;
    let result = batch::stream(
        extractor,
        inputs,
        args.threads,
        std::io::stdout().lock(),
        args.error_records,
        |problem| bar.suspend(|| eprintln!("actorgraph: {problem}")),
        |bytes| tick(&bar, &mut articles, bytes),
    );
    bar.finish_and_clear();
    let summary = match result {
        Ok(summary) => summary,
        // The reader at the other end of the pipe stopped reading (`| head`).
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(Fatal(format!("writing to standard output: {e}"))),
    };
    eprintln!("{}", summary_line(&summary, "records on stdout"));
    Ok(if summary.skipped > 0 && !args.error_records {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn extract(args: ExtractArgs) -> Result<ExitCode, Fatal> {
    // Compiling a large gazetteer works on rayon's global pool: it keeps to --threads too.
    if args.threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads)
            .build_global();
    }
    let forgetting = forget_previous_outputs(&args.output, args.threads);
    let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
    for input in &args.inputs {
        if input.as_os_str() != "-" {
            std::fs::metadata(input).map_err(|e| Fatal(format!("{}: {e}", input.display())))?;
        }
    }
    let inputs = Inputs::new(&args.inputs)
        .max_article_bytes(args.max_article_bytes)
        .columns(actorgraph::run::input::Columns {
            id: args.columns.id_column.clone(),
            date: args.columns.date_column.clone(),
            title: args.columns.title_column.clone(),
            text: args.columns.text_column.clone(),
        });
    if args.output.as_os_str() == "-" {
        return extract_to_stdout(&args, &extractor, inputs);
    }
    if args.error_records {
        return Err(Fatal(
            "--error-records goes with -o - (records on stdout); with -o OUTDIR, problems are listed in OUTDIR/errors.csv".into(),
        ));
    }
    let staging = Staging::create(&args.output)?;
    let mut writer = RecordWriter::create_with(staging.path(), &args.export)?;
    let mut errors = ErrorsCsv::create(staging.path())?;
    let mut graph = ActorGraph::new();
    let mut spill = RecordSpill::create_in(staging.path())?;
    args.filters.check(extractor.gazetteer(), None)?;
    let mut explained = Vec::new();
    let bar = progress_bar();
    let mut articles = 0;
    let summary = batch::run(
        &extractor,
        inputs,
        args.threads,
        |record, bytes| {
            if args.filters.keeps_date(record.date.as_deref()) {
                graph.add_nodes(record, extractor.gazetteer());
                spill.add(record)?;
                if args.explain {
                    explained.extend(actorgraph::output::relations_only(record.clone()));
                }
            }
            tick(&bar, &mut articles, bytes);
            writer.write(record)
        },
        |problem| {
            bar.suspend(|| eprintln!("actorgraph: {problem}"));
            errors.write(problem);
        },
    )?;
    bar.finish_and_clear();
    writer.start_writeback()?;
    // The edges and unknown strings join the graph now, and the graph files are written
    // last, when the graph is largest: the extractor's memory is theirs to reuse, so
    // peak memory does not rise. Only filters that slice the graph read the gazetteer.
    let gazetteer = if args.filters.slices() {
        Some(extractor.into_gazetteer())
    } else {
        drop(extractor);
        None
    };
    let mut unknown = UnknownTally::new();
    spill.replay(|r| graph.add_edges(r), |r| unknown.add_record(r))?;
    graph.set_unknown(unknown);
    let view = match gazetteer {
        Some(gazetteer) => slice(&args.filters, graph, &gazetteer)?,
        None => args.filters.unsliced(graph),
    };
    writer.finish_view_on(&view, summary.threads)?;
    errors.finish()?;
    if let Some(forgetting) = forgetting {
        let _ = forgetting.recv();
    }
    staging.commit()?;
    if args.explain {
        print_explanations(&explained, &view)?;
    }
    eprintln!(
        "{}",
        summary_line(&summary, &format!("outputs in {}", args.output.display()))
    );
    Ok(if summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// With a second thread, while the gazetteer compiles, the outputs that a previous run
/// left in OUTDIR leave the page cache: replacing them at the end then does not wait
/// for the kernel to free their pages (about 5 ms for the outputs of 20 MB of text).
/// With one thread, the run keeps to it, and the kernel does that work at the end.
fn forget_previous_outputs(outdir: &Path, threads: usize) -> Option<mpsc::Receiver<()>> {
    if batch::workers(threads) < 2 || outdir.as_os_str() == "-" || !outdir.is_dir() {
        return None;
    }
    let outdir = outdir.to_path_buf();
    let (done, finished) = mpsc::channel();
    // On rayon's global pool, whose threads are there anyway: a thread of its own would
    // allocate from a jemalloc arena of its own, and the run's peak memory would
    // depend on which threads came to share arenas (0.7 MB either way on the corpus).
    rayon::spawn(move || {
        let names = actorgraph::output::RECORD_FILES
            .iter()
            .chain(actorgraph::output::GRAPH_FILES)
            .chain(&[ERRORS_CSV]);
        for name in names {
            actorgraph::output::forget_cached(&outdir.join(name));
        }
        let _ = done.send(());
    });
    Some(finished)
}

/// Prefix of the hidden folder inside OUTDIR where a run writes its outputs.
const STAGING_PREFIX: &str = ".actorgraph-partial-";

/// Outputs are written into a hidden folder inside OUTDIR and moved into OUTDIR only
/// when all of them are complete. A failed run removes that folder (and OUTDIR, if
/// the run created it and it is empty); a killed run leaves the folder, never a
/// truncated visible output, and the next run into the same OUTDIR removes it.
struct Staging {
    outdir: PathBuf,
    created_outdir: bool,
    dir: Option<tempfile::TempDir>,
}

impl Staging {
    fn create(outdir: &Path) -> Result<Staging, Fatal> {
        let created_outdir = !outdir.exists();
        std::fs::create_dir_all(outdir).map_err(|e| {
            Fatal(format!(
                "{}: cannot create the output folder: {e}",
                outdir.display()
            ))
        })?;
        if let Ok(entries) = std::fs::read_dir(outdir) {
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(STAGING_PREFIX)
                {
                    // Left by an interrupted run: incomplete by construction.
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(outdir)
            .map_err(|e| {
                if created_outdir {
                    let _ = std::fs::remove_dir(outdir);
                }
                Fatal(format!(
                    "{}: cannot write in the output folder: {e}",
                    outdir.display()
                ))
            })?;
        Ok(Staging {
            outdir: outdir.to_path_buf(),
            created_outdir,
            dir: Some(dir),
        })
    }

    fn path(&self) -> &Path {
        self.dir.as_ref().expect("not yet committed").path()
    }

    /// Moves every finished output into OUTDIR.
    fn commit(mut self) -> Result<(), Fatal> {
        let dir = self.dir.take().expect("committed once");
        let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .filter(|name| !name.to_string_lossy().starts_with('.'))
            .collect();
        names.sort();
        for name in names {
            let from = dir.path().join(&name);
            let to = self.outdir.join(&name);
            std::fs::rename(&from, &to)
                .map_err(|e| Fatal(format!("writing {}: {e}", to.display())))?;
        }
        // Make the renames durable; not every platform can sync a folder.
        if let Ok(folder) = std::fs::File::open(&self.outdir) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            drop(dir);
            if self.created_outdir {
                // Only removes an empty folder.
                let _ = std::fs::remove_dir(&self.outdir);
            }
        }
    }
}

/// The file that lists the run's problems in OUTDIR.
const ERRORS_CSV: &str = "errors.csv";

/// OUTDIR/errors.csv, written as problems come (a header only when there are none).
struct ErrorsCsv {
    csv: csv::Writer<PendingFile>,
    failed: Option<csv::Error>,
}

impl ErrorsCsv {
    fn create(dir: &Path) -> Result<ErrorsCsv, Fatal> {
        let mut csv = csv::Writer::from_writer(PendingFile::create(dir, ERRORS_CSV)?);
        csv.write_record(["file", "line", "action", "message"])?;
        Ok(ErrorsCsv { csv, failed: None })
    }

    fn write(&mut self, p: &InputProblem) {
        let line = p.line.map(|l| l.to_string()).unwrap_or_default();
        let action = if p.recovered { "warning" } else { "skipped" };
        if let Err(e) = self
            .csv
            .write_record([p.file.as_str(), &line, action, &p.message])
        {
            self.failed.get_or_insert(e);
        }
    }

    fn finish(self) -> Result<(), Fatal> {
        if let Some(e) = self.failed {
            return Err(Fatal(format!("writing errors.csv: {e}")));
        }
        self.csv
            .into_inner()
            .map_err(|e| Fatal(format!("writing errors.csv: {}", e.error())))?
            .commit()?;
        Ok(())
    }
}

/// Reads article records, reporting bad lines (not JSON, not a record, not UTF-8)
/// on stderr; returns how many there were.
fn read_records(path: &Path, mut each: impl FnMut(ArticleRecord)) -> Result<usize, Fatal> {
    let file = std::fs::File::open(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    let mut reader = BufReader::new(file);
    let mut bad = 0;
    let mut buffer = Vec::new();
    for line_no in 1.. {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|e| Fatal(format!("{}:{line_no}: {e}", path.display())))?;
        if read == 0 {
            break;
        }
        let problem = match std::str::from_utf8(&buffer) {
            Err(e) => Some(format!("not UTF-8 at column {}", e.valid_up_to() + 1)),
            Ok(line) if line.trim().is_empty() => None,
            Ok(line) => match serde_json::from_str::<ArticleRecord>(line) {
                Ok(record) => {
                    each(record);
                    None
                }
                Err(e) => match serde_json::from_str::<batch::ErrorRecord>(line) {
                    // What `extract -o - --error-records` wrote for an article it
                    // skipped: a note, not a bad record.
                    Ok(skipped) => {
                        let at = skipped.line.map(|l| format!(":{l}")).unwrap_or_default();
                        eprintln!(
                            "actorgraph: {}:{line_no}: error record, skipped: {}{at}: {}",
                            path.display(),
                            skipped.file,
                            skipped.error
                        );
                        None
                    }
                    Err(_) => Some(format!("not an article record: {e}")),
                },
            },
        };
        if let Some(message) = problem {
            bad += 1;
            eprintln!("actorgraph: {}:{line_no}: {message}", path.display());
        }
    }
    Ok(bad)
}

fn graph(args: GraphArgs) -> Result<ExitCode, Fatal> {
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let (view, records, bad) = slice_records(&args.records, &args.filters, &gazetteer)?;
    let staging = Staging::create(&args.output)?;
    actorgraph::output::write_view(staging.path(), &view, &args.export)?;
    actorgraph::output::write_relations(staging.path(), &records, &view, &args.export)?;
    staging.commit()?;
    Ok(if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn eval(args: EvalArgs) -> Result<ExitCode, Fatal> {
    let gold_text = std::fs::read_to_string(&args.gold)
        .map_err(|e| Fatal(format!("{}: {e}", args.gold.display())))?;
    let name = args.gold.display().to_string();
    let is_jsonl = gold_text.trim_start().starts_with('{');
    let mut gold = Vec::new();
    let mut records = Vec::new();
    let mut bad = 0;
    if is_jsonl {
        for (index, line) in gold_text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let article: GoldArticle = serde_json::from_str(line)
                .map_err(|e| Fatal(format!("{name}:{}: not a gold article: {e}", index + 1)))?;
            gold.push(article);
        }
        let records_path = args.records.as_ref().ok_or_else(|| {
            Fatal("JSON Lines gold needs the records to score: actorgraph eval GOLD.jsonl RECORDS.jsonl".into())
        })?;
        bad = read_records(records_path, |r| records.push(r))?;
    } else {
        use rayon::prelude::*;
        gold = read_conll(&gold_text, &name, 50).map_err(Fatal)?;
        let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
        records = gold
            .par_iter()
            .map(|g| {
                extractor.extract(&actorgraph::Article {
                    id: g.id.clone(),
                    date: None,
                    title: None,
                    text: g.text.clone().unwrap_or_default(),
                })
            })
            .collect();
        // CoNLL gold annotates names only: relations are not scored.
        records.iter_mut().for_each(|r| r.relations.clear());
    }
    let report = evaluate(&gold, &records);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.to_table())?;
    }
    Ok(if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn dump(args: GazetteerArgs) -> Result<ExitCode, Fatal> {
    let extractor = Extractor::new(load_gazetteer(&args)?)?;
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        writeln!(out, "id\ttype\tsurface")?;
        for (id, kind, surface) in extractor.surfaces() {
            writeln!(out, "{id}\t{kind}\t{surface}")?;
        }
        out.flush()
    };
    match write() {
        // `gazetteer dump | head` closes the pipe early: that is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn check(args: GazetteerArgs) -> Result<ExitCode, Fatal> {
    let gazetteer = load_gazetteer(&args)?;
    Extractor::new(gazetteer.clone())?;
    let ambiguities = gazetteer.ambiguities();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "ok: {} entities, {} demonyms, {} titles, {} roles, {} rules, {} cue lists",
        gazetteer.entities.len(),
        gazetteer.demonyms.len(),
        gazetteer.titles.len(),
        gazetteer.roles.len(),
        gazetteer.triggers.len(),
        gazetteer.cues.len()
    )?;
    let describe = |u: &actorgraph::gazetteer::SurfaceUse| {
        let entity = gazetteer.entity(u.entity);
        let what = if u.demonym { "demonym of " } else { "" };
        format!("{what}`{}` ({}, {})", entity.id, entity.label_en, u.origin)
    };
    let mut shadows = 0;
    for ambiguity in &ambiguities {
        let uses: Vec<String> = ambiguity.uses.iter().map(describe).collect();
        if ambiguity.shadows_builtin() {
            shadows += 1;
            let user = ambiguity
                .uses
                .iter()
                .find(|u| !u.is_builtin())
                .expect("a shadow has a user row");
            writeln!(
                out,
                "{}: shadows a built-in surface: «{}» names {}",
                user.origin,
                user.surface,
                uses.join(", ")
            )?;
        } else {
            let last = ambiguity.uses.last().expect("an ambiguity has uses");
            writeln!(
                out,
                "{}: ambiguous: «{}» names {}",
                last.origin,
                last.surface,
                uses.join(", ")
            )?;
        }
    }
    let overlaps = gazetteer.overlapping_tenures();
    for overlap in &overlaps {
        let earlier = &gazetteer.roles[overlap.earlier];
        let later = &gazetteer.roles[overlap.later];
        writeln!(
            out,
            "{}: overlapping tenures: {}: {} {} ({}) and {} {}",
            later.origin,
            office(&gazetteer, later),
            gazetteer.entity(earlier.holder).id,
            earlier.tenure(),
            earlier.origin,
            gazetteer.entity(later.holder).id,
            later.tenure()
        )?;
    }
    writeln!(
        out,
        "{} ambiguous surfaces, {shadows} of them shadowing built-in entries; {} overlapping tenures",
        ambiguities.len(),
        overlaps.len()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A role's office as `title of body` (or the title alone), as `check` and `show`
/// print it.
fn office(gazetteer: &Gazetteer, role: &actorgraph::gazetteer::Role) -> String {
    let title = &gazetteer.titles[role.title.0 as usize].id;
    match role.of {
        Some(of) => format!("{title} of {}", gazetteer.entity(of).id),
        None => title.clone(),
    }
}

fn show(args: ShowArgs) -> Result<ExitCode, Fatal> {
    use actorgraph::gazetteer::Date;
    let date = match &args.date {
        Some(text) => Some(
            Date::parse(text)
                .ok_or_else(|| Fatal(format!("--date must be YYYY-MM-DD, not `{text}`")))?,
        ),
        None => None,
    };
    let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
    let inspection = extractor.inspect(&args.text, date);
    let gazetteer = extractor.gazetteer();
    let original = |span: &std::ops::Range<usize>| {
        let (start, end) = inspection.folded.original(span.start, span.end);
        &args.text[start..end]
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "folded: {}", inspection.folded.text)?;
    match date {
        Some(date) => writeln!(out, "date: {date}")?,
        None => writeln!(
            out,
            "date: none (no --date), so a title alone names no office holder"
        )?,
    }
    writeln!(out, "text\ttype\tentity\tlabel\tdefined at")?;
    for m in &inspection.resolution.mentions {
        let entity = gazetteer.entity(m.entity);
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            original(&m.span),
            m.mention_type.as_str(),
            entity.id,
            entity.label_en,
            entity.origin
        )?;
        if let Some(role) = m.role.map(|index| &gazetteer.roles[index]) {
            writeln!(
                out,
                "  role: {}: {} {} ({})",
                office(gazetteer, role),
                gazetteer.entity(role.holder).id,
                role.tenure(),
                role.origin
            )?;
        }
    }
    if inspection.resolution.mentions.is_empty() {
        writeln!(out, "no mentions")?;
    }
    for unresolved in &inspection.unresolved {
        for value in &unresolved.values {
            let (what, origin, reason) =
                unresolved_value(&extractor, &inspection, unresolved, *value, date);
            let reason = reason.map(|r| format!(": {r}")).unwrap_or_default();
            writeln!(
                out,
                "unresolved: «{}» {what} ({origin}){reason}",
                original(&unresolved.span)
            )?;
        }
    }
    // What the rules make of it: the relations, and the actor slots that named nobody
    // known (the rows `unknown.csv` and `gazetteer suggest` would count).
    let record = extractor.extract(&actorgraph::Article {
        id: "show".into(),
        date: date.map(|d| d.to_string()),
        title: None,
        text: args.text.clone(),
    });
    for r in &record.relations {
        let state = match (r.negated, r.hedged) {
            (true, _) => " (negated)",
            (_, true) => " (hedged)",
            _ => "",
        };
        writeln!(
            out,
            "relation: {} {} {} by {} at «{}»{state}",
            r.source.entity,
            r.kind.as_str(),
            r.target.entity,
            r.rule,
            r.trigger.text
        )?;
    }
    for u in &record.unknown {
        writeln!(
            out,
            "unknown: «{}» in the slot of {} at «{}»",
            u.text, u.rule, u.trigger
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What an unresolved surface could have named, where that is defined, and why it
/// named nothing here, when the rules say.
fn unresolved_value(
    extractor: &Extractor,
    inspection: &actorgraph::pipeline::extract::Inspection,
    unresolved: &actorgraph::pipeline::extract::UnresolvedMatch,
    value: actorgraph::pipeline::resolve::NameValue,
    date: Option<actorgraph::gazetteer::Date>,
) -> (String, String, Option<String>) {
    use actorgraph::gazetteer::{CueKind, TitleKind};
    use actorgraph::pipeline::resolve::NameValue;
    let gazetteer = extractor.gazetteer();
    let describe = |key| {
        let entity = gazetteer.entity(key);
        let what = format!("{} {}", entity.entity_type.as_str(), entity.id);
        (what, entity.origin.to_string())
    };
    match value {
        NameValue::Entity { key, partial } => {
            let (what, origin) = describe(key);
            let reason = partial.then(|| {
                format!(
                    "a surname, counted only after the full name «{}» in the same text",
                    gazetteer.entity(key).name_ar
                )
            });
            (what, origin, reason)
        }
        NameValue::Gated { key, gate } => {
            let (what, origin) = describe(key);
            let states: Vec<&str> = extractor
                .gate(gate)
                .iter()
                .map(|&state| gazetteer.entity(state).id.as_str())
                .collect();
            let reason = format!(
                "a gated alias, counted only in a text that names {}",
                states.join(" or ")
            );
            (what, origin, Some(reason))
        }
        NameValue::Demonym(key) => {
            let origin = gazetteer
                .demonyms
                .iter()
                .find(|d| d.entity == key)
                .map_or_else(|| "-".to_string(), |d| d.origin.to_string());
            let what = format!("demonym of {}", gazetteer.entity(key).id);
            (what, origin, None)
        }
        NameValue::HisCountry => {
            let origin = gazetteer
                .cues
                .iter()
                .find(|c| c.kind == CueKind::HisCountry)
                .map_or_else(|| "-".to_string(), |c| c.origin.to_string());
            let reason = "no person named before it".to_string();
            ("his_country cue".to_string(), origin, Some(reason))
        }
        NameValue::Trigger(_) => unreachable!("triggers are split off before resolution"),
        NameValue::Title(key) => {
            let title = &gazetteer.titles[key.0 as usize];
            // The body the title went with, if it acts: the actor that starts there.
            let body = inspection
                .resolution
                .actors
                .iter()
                .find(|a| a.phrase.start == unresolved.span.start)
                .map(|a| a.entity);
            let reason = match (title.kind, date, body) {
                (TitleKind::State, ..) => {
                    "a state word names a state only with a nisba right after it".to_string()
                }
                (TitleKind::Shared, ..) => {
                    "a shared office: the title alone names none of its holders".to_string()
                }
                (_, None, _) => "no --date, so no office holder".to_string(),
                (_, Some(date), Some(body)) => {
                    let body_id = &gazetteer.entity(body).id;
                    if gazetteer.office_holder(key, Some(body), date).is_some() {
                        "after a deputy word: a deputy, not the office holder".to_string()
                    } else {
                        format!(
                            "no holder of {} of {body_id} on {date} in the roles; {body_id} stands for the office",
                            title.id
                        )
                    }
                }
                (TitleKind::Office, Some(date), None) => format!(
                    "no single holder of {} on {date} whose state the text names",
                    title.id
                ),
                (TitleKind::Person, Some(_), None) => {
                    "no name, nisba, state or organisation right after it".to_string()
                }
            };
            (
                format!("title {}", title.id),
                title.origin.to_string(),
                Some(reason),
            )
        }
    }
}

fn suggest(args: SuggestArgs) -> Result<ExitCode, Fatal> {
    let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
    for input in &args.inputs {
        if input.as_os_str() != "-" {
            std::fs::metadata(input).map_err(|e| Fatal(format!("{}: {e}", input.display())))?;
        }
    }
    let mut suggester = actorgraph::tools::suggest::Suggester::new(&extractor);
    let mut skipped = 0;
    let bar = progress_bar();
    let mut articles = 0;
    for item in Inputs::new(&args.inputs) {
        match item {
            actorgraph::run::input::Item::Article {
                article,
                bytes,
                file,
                line,
                ..
            } => {
                // As in `extract`, an article that trips a bug is reported and skipped;
                // what it added before is kept (counts only, never a broken row).
                let added = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    suggester.add(&article)
                }));
                if added.is_err() {
                    skipped += 1;
                    let at = line.map(|l| format!(":{l}")).unwrap_or_default();
                    bar.suspend(|| {
                        eprintln!(
                            "actorgraph: {file}{at}: internal error on article `{}`; skipped, please report it",
                            article.id
                        )
                    });
                }
                tick(&bar, &mut articles, bytes);
            }
            actorgraph::run::input::Item::Problem(problem) => {
                if !problem.recovered {
                    skipped += 1;
                }
                bar.suspend(|| eprintln!("actorgraph: {problem}"));
            }
        }
    }
    bar.finish_and_clear();
    let name = args
        .output
        .file_name()
        .ok_or_else(|| Fatal(format!("{}: not a file name", args.output.display())))?
        .to_string_lossy()
        .into_owned();
    let dir = match args.output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut file = PendingFile::create(&dir, &name)?;
    let count = suggester
        .write_tsv(&mut file, args.min_count)
        .map_err(|e| Fatal(format!("writing {}: {e}", args.output.display())))?;
    file.commit()?;
    eprintln!(
        "actorgraph: {count} suggestions from {articles} articles ({skipped} skipped) in {}",
        args.output.display()
    );
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Args)]
struct ExplainArgs {
    /// articles.jsonl files written by `extract`.
    #[arg(required = true, value_name = "RECORDS")]
    records: Vec<PathBuf>,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    filters: FilterArgs,
}

/// Applies the filters other than dates to the merged graph; warns when nothing is left.
fn slice(filters: &FilterArgs, graph: ActorGraph, gazetteer: &Gazetteer) -> Result<View, Fatal> {
    let view = filters.apply(graph, gazetteer)?;
    if view.is_sliced() && view.graph.edges().is_empty() {
        eprintln!(
            "actorgraph: warning: no edge is left after the filters ({})",
            view.caption
        );
    }
    Ok(view)
}

/// Reads records, merges those in the date range, and slices the graph; returns the
/// view, the records' relations (see `relations_only`) and the number of bad lines.
fn slice_records(
    paths: &[PathBuf],
    filters: &FilterArgs,
    gazetteer: &Gazetteer,
) -> Result<(View, Vec<ArticleRecord>, usize), Fatal> {
    let mut graph = ActorGraph::new();
    let mut records = Vec::new();
    let mut bad = 0;
    for path in paths {
        bad += read_records(path, |record| {
            if filters.keeps_date(record.date.as_deref()) {
                graph.add_record(&record, gazetteer);
                records.extend(actorgraph::output::relations_only(record));
            }
        })?;
    }
    Ok((slice(filters, graph, gazetteer)?, records, bad))
}

fn print_explanations(records: &[ArticleRecord], view: &View) -> Result<(), Fatal> {
    let stdout = std::io::stdout();
    let colour = actorgraph::output::explain::use_colour(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    match actorgraph::output::explain::write_explanations(&mut out, records, view, colour) {
        Ok(_) => Ok(()),
        // The reader at the other end of the pipe stopped reading (`| head`).
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fatal(format!("writing to standard output: {e}"))),
    }
}

fn explain(args: ExplainArgs) -> Result<ExitCode, Fatal> {
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let (view, records, bad) = slice_records(&args.records, &args.filters, &gazetteer)?;
    print_explanations(&records, &view)?;
    Ok(if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The one-line summary at the end of a batch.
fn summary_line(summary: &batch::Summary, destination: &str) -> String {
    format!(
        "actorgraph: {} articles, {} mentions, {} relations, {} skipped, {} warnings; {:.1} MB of text at {:.1} MB/s; {destination}",
        summary.articles,
        summary.mentions,
        summary.relations,
        summary.skipped,
        summary.warnings,
        summary.text_bytes as f64 / 1e6,
        summary.text_mb_per_second(),
    )
}
