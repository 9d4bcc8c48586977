//! The commands that read article records back: `graph`, `explain` and `eval`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use actorgraph::graph::copies::Copies;
use actorgraph::graph::filter::{Filters, View};
use actorgraph::graph::unknown::UnknownTally;
use actorgraph::output::{
    ExportOptions, Staging, dot_drawing, drawing_advice, relations_only, write_relations,
    write_view,
};
use actorgraph::run::folder::slice;
use actorgraph::run::records::{read_records, record_files};
use actorgraph::text::plural::counted;
use actorgraph::tools::eval::{GoldArticle, evaluate, read_conll};
use actorgraph::tools::ner::DOCUMENT_SENTENCES;
use actorgraph::{ActorGraph, ArticleRecord, Gazetteer, InputProblem};

use actorgraph::run::Observer;

use super::args::{
    ExportArgs, FilterArgs, GazetteerArgs, MessageArgs, NerArgs, filter_message, write_summary,
};
use super::progress::{Messages, Verbosity, say};
use super::{Done, Fatal, load_gazetteer, to_stdout};

#[derive(Args)]
pub struct GraphArgs {
    /// Article records written by `extract`: files (plain, gzip or zstd), folders (their
    /// articles.jsonl, or every *.jsonl* and part-* file in them), or - for stdin.
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
    export: ExportArgs,
    /// Also write the run's summary to FILE as one JSON object (records read, lines
    /// skipped, the graph's size, the files written), for scripts.
    #[arg(long, value_name = "FILE")]
    summary_json: Option<PathBuf>,
    #[command(flatten)]
    messages: MessageArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// Article records written by `extract`: files (plain, gzip or zstd), folders (their
    /// articles.jsonl, or every *.jsonl* and part-* file in them), or - for stdin.
    #[arg(required = true, value_name = "RECORDS")]
    records: Vec<PathBuf>,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    filters: FilterArgs,
    /// Only the relations of these articles (ids, comma-separated; repeatable).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    article: Vec<String>,
    /// Only the relations between A and B (entity ids), either way round.
    #[arg(long, value_name = "A,B", value_parser = parse_edge)]
    edge: Option<(String, String)>,
    /// One JSON object a line for each relation (the relation as in the record, with its
    /// article, date, labels, whether each side is named in the sentence, and the
    /// sentence marked), for scripts.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    messages: MessageArgs,
}

fn parse_edge(text: &str) -> Result<(String, String), String> {
    match text.split_once(',') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err("expected two entity ids, A,B (such as sarraj,LY)".into()),
    }
}

#[derive(Args)]
pub struct EvalArgs {
    /// Gold annotation: JSON Lines in the gold format of docs/CONTRACT.md, or CoNLL (a
    /// token and BIO tags a line, blank lines between sentences).
    gold: PathBuf,
    /// Article records (articles.jsonl) for JSON Lines gold; for CoNLL gold, leave out:
    /// the sentences are extracted here with the gazetteers given.
    records: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    ner: NerArgs,
}

/// Reads records, reporting each bad line on stderr; the count of bad lines.
fn read(path: &std::path::Path, each: impl FnMut(ArticleRecord)) -> Result<usize, Fatal> {
    Ok(read_records(path, each, |problem: &InputProblem| {
        Messages.problem(problem)
    })?)
}

