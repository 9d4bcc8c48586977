//! The CSV tables: their columns, and the rows of relations.csv.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::atomic::PendingFile;
use super::{ERRORS_CSV, ExportOptions};
use crate::error::{InputProblem, OutputError};
use crate::graph::filter::View;
use crate::record::encode::excel_inert;
use crate::record::{ArticleRecord, Relation};

/// Column names of mentions.csv.
pub const MENTION_COLUMNS: &[&str] = &[
    "article", "field", "start", "end", "text", "type", "entity", "label",
];
/// Column names of relations.csv.
pub const RELATION_COLUMNS: &[&str] = &[
    "article",
    "date",
    "field",
    "kind",
    "source",
    "source_label",
    "target",
    "target_label",
    "negated",
    "hedged",
    "rule",
    "trigger",
    "trigger_start",
    "trigger_end",
    "source_start",
    "source_end",
    "target_start",
    "target_end",
    "sentence_start",
    "sentence_end",
    "sentence",
    "source_office",
    "target_office",
];
/// Column names of nodes.csv (Gephi's `Id`, `Label`, then ours).
pub const NODE_COLUMNS: &[&str] = &[
    "Id", "Label", "label_ar", "type", "country", "mentions", "degree", "known",
];
/// Column names of edges.csv (Gephi's `Source`, `Target`, `Type`, `Weight`, `Label`, then ours).
pub const EDGE_COLUMNS: &[&str] = &[
    "Source",
    "Target",
    "Type",
    "Weight",
    "Label",
    "kind",
    "first_date",
    "last_date",
    "articles",
];

/// Column names of unknown.csv: strings in actor slots that named nothing known.
pub const UNKNOWN_COLUMNS: &[&str] = &[
    "text",
    "count",
    "articles",
    "first_date",
    "last_date",
    "rules",
    "example_article",
    "example_trigger",
];

/// Starts a CSV table in `dir/name` and writes its header: for Excel, after a
/// byte-order mark and with CRLF line ends.
pub fn csv_table(
    dir: &Path,
    name: &str,
    header: &[&str],
    options: &ExportOptions,
) -> Result<csv::Writer<PendingFile>, OutputError> {
    let mut file = PendingFile::create(dir, name)?;
    let mut builder = csv::WriterBuilder::new();
    if options.excel {
        file.write_all("\u{feff}".as_bytes())
            .map_err(|e| file.error(e))?;
        builder.terminator(csv::Terminator::CRLF);
    }
    let mut csv = builder.from_writer(file);
    csv.write_record(header).map_err(|e| OutputError {
        path: dir.join(name),
        source: std::io::Error::other(e),
    })?;
    Ok(csv)
}

/// `row` as written under `options`: with `--excel`, each cell a spreadsheet would read
/// as a formula made inert ([`excel_inert`]).
pub(super) fn excel_row(mut row: Vec<String>, options: &ExportOptions) -> Vec<String> {
    if options.excel {
        for cell in &mut row {
            if let Cow::Owned(inert) = excel_inert(cell) {
                *cell = inert;
            }
        }
    }
    row
}

/// The file under a CSV table, its rows written, to be committed.
pub(super) fn table_file(
    csv: csv::Writer<PendingFile>,
    path: PathBuf,
) -> Result<PendingFile, OutputError> {
    csv.into_inner().map_err(|e| OutputError {
        path,
        source: e.into_error(),
    })
}

/// Writes a CSV table, header and rows, into a file still to be committed.
pub(super) fn fill_table<R: IntoIterator<Item = Vec<String>>>(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: R,
    options: &ExportOptions,
) -> Result<PendingFile, OutputError> {
    let mut csv = csv_table(dir, name, header, options)?;
    for row in rows {
        csv.write_record(excel_row(row, options))
            .map_err(|e| OutputError {
                path: dir.join(name),
                source: std::io::Error::other(e),
            })?;
    }
    table_file(csv, dir.join(name))
}

