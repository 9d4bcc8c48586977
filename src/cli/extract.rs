//! `actorgraph extract`: articles in, records, tables and the graph out.

use std::path::PathBuf;

use clap::Args;

use actorgraph::output::drawing_advice;
use actorgraph::run::batch::{self, LinesSink, Summary};
use actorgraph::run::folder::{self, FolderOptions, RunError};
use actorgraph::text::plural::counted;
use actorgraph::{Extractor, Inputs};

use super::args::{
    ColumnArgs, ExportArgs, FilterArgs, GazetteerArgs, MessageArgs, NerArgs, filter_message,
    write_summary,
};
use super::progress::{Progress, Verbosity, say};
use super::records::print_explanations;
use super::report::write_report_file;
use super::{Done, Fatal, load_gazetteer, to_stdout};

#[derive(Args)]
pub struct ExtractArgs {
    /// Articles: .txt, .jsonl, .csv or .tsv files (plain, gzip or zstd), folders, or - for
    /// stdin (JSON Lines, CSV or TSV).
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
    #[command(flatten)]
    ner: NerArgs,
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
    /// Also write the graph as one HTML page that works offline, as `actorgraph report`
    /// does (its labels follow --labels).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    export: ExportArgs,
    /// Also write the run's summary to FILE as one JSON object (the counts of the summary
    /// line, the output and the graph's size), for scripts.
    #[arg(long, value_name = "FILE")]
    summary_json: Option<PathBuf>,
    #[command(flatten)]
    messages: MessageArgs,
}

pub fn extract(args: ExtractArgs) -> Result<Done, Fatal> {
    args.messages.apply();
    // Compiling a large gazetteer works on rayon's global pool: it keeps to --threads too.
    if args.threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads)
            .build_global();
    }
    let filters = args.filters.filters()?;
    let forgetting = folder::forget_previous_outputs(&args.output, args.threads);
    let extractor = args.ner.extractor(load_gazetteer(&args.gazetteer)?)?;
    for input in &args.inputs {
        if input.as_os_str() != "-" {
            std::fs::metadata(input).map_err(|e| Fatal(format!("{}: {e}", input.display())))?;
        }
    }
    let inputs = args
        .columns
        .inputs(&args.inputs)
        .max_article_bytes(args.max_article_bytes);
    // A table named on the command line without its text column is a mistake in the
    // command: said before anything is written (exit status 2).
    if let Some(mut problem) = inputs.missing_columns(&args.inputs).into_iter().next() {
        problem.message = problem.message.trim_end_matches("; skipped").to_string();
        return Err(Fatal(problem.to_string()));
    }
    if args.output.as_os_str() == "-" && args.explain {
        return Err(Fatal(
            "--explain goes with -o OUTDIR (stdout carries the records with -o -); run `actorgraph explain` on the records"
                .into(),
        ));
    }
    if args.output.as_os_str() == "-" && args.report.is_some() {
        return Err(Fatal(
            "--report goes with -o OUTDIR; with -o -, run `actorgraph report` on the records"
                .into(),
        ));
    }
    if args.output.as_os_str() == "-" {
        return extract_to_stdout(&args, &extractor, inputs);
    }
    if args.error_records {
        return Err(Fatal(
            "--error-records goes with -o - (records on stdout); with -o OUTDIR, problems are listed in OUTDIR/errors.csv".into(),
        ));
    }
    let options = FolderOptions {
        threads: args.threads,
        filters,
        export: args.export.options(),
        // The report reads the relations' evidence as explain does.
        explain: args.explain || args.report.is_some(),
    };
    let mut progress = Progress::new();
    let outcome = folder::extract_to_folder(
        extractor,
        inputs,
        &args.output,
        &options,
        forgetting,
        &mut progress,
        // Shown before the outputs are committed: an explanation that cannot be written
        // (stdout on a full disk) fails the run with OUTDIR as it was.
        &mut |view, explained| {
            if args.explain {
                print_explanations(explained, view)
            } else {
                Ok(())
            }
        },
    )
    .map_err(|e| match e {
        RunError::Filter(e) => Fatal(filter_message(&e)),
        RunError::Show(e) => Fatal(format!("writing to standard output: {e}")),
        e => Fatal(e.to_string()),
    })?;
    if let Some(advice) = drawing_advice(&outcome.view, &options.export) {
        say(Verbosity::Normal, &format!("actorgraph: {advice}"));
    }
    if let Some(path) = &args.report {
        // Read again: the run let go of its gazetteer before the graph grew.
        let gazetteer = load_gazetteer(&args.gazetteer)?;
        let labels = args.export.options().labels;
        write_report_file(path, &outcome.view, &outcome.explained, &gazetteer, labels)?;
    }
    let summary = outcome.summary;
    let graph = &outcome.view.graph;
    let (nodes, edges) = (graph.nodes().len(), graph.edges().len());
    let copies = graph.copies_folded();
    say(
        Verbosity::Normal,
        &summary_line(
            &summary,
            &format!(
                "outputs in {}{}",
                args.output.display(),
                super::records::copies_note(copies)
            ),
        ),
    );
    say(
        Verbosity::Verbose,
        &format!(
            "actorgraph: the graph files draw {} and {}",
            counted(nodes as u64, "actor"),
            counted(edges as u64, "edge")
        ),
    );
    let mut json = summary_json(&summary, &args.output);
    json["nodes"] = nodes.into();
    json["edges"] = edges.into();
    json["copies_folded"] = copies.into();
    write_summary(args.summary_json.as_ref(), &json)?;
    Ok(Done::skipped_if(summary.skipped > 0))
}

/// `extract -o -`: article records on stdout, flushed per chunk, nothing else there.
fn extract_to_stdout(
    args: &ExtractArgs,
    extractor: &Extractor,
    inputs: Inputs,
) -> Result<Done, Fatal> {
    let mut progress = Progress::new();
    let result = {
        let mut sink = LinesSink::new(std::io::stdout().lock(), args.error_records, &mut progress);
        match batch::run(extractor, inputs, args.threads, &mut sink) {
            Ok(summary) => sink.finish().map(|()| summary),
            Err(e) => Err(e),
        }
    };
    progress.finish();
    let Some(summary) = to_stdout(result)? else {
        return Ok(Done::Clean);
    };
    say(
        Verbosity::Normal,
        &summary_line(&summary, "records on stdout"),
    );
    write_summary(
        args.summary_json.as_ref(),
        &summary_json(&summary, &args.output),
    )?;
    Ok(Done::skipped_if(summary.skipped > 0 && !args.error_records))
}

/// The summary of a batch for `--summary-json`.
fn summary_json(summary: &Summary, output: &std::path::Path) -> serde_json::Value {
    serde_json::json!({
        "command": "extract",
        "articles": summary.articles,
        "mentions": summary.mentions,
        "relations": summary.relations,
        "skipped": summary.skipped,
        "warnings": summary.warnings,
        "text_bytes": summary.text_bytes,
        "seconds": summary.elapsed.as_secs_f64(),
        "output": output.display().to_string(),
    })
}

/// The one-line summary at the end of a batch.
fn summary_line(summary: &Summary, destination: &str) -> String {
    format!(
        "actorgraph: {}, {}, {}, {} skipped, {}; {:.1} MB of text at {:.1} MB/s; {destination}",
        counted(summary.articles as u64, "article"),
        counted(summary.mentions as u64, "mention"),
        counted(summary.relations as u64, "relation"),
        summary.skipped,
        counted(summary.warnings as u64, "warning"),
        summary.text_bytes as f64 / 1e6,
        summary.text_mb_per_second(),
    )
}
