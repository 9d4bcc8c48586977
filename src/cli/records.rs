//! The commands that read article records back: `graph`, `explain` and `eval`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use actorgraph::graph::filter::{Filters, View};
use actorgraph::output::{Staging, relations_only, write_relations, write_view};
use actorgraph::run::folder::slice;
use actorgraph::run::records::read_records;
use actorgraph::tools::eval::{GoldArticle, evaluate, read_conll};
use actorgraph::{ActorGraph, ArticleRecord, Gazetteer, InputProblem};

use actorgraph::run::Observer;

use super::args::{ExportArgs, FilterArgs, GazetteerArgs, NerArgs, filter_message};
use super::progress::Messages;
use super::{Done, Fatal, load_gazetteer, to_stdout};

#[derive(Args)]
pub struct GraphArgs {
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
    export: ExportArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// articles.jsonl files written by `extract`.
    #[arg(required = true, value_name = "RECORDS")]
    records: Vec<PathBuf>,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    filters: FilterArgs,
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
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let filters = args.filters.filters();
    let (view, records, bad) = slice_records(&args.records, &filters, &gazetteer)?;
    let export = args.export.options();
    let staging = Staging::create(&args.output)?;
    write_view(staging.path(), &view, &export)?;
    write_relations(staging.path(), &records, &view, &export)?;
    staging.commit()?;
    Ok(Done::skipped_if(bad > 0))
}

pub fn explain(args: ExplainArgs) -> Result<Done, Fatal> {
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let (view, records, bad) = slice_records(&args.records, &args.filters.filters(), &gazetteer)?;
    print_explanations(&records, &view)?;
    Ok(Done::skipped_if(bad > 0))
}

/// Reads records, merges those in the date range, and slices the graph; returns the
/// view, the records' relations (see `relations_only`) and the number of bad lines.
pub(super) fn slice_records(
    paths: &[PathBuf],
    filters: &Filters,
    gazetteer: &Gazetteer,
) -> Result<(View, Vec<ArticleRecord>, usize), Fatal> {
    let mut graph = ActorGraph::new();
    let mut records = Vec::new();
    let mut bad = 0;
    for path in paths {
        bad += read(path, |record| {
            if filters.keeps_date(record.date.as_deref()) {
                graph.add_record(&record, gazetteer);
                records.extend(relations_only(record));
            }
        })?;
    }
    let view =
        slice(filters, graph, gazetteer, &mut Messages).map_err(|e| Fatal(filter_message(&e)))?;
    Ok((view, records, bad))
}

/// Prints each relation with its evidence marked, in colour on a terminal.
pub fn print_explanations(records: &[ArticleRecord], view: &View) -> Result<(), Fatal> {
    let stdout = std::io::stdout();
    let colour = actorgraph::output::explain::use_colour(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    to_stdout(actorgraph::output::explain::write_explanations(
        &mut out, records, view, colour,
    ))?;
    Ok(())
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
        gold = read_conll(&gold_text, &name, 50).map_err(Fatal)?;
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
    Ok(Done::skipped_if(bad > 0))
}
