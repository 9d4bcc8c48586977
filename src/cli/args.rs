//! Arguments several commands share, and their translation into the library's types.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Fatal;

use actorgraph::graph::filter::Filters;
use actorgraph::output::{DOT_TOP, EdgeLabels, ExportOptions, Labels};
use actorgraph::record::{Date, RelationKind};
use actorgraph::tagger::{Model, Tagger};
use actorgraph::{Extractor, Gazetteer};

#[derive(Args)]
pub struct GazetteerArgs {
    /// Add a gazetteer or rule file (or a folder of .tsv files); repeatable.
    #[arg(long = "gazetteer", value_name = "PATH")]
    pub gazetteers: Vec<PathBuf>,
}

/// How names are found: the gazetteers alone, or with the name tagger beside them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum NerMode {
    /// Only the names the gazetteers list.
    Gazetteer,
    /// The gazetteers first; a name the tagger finds that no entry covers becomes an
    /// unknown actor (`known: false`).
    #[default]
    Hybrid,
}

/// The `--ner` and `--model` options.
#[derive(Args)]
#[command(next_help_heading = "Names")]
pub struct NerArgs {
    /// How names are found: gazetteer, or hybrid (the gazetteers and the name tagger).
    #[arg(long, value_enum, value_name = "MODE", default_value_t = NerMode::Hybrid)]
    ner: NerMode,
    /// A tagger model file made by `actorgraph ner train` [default: the built-in one].
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

impl NerArgs {
    /// The extractor for `gazetteer`, with the tagger the options ask for.
    pub fn extractor(&self, gazetteer: Gazetteer) -> Result<Extractor, Fatal> {
        let extractor = Extractor::new(gazetteer)?;
        if self.ner == NerMode::Gazetteer {
            return Ok(extractor);
        }
        let tagger = match &self.model {
            None => Tagger::builtin(),
            Some(path) => {
                let bytes =
                    std::fs::read(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
                let model = Model::from_bytes(&bytes)
                    .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
                Tagger::new(model)
            }
        };
        Ok(extractor.with_tagger(tagger))
    }
}

/// What to keep of the graph: the `--since`, `--until`, `--kinds`, `--min-weight`,
/// `--top`, `--around`/`--depth` and `--country` options of `extract`, `graph` and
/// `explain`.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// Only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD); undated
    /// articles are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    since: Option<String>,
    /// Only articles dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD: `2018-06`
    /// takes in all of June); undated articles are left out.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    until: Option<String>,
    /// Only these relation kinds, comma-separated: meets, supports, allied, opposes.
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    kinds: Vec<RelationKind>,
    /// Only edges merged from at least N relations (or articles, with --weight articles).
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_weight: u64,
    /// What an edge's weight counts: relations (each sentence that states it), or
    /// articles (distinct articles: one visit told three times in one article weighs 1).
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = WeightArg::Relations)]
    weight: WeightArg,
    /// Only the N actors with the most edges (after the other filters), and the
    /// edges among them.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    top: Option<u64>,
    /// Only the ego network of ENTITY (an id such as `sarraj` or `LY`, an English
    /// label, or an Arabic name): the actors within --depth edges of it and the
    /// edges among them.
    #[arg(long, value_name = "ENTITY")]
    around: Option<String>,
    /// How many edges away from --around to go.
    #[arg(long, value_name = "K", default_value_t = 1, requires = "around")]
    depth: usize,
    /// With --around: draw only the edges that touch ENTITY (its neighbours, not the
    /// edges among them).
    #[arg(long, requires = "around")]
    star: bool,
    /// Only the actors with at least one edge, in every graph file (Gephi then opens a
    /// network rather than a cloud of single dots); any other slicing filter implies it.
    #[arg(long)]
    connected_only: bool,
    /// Only relations with at least one side from these countries (ISO codes,
    /// comma-separated): the state itself or an actor whose country it is.
    #[arg(long, value_name = "CODES", value_delimiter = ',', value_parser = parse_country)]
    country: Vec<String>,
}