/// One row of relations.csv (see [`RELATION_COLUMNS`]).
pub fn relation_row(record: &ArticleRecord, r: &Relation) -> Vec<String> {
    let label = |id: &str| {
        record
            .mentions
            .iter()
            .find(|m| m.entity == id)
            .map_or_else(|| id.to_string(), |m| m.label.clone())
    };
    vec![
        record.id.clone(),
        record.date.clone().unwrap_or_default(),
        r.field.as_str().to_string(),
        r.kind.as_str().to_string(),
        r.source.entity.clone(),
        label(&r.source.entity),
        r.target.entity.clone(),
        label(&r.target.entity),
        r.negated.to_string(),
        r.hedged.to_string(),
        r.rule.clone(),
        r.trigger.text.clone(),
        r.trigger.start.to_string(),
        r.trigger.end.to_string(),
        r.source.start.to_string(),
        r.source.end.to_string(),
        r.target.start.to_string(),
        r.target.end.to_string(),
        r.sentence.start.to_string(),
        r.sentence.end.to_string(),
        r.sentence.text.clone(),
        r.source.office.clone().unwrap_or_default(),
        r.target.office.clone().unwrap_or_default(),
    ]
}

/// The part of a record that relations.csv and `explain` need: its relations, and
/// one mention of each entity they name (for its label). Records without relations
/// give `None`.
pub fn relations_only(record: ArticleRecord) -> Option<ArticleRecord> {
    if record.relations.is_empty() {
        return None;
    }
    let mut record = record;
    let mut mentions = Vec::new();
    for m in std::mem::take(&mut record.mentions) {
        let named = record
            .relations
            .iter()
            .any(|r| r.source.entity == m.entity || r.target.entity == m.entity);
        if named
            && !mentions
                .iter()
                .any(|k: &crate::record::Mention| k.entity == m.entity)
        {
            mentions.push(m);
        }
    }
    record.mentions = mentions;
    Some(record)
}

/// Writes relations.csv: the relations of `records` that the view keeps.
pub fn write_relations(
    dir: &Path,
    records: &[ArticleRecord],
    view: &View,
    options: &ExportOptions,
) -> Result<PathBuf, OutputError> {
    let rows = records.iter().flat_map(|record| {
        record
            .relations
            .iter()
            .filter(|r| view.keeps_relation(r))
            .map(|r| relation_row(record, r))
    });
    fill_table(dir, "relations.csv", RELATION_COLUMNS, rows, options)?.commit()
}

/// OUTDIR/errors.csv, written as problems come (a header only when there are none).
pub struct ErrorsCsv {
    csv: csv::Writer<PendingFile>,
    /// Cells a spreadsheet would read as formulas are made inert (`--excel`).
    excel: bool,
    failed: Option<csv::Error>,
}

impl ErrorsCsv {
    /// Starts errors.csv in `dir`, for Excel as the other tables are under `options`.
    pub fn create(dir: &Path, options: &ExportOptions) -> Result<ErrorsCsv, OutputError> {
        let csv = csv_table(
            dir,
            ERRORS_CSV,
            &["file", "line", "action", "message"],
            options,
        )
        .map_err(|e| errors_csv_error(e.source))?;
        Ok(ErrorsCsv {
            csv,
            excel: options.excel,
            failed: None,
        })
    }

    /// Lists one problem; a failure to write is kept for [`ErrorsCsv::finish`].
    pub fn write(&mut self, p: &InputProblem) {
        let line = p.line.map(|l| l.to_string()).unwrap_or_default();
        let action = if p.recovered { "warning" } else { "skipped" };
        let cell = |text: &'_ str| -> String {
            if self.excel {
                excel_inert(text).into_owned()
            } else {
                text.to_string()
            }
        };
        let row = [cell(&p.file), line, action.to_string(), cell(&p.message)];
        if let Err(e) = self.csv.write_record(&row) {
            self.failed.get_or_insert(e);
        }
    }

    /// Commits the file, or says what went wrong while it was written.
    pub fn finish(self) -> Result<(), OutputError> {
        if let Some(e) = self.failed {
            return Err(errors_csv_error(std::io::Error::other(e)));
        }
        self.csv
            .into_inner()
            .map_err(|e| errors_csv_error(e.into_error()))?
            .commit()?;
        Ok(())
    }
}

/// An error writing errors.csv, named by the file alone (it is still in the staging
/// folder, whose name means nothing to the user).
fn errors_csv_error(source: std::io::Error) -> OutputError {
    OutputError {
        path: PathBuf::from(ERRORS_CSV),
        source,
    }
}
