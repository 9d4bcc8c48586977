//! `actorgraph report`: the graph of article records as one self-contained HTML page.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use actorgraph::graph::Node;
use actorgraph::graph::filter::View;
use actorgraph::output::Labels;
use actorgraph::output::report::{ActorNotes, ReportOptions, write_report};
use actorgraph::{ArticleRecord, Gazetteer};

use super::args::{FilterArgs, GazetteerArgs, LabelsArg};
use super::records::slice_records;
use super::{Done, Fatal, load_gazetteer, output_file};

#[derive(Args)]
pub struct ReportArgs {
    /// articles.jsonl files written by `extract`.
    #[arg(required = true, value_name = "RECORDS")]
    records: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Node labels: en, ar or both.
    #[arg(long, value_enum, value_name = "LANG", default_value_t = LabelsArg::Both)]
    labels: LabelsArg,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    filters: FilterArgs,
}

pub fn report(args: ReportArgs) -> Result<Done, Fatal> {
    let gazetteer = load_gazetteer(&args.gazetteer)?;
    let read = slice_records(&args.records, &args.filters.filters()?, &gazetteer)?;
    write_report_file(
        &args.output,
        &read.view,
        &read.records,
        &gazetteer,
        labels(args.labels),
    )?;
    Ok(Done::skipped_if(read.bad > 0))
}

/// The report's labels for `--labels`.
pub fn labels(arg: LabelsArg) -> Labels {
    match arg {
        LabelsArg::En => Labels::En,
        LabelsArg::Ar => Labels::Ar,
        LabelsArg::Both => Labels::Both,
    }
}

/// Writes the report of `view` to `path`, whole or not at all.
pub fn write_report_file(
    path: &Path,
    view: &View,
    records: &[ArticleRecord],
    gazetteer: &Gazetteer,
    labels: Labels,
) -> Result<(), Fatal> {
    let mut file = output_file(path)?;
    let mut text = String::new();
    let options = ReportOptions {
        labels,
        ..ReportOptions::default()
    };
    write_report(
        &mut text,
        view,
        records,
        &|node| actor_notes(gazetteer, node),
        &options,
    );
    file.write_all(text.as_bytes())
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    file.commit()?;
    Ok(())
}

/// What the gazetteer says of an actor: its aliases, and the offices it held.
fn actor_notes(gazetteer: &Gazetteer, node: &Node) -> ActorNotes {
    let Some(key) = gazetteer.lookup(&node.id) else {
        return ActorNotes::default();
    };
    let roles = gazetteer
        .roles
        .iter()
        .filter(|role| role.holder == key)
        .map(|role| {
            let title = &gazetteer.titles[role.title.0 as usize].label_en;
            match role.of {
                Some(of) => format!(
                    "{title} of {} ({})",
                    gazetteer.entity(of).label_en,
                    role.tenure()
                ),
                None => format!("{title} ({})", role.tenure()),
            }
        })
        .collect();
    ActorNotes {
        aliases: gazetteer.entity(key).aliases.clone(),
        roles,
    }
}