impl FilterArgs {
    /// The filters, or status 2 for a date range no date is in.
    pub fn filters(&self) -> Result<Filters, Fatal> {
        let filters = Filters {
            since: self.since.clone(),
            until: self.until.clone(),
            kinds: self.kinds.clone(),
            min_weight: self.min_weight,
            top: self.top,
            around: self.around.clone(),
            depth: self.depth,
            country: self.country.clone(),
            star: self.star,
            connected_only: self.connected_only,
            weigh_by_articles: self.weight == WeightArg::Articles,
        };
        filters
            .check_dates()
            .map_err(|e| Fatal(filter_message(&e)))?;
        Ok(filters)
    }
}

/// What an edge's weight counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightArg {
    /// The relations merged into the edge.
    Relations,
    /// The distinct articles behind the edge.
    Articles,
}

/// A filter's error, worded with the flag that set it.
pub fn filter_message(error: &actorgraph::graph::filter::FilterError) -> String {
    format!("--{} {error}", error.filter())
}

fn parse_date(text: &str) -> Result<String, String> {
    if Date::is_bound(text) {
        Ok(text.to_string())
    } else {
        Err("expected YYYY, YYYY-MM or YYYY-MM-DD, a month or day the calendar has".into())
    }
}

fn parse_kind(text: &str) -> Result<RelationKind, String> {
    RelationKind::parse(text.trim())
        .ok_or_else(|| "expected meets, supports, allied or opposes".to_string())
}

fn parse_country(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() {
        Err("expected a country code such as LY".into())
    } else {
        Ok(code)
    }
}

/// Which names label the nodes (and edges) of graph.dot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LabelsArg {
    /// English labels; edges read `supports ×3`.
    En,
    /// Arabic names (English where there is none); edges read `دعم ×3`.
    Ar,
    /// English above Arabic; edges in English.
    #[default]
    Both,
}

/// What the edges of graph.dot say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EdgeLabelsArg {
    /// No label: colour and style show the kind, width the weight.
    None,
    /// The weight: ×3.
    Weight,
    /// The kind: supports.
    Kind,
    /// Both: supports ×3.
    Both,
}

/// How the outputs are written: the `--labels`, `--edge-labels` and `--excel` options.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output")]
pub struct ExportArgs {
    /// Node and edge labels in graph.dot: en, ar or both.
    #[arg(long, value_enum, value_name = "LANG", default_value_t = LabelsArg::Both)]
    labels: LabelsArg,
    /// What the edges of graph.dot say: none, weight (×3), kind (supports), or both
    /// (supports ×3); a dense picture reads better with less.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = EdgeLabelsArg::Both)]
    edge_labels: EdgeLabelsArg,
    /// Write the CSV tables for Excel: a UTF-8 byte-order mark and CRLF line ends,
    /// so that Excel opens Arabic text correctly.
    #[arg(long)]
    excel: bool,
    /// When the graph is too large for Graphviz to lay out readably (over 150 actors or
    /// 400 edges with an edge) and neither --top nor --around chose the actors, graph.dot
    /// draws the N actors with the most edges (those of weight 2 or more, when there
    /// are), and its caption says so; 0 draws the whole graph. The other graph files
    /// always hold the whole graph.
    #[arg(long, value_name = "N", default_value_t = DOT_TOP)]
    dot_top: u64,
}

impl ExportArgs {
    pub fn options(&self) -> ExportOptions {
        ExportOptions {
            labels: match self.labels {
                LabelsArg::En => Labels::En,
                LabelsArg::Ar => Labels::Ar,
                LabelsArg::Both => Labels::Both,
            },
            excel: self.excel,
            dot_top: self.dot_top,
            edge_labels: match self.edge_labels {
                EdgeLabelsArg::None => EdgeLabels::None,
                EdgeLabelsArg::Weight => EdgeLabels::Weight,
                EdgeLabelsArg::Kind => EdgeLabels::Kind,
                EdgeLabelsArg::Both => EdgeLabels::Both,
            },
        }
    }
}

