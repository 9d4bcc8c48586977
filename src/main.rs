//! The `actorgraph` command: a thin layer over the library.

use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use actorgraph::eval::{GoldArticle, evaluate, read_conll};
use actorgraph::export::{PendingFile, RecordWriter, write_graph};
use actorgraph::{ActorGraph, ArticleRecord, Extractor, Gazetteer, InputProblem, Inputs, batch};

const EXIT_HELP: &str = "Exit status: 0 when every article was processed, 1 when some articles or files \
were skipped (listed in OUTDIR/errors.csv), 2 when nothing could be done (bad arguments, a broken \
gazetteer or rule file, an output that cannot be written).";

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
    /// Score article records against gold annotation.
    Eval(EvalArgs),
    /// Inspect the gazetteers.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
}

#[derive(Args)]
struct GazetteerArgs {
    /// Add a gazetteer or rule file (or a folder of .tsv files); repeatable.
    #[arg(long = "gazetteer", value_name = "PATH")]
    gazetteers: Vec<PathBuf>,
}

#[derive(Args)]
struct ExtractArgs {
    /// Articles: .txt files, .jsonl (or .jsonl.gz) files, folders, or - for JSON Lines on stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, value_name = "OUTDIR")]
    output: PathBuf,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    /// Worker threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Skip articles larger than this many bytes.
    #[arg(long, default_value_t = actorgraph::input::DEFAULT_MAX_ARTICLE_BYTES, value_name = "BYTES")]
    max_article_bytes: usize,
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
        Command::Eval(args) => eval(args),
        Command::Gazetteer(GazetteerCommand::Dump(args)) => dump(args),
        Command::Gazetteer(GazetteerCommand::Check(args)) => check(args),
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
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} {human_pos} articles ({per_sec}) {msg}",
        )
        .expect("a valid template"),
    );
    bar
}

fn extract(args: ExtractArgs) -> Result<ExitCode, Fatal> {
    let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
    let inputs = Inputs::new(&args.inputs).max_article_bytes(args.max_article_bytes);
    let mut writer = RecordWriter::create(&args.output)?;
    let mut graph = ActorGraph::new();
    let mut problems: Vec<InputProblem> = Vec::new();
    let bar = progress_bar();
    let started = std::time::Instant::now();
    let mut bytes_done = 0usize;
    let summary = batch::run(
        &extractor,
        inputs,
        args.threads,
        |record, bytes| {
            graph.add_record(record, extractor.gazetteer());
            bytes_done += bytes;
            bar.inc(1);
            if bar.position() % 256 == 0 {
                let mb = bytes_done as f64 / 1e6;
                bar.set_message(format!(
                    "{mb:.1} MB, {:.1} MB/s",
                    mb / started.elapsed().as_secs_f64()
                ));
            }
            writer.write(record)
        },
        |problem| {
            bar.suspend(|| eprintln!("actorgraph: {problem}"));
            problems.push(problem.clone());
        },
    )?;
    bar.finish_and_clear();
    writer.finish(&graph)?;
    write_errors(&args.output, &problems)?;
    eprintln!(
        "actorgraph: {} articles, {} mentions, {} relations, {} skipped, {} warnings; {:.1} MB at {:.1} MB/s; outputs in {}",
        summary.articles,
        summary.mentions,
        summary.relations,
        summary.skipped,
        summary.warnings,
        summary.bytes as f64 / 1e6,
        summary.mb_per_second(),
        args.output.display()
    );
    Ok(if summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_errors(dir: &Path, problems: &[InputProblem]) -> Result<(), Fatal> {
    let file = PendingFile::create(dir, "errors.csv")?;
    let mut csv = csv::Writer::from_writer(file);
    csv.write_record(["file", "line", "action", "message"])?;
    for p in problems {
        let line = p.line.map(|l| l.to_string()).unwrap_or_default();
        let action = if p.recovered { "warning" } else { "skipped" };
        csv.write_record([p.file.as_str(), &line, action, &p.message])?;
    }
    csv.into_inner()
        .map_err(|e| Fatal(e.to_string()))?
        .commit()?;
    Ok(())
}

/// Reads article records, reporting bad lines as problems.
fn read_records(path: &Path, mut each: impl FnMut(ArticleRecord)) -> Result<usize, Fatal> {
    let file = std::fs::File::open(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    let mut bad = 0;
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Fatal(format!("{}:{}: {e}", path.display(), index + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<ArticleRecord>(&line) {
            Ok(record) => each(record),
            Err(e) => {
                bad += 1;
                eprintln!(
                    "actorgraph: {}:{}: not an article record: {e}",
                    path.display(),
                    index + 1
                );
            }
        }
    }
    Ok(bad)
}

fn graph(args: GraphArgs) -> Result<ExitCode, Fatal> {
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let mut graph = ActorGraph::new();
    let mut bad = 0;
    for path in &args.records {
        bad += read_records(path, |record| graph.add_record(&record, &gazetteer))?;
    }
    write_graph(&args.output, &graph)?;
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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "id\ttype\tsurface")?;
    for (id, kind, surface) in extractor.surfaces() {
        writeln!(out, "{id}\t{kind}\t{surface}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn check(args: GazetteerArgs) -> Result<ExitCode, Fatal> {
    let gazetteer = load_gazetteer(&args)?;
    Extractor::new(gazetteer.clone())?;
    println!(
        "ok: {} entities, {} demonyms, {} titles, {} roles, {} rules, {} cue lists",
        gazetteer.entities.len(),
        gazetteer.demonyms.len(),
        gazetteer.titles.len(),
        gazetteer.roles.len(),
        gazetteer.triggers.len(),
        gazetteer.cues.len()
    );
    Ok(ExitCode::SUCCESS)
}