pub fn graph(args: GraphArgs) -> Result<Done, Fatal> {
    args.messages.apply();
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let filters = args.filters.filters()?;
    refuse_records_folder(&args.records, &args.output)?;
    let read = slice_records(&args.records, &filters, &gazetteer)?;
    let export = args.export.options();
    let staging = Staging::create(&args.output)?;
    let mut written = write_view(staging.path(), &read.view, &export)?;
    written.push(write_relations(
        staging.path(),
        &read.records,
        &read.view,
        &export,
    )?);
    staging.commit()?;
    if let Some(advice) = drawing_advice(&read.view, &export) {
        say(Verbosity::Normal, &format!("actorgraph: {advice}"));
    }
    let mut files: Vec<String> = written
        .iter()
        .filter_map(|path| path.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    files.sort();
    let graph = &read.view.graph;
    let (nodes, edges) = (graph.nodes().len(), graph.edges().len());
    let relations: usize = read.records.iter().map(|r| r.relations.len()).sum();
    let copies = graph.copies_folded();
    say(
        Verbosity::Normal,
        &format!(
            "actorgraph: {} from {}, {} skipped{}; {} and {}{}; {} in {}",
            counted(read.kept as u64, "record"),
            counted(read.files.len() as u64, "file"),
            read.bad,
            copies_note(copies),
            counted(nodes as u64, "actor"),
            counted(edges as u64, "edge"),
            drawn_note(&read.view, &export),
            files.join(", "),
            args.output.display()
        ),
    );
    write_summary(
        args.summary_json.as_ref(),
        &serde_json::json!({
            "command": "graph",
            "record_files": read.files.len(),
            "records": read.kept,
            "skipped": read.bad,
            "relations": relations,
            "copies_folded": copies,
            "nodes": nodes,
            "edges": edges,
            "output": args.output.display().to_string(),
            "files": files,
        }),
    )?;
    Ok(Done::skipped_if(read.bad > 0))
}

pub fn explain(args: ExplainArgs) -> Result<Done, Fatal> {
    args.messages.apply();
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let mut read = slice_records(&args.records, &args.filters.filters()?, &gazetteer)?;
    if !args.article.is_empty() {
        read.records.retain(|r| args.article.contains(&r.id));
    }
    if let Some((a, b)) = &args.edge {
        for record in &mut read.records {
            record.relations.retain(|r| {
                let (s, t) = (&r.source.entity, &r.target.entity);
                (s == a && t == b) || (s == b && t == a)
            });
        }
    }
    if args.json {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        to_stdout(actorgraph::output::explain::write_explanations_json(
            &mut out,
            &read.records,
            &read.view,
        ))?;
    } else {
        to_stdout(print_explanations(&read.records, &read.view))?;
    }
    Ok(Done::skipped_if(read.bad > 0))
}

/// How a summary line says that copies of one text counted once (the records whose
/// edges were left out): nothing when none were.
pub(super) fn copies_note(copies: u64) -> String {
    if copies == 0 {
        return String::new();
    }
    format!(", {} folded", counted(copies, "duplicate text"))
}

/// What graph.dot draws, when it is not the whole graph the other files hold (its
/// actors without an edge left out, or only its top actors): empty otherwise.
pub(super) fn drawn_note(view: &View, export: &ExportOptions) -> String {
    let drawing = dot_drawing(view, export);
    let (actors, edges) = (drawing.graph.degrees().len(), drawing.graph.edges().len());
    if actors == view.graph.nodes().len() && edges == view.graph.edges().len() {
        return String::new();
    }
    format!(
        " (graph.dot draws {} and {})",
        counted(actors as u64, "actor"),
        counted(edges as u64, "edge")
    )
}

/// Refuses an OUTDIR that holds records `graph` reads (the folder `extract` wrote): its
/// outputs would replace some of extract's and leave the others (mentions.csv,
/// errors.csv) beside them, two runs mixed in one folder.
fn refuse_records_folder(paths: &[PathBuf], output: &std::path::Path) -> Result<(), Fatal> {
    let Ok(outdir) = std::fs::canonicalize(output) else {
        return Ok(());
    };
    for file in record_files(paths)? {
        let folder = file.parent().and_then(|p| {
            std::fs::canonicalize(if p.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                p
            })
            .ok()
        });
        if folder.as_deref() == Some(outdir.as_path()) {
            return Err(Fatal(format!(
                "{}: the output folder holds the records read ({}); graph's files would replace some of that run's and leave the others beside them: choose another folder",
                output.display(),
                file.display()
            )));
        }
    }
    Ok(())
}

/// What `graph` and `explain` read: the record files, the graph sliced, the records'
/// relations (see `relations_only`), and the counts of records kept and bad lines.
pub(super) struct Read {
    pub(super) files: Vec<PathBuf>,
    pub(super) view: View,
    pub(super) records: Vec<ArticleRecord>,
    pub(super) kept: usize,
    pub(super) bad: usize,
}

/// Reads records, merges those in the date range, and slices the graph.
pub(super) fn slice_records(
    paths: &[PathBuf],
    filters: &Filters,
    gazetteer: &Gazetteer,
) -> Result<Read, Fatal> {
    let mut graph = ActorGraph::new();
    let mut unknown = UnknownTally::new();
    let mut copies = Copies::new();
    let mut records = Vec::new();
    let (mut kept, mut bad) = (0, 0);
    let files = record_files(paths)?;
    for path in &files {
        say(
            Verbosity::Verbose,
            &format!("actorgraph: reading {}", path.display()),
        );
        bad += read(path, |record| {
            if filters.keeps_date(record.date.as_deref()) {
                kept += 1;
                graph.add_nodes(&record, gazetteer);
                unknown.add_record(&record);
                copies.observe(&record);
                records.extend(relations_only(record));
            }
        })?;
    }
    // Edges last, once every copy of a text is known: only one of them counts.
    for record in &records {
        if copies.keeps(record) {
            graph.add_edges(record);
        }
    }
    graph.set_unknown(unknown);
    graph.set_copies_folded(copies.folded());
    let view =
        slice(filters, graph, gazetteer, &mut Messages).map_err(|e| Fatal(filter_message(&e)))?;
    Ok(Read {
        files,
        view,
        records,
        kept,
        bad,
    })
}

/// Prints each relation with its evidence marked, in colour on a terminal. A reader that
/// stopped reading (`| head`) is no error.
pub fn print_explanations(records: &[ArticleRecord], view: &View) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let colour = actorgraph::output::explain::use_colour(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    match actorgraph::output::explain::write_explanations(&mut out, records, view, colour) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map(drop),
    }
}

pub fn eval(args: EvalArgs) -> Result<Done, Fatal> {
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
        bad = read(records_path, |r| records.push(r))?;
    } else {
        use rayon::prelude::*;
        gold = read_conll(&gold_text, &name, DOCUMENT_SENTENCES).map_err(Fatal)?;
        let extractor = args.ner.extractor(load_gazetteer(&args.gazetteer)?)?;
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
        for (record, g) in records.iter_mut().zip(&gold) {
            record.relations.clear();
            actorgraph::tools::eval::widen_to_tokens(record, g.text.as_deref().unwrap_or(""));
        }
    }
    let report = evaluate(&gold, &records);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.to_table())?;
    }
    Ok(Done::skipped_if(bad > 0))
}
