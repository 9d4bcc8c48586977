//! `actorgraph gazetteer`: what the gazetteers hold, what they make of a text, and what
//! they miss.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use actorgraph::gazetteer::{Role, SurfaceUse};
use actorgraph::pipeline::inspect::ValueExplanation;
use actorgraph::record::Date;
use actorgraph::tools::suggest::Suggester;
use actorgraph::{Extractor, Gazetteer, Inputs};

use super::args::{GazetteerArgs, NerArgs};
use super::progress::Progress;
use super::{Done, Fatal, load_gazetteer, output_file, to_stdout};

#[derive(Subcommand)]
pub enum GazetteerCommand {
    /// Print every compiled surface as TSV: id, type, surface, label, country.
    Dump(GazetteerArgs),
    /// Load and validate the gazetteers; report counts.
    Check(GazetteerArgs),
    /// Run the extractor on TEXT and print each mention with where its entity is defined.
    Show(ShowArgs),
    /// Propose names the gazetteers do not know, as an entity file to review.
    Suggest(SuggestArgs),
}

#[derive(Args)]
pub struct ShowArgs {
    /// Arabic text.
    text: String,
    /// The article's date, YYYY-MM-DD (titles resolve to office holders by it).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
    #[command(flatten)]
    ner: NerArgs,
}

#[derive(Args)]
pub struct SuggestArgs {
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

pub fn run(command: GazetteerCommand) -> Result<Done, Fatal> {
    match command {
        GazetteerCommand::Dump(args) => dump(args),
        GazetteerCommand::Check(args) => check(args),
        GazetteerCommand::Show(args) => show(args),
        GazetteerCommand::Suggest(args) => suggest(args),
    }
}

fn dump(args: GazetteerArgs) -> Result<Done, Fatal> {
    let extractor = Extractor::new(load_gazetteer(&args)?)?;
    let gazetteer = extractor.gazetteer();
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        writeln!(out, "id\ttype\tsurface\tlabel\tcountry")?;
        for (id, kind, surface) in extractor.surfaces() {
            // The label and country of the entity, as nodes.csv gives them.
            let entity = gazetteer.lookup(&id).map(|key| gazetteer.entity(key));
            let label = entity.map_or("", |e| e.label_en.as_str());
            let country = entity
                .and_then(|e| e.country)
                .map_or("", |c| gazetteer.entity(c).id.as_str());
            writeln!(out, "{id}\t{kind}\t{surface}\t{label}\t{country}")?;
        }
        out.flush()
    };
    to_stdout(write())?;
    Ok(Done::Clean)
}

fn check(args: GazetteerArgs) -> Result<Done, Fatal> {
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
    let describe = |u: &SurfaceUse| {
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
    Ok(Done::Clean)
}

/// A role's office as `title of body` (or the title alone), as `check` and `show`
/// print it.
fn office(gazetteer: &Gazetteer, role: &Role) -> String {
    let title = &gazetteer.titles[role.title.0 as usize].id;
    match role.of {
        Some(of) => format!("{title} of {}", gazetteer.entity(of).id),
        None => title.clone(),
    }
}

fn show(args: ShowArgs) -> Result<Done, Fatal> {
    let date = match &args.date {
        Some(text) => Some(
            Date::parse(text)
                .ok_or_else(|| Fatal(format!("--date must be YYYY-MM-DD, not `{text}`")))?,
        ),
        None => None,
    };
    let extractor = args.ner.extractor(load_gazetteer(&args.gazetteer)?)?;
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
            let ValueExplanation {
                what,
                origin,
                reason,
            } = inspection.explain(&extractor, unresolved, *value, date);
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
    for m in record.mentions.iter().filter(|m| !m.known) {
        writeln!(
            out,
            "tagged: «{}» {} {}, a name no gazetteer lists",
            m.text,
            m.mention_type.as_str(),
            m.entity
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
    Ok(Done::Clean)
}

fn suggest(args: SuggestArgs) -> Result<Done, Fatal> {
    let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
    for input in &args.inputs {
        if input.as_os_str() != "-" {
            std::fs::metadata(input).map_err(|e| Fatal(format!("{}: {e}", input.display())))?;
        }
    }
    let mut suggester = Suggester::new(&extractor);
    let mut progress = Progress::new();
    let read = suggester.add_inputs(Inputs::new(&args.inputs), &mut progress);
    progress.finish();
    let mut file = output_file(&args.output)?;
    let count = suggester
        .write_tsv(&mut file, args.min_count)
        .map_err(|e| Fatal(format!("writing {}: {e}", args.output.display())))?;
    file.commit()?;
    super::progress::tell(&format!(
        "actorgraph: {} from {} ({} skipped) in {}",
        actorgraph::text::plural::counted(count as u64, "suggestion"),
        actorgraph::text::plural::counted(read.articles, "article"),
        read.skipped,
        args.output.display()
    ));
    Ok(Done::skipped_if(read.skipped > 0))
}