/// The format `--input-format` forces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// JSON Lines: one object a line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// TSV with a header row.
    Tsv,
    /// Plain text: the whole input is one article.
    Txt,
}

/// Columns of CSV and TSV inputs (a header row is required) and fields of JSON Lines,
/// and the format of standard input.
#[derive(Args)]
pub struct ColumnArgs {
    /// CSV/TSV column or JSON Lines field with the article id, a string or a whole
    /// number [default: id; none: STEM-LINE]
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// Column or field with the date, YYYY-MM-DD or a timestamp such as
    /// 2018-05-16T10:00:00Z (its date part is read) [default: date]
    #[arg(long, value_name = "NAME")]
    date_column: Option<String>,
    /// Column or field with the headline [default: title, or headline]
    #[arg(long, value_name = "NAME")]
    title_column: Option<String>,
    /// Column or field with the text [default: text, body or content]; a JSON Lines
    /// field may be a path into nested objects, such as meta.published
    #[arg(long, value_name = "NAME")]
    text_column: Option<String>,
    /// The format of standard input and of the files named (not those in folders)
    /// [default: told by the extension; on stdin by the first line: JSON Lines, or a
    /// CSV or TSV header]
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormatArg>,
    /// In folders, read only the files whose names match GLOB (`*` and `?` wildcards, on
    /// the name alone); repeatable: any one may match
    #[arg(long, value_name = "GLOB")]
    glob: Vec<String>,
    /// In folders, leave out the files and folders whose names match GLOB; repeatable
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
}

impl ColumnArgs {
    /// The reader over `paths`, with these columns and format.
    pub fn inputs(&self, paths: &[PathBuf]) -> actorgraph::Inputs {
        use actorgraph::run::input::{Columns, InputFormat};
        let inputs = actorgraph::Inputs::new(paths)
            .columns(Columns {
                id: self.id_column.clone(),
                date: self.date_column.clone(),
                title: self.title_column.clone(),
                text: self.text_column.clone(),
            })
            .names(self.glob.clone(), self.exclude.clone());
        match self.input_format {
            None => inputs,
            Some(format) => inputs.input_format(match format {
                InputFormatArg::Jsonl => InputFormat::Jsonl,
                InputFormatArg::Csv => InputFormat::Csv,
                InputFormatArg::Tsv => InputFormat::Tsv,
                InputFormatArg::Txt => InputFormat::Txt,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_years_months_or_days() {
        for good in ["2018", "2018-06", "2018-06-30"] {
            assert_eq!(parse_date(good), Ok(good.to_string()));
        }
        for bad in [
            "2018-6-1",
            "18-06",
            "2018/06",
            "",
            "2018-13",
            "2018-00",
            "2018-99-99",
            "2018-02-31",
            "+018",
            "+018-+6-+1",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_kind(" supports"), Ok(RelationKind::Supports));
        assert!(parse_kind("likes").is_err());
        assert_eq!(parse_country(" ly"), Ok("LY".into()));
        assert!(parse_country(" ").is_err());
    }
}

/// What a command says on stderr: `--quiet` and `--verbose`.
#[derive(Args)]
#[command(next_help_heading = "Messages")]
pub struct MessageArgs {
    /// Say only what was skipped, and errors: no progress bar, warnings or summary line.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Also say the record files read (graph, explain) and the size of the graph drawn.
    #[arg(short, long)]
    verbose: bool,
}

impl MessageArgs {
    /// Sets the verbosity of every message that follows.
    pub fn apply(&self) {
        use super::progress::{Verbosity, set_verbosity};
        set_verbosity(if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        });
    }
}

/// Writes `summary` to the `--summary-json` file, if one is named, whole or not at all.
pub fn write_summary(path: Option<&PathBuf>, summary: &serde_json::Value) -> Result<(), Fatal> {
    let Some(path) = path else {
        return Ok(());
    };
    let mut file = super::output_file(path)?;
    let mut text = serde_json::to_vec_pretty(summary)?;
    text.push(b'\n');
    std::io::Write::write_all(&mut file, &text)
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    file.commit()?;
    Ok(())
}
