//! CSV and TSV tables: the header row tells which columns hold an article's fields,
//! then each row is an article.

use std::io::BufRead;
use std::sync::Arc;

use super::compression::Compression;
use super::fields::{check_date, check_title};
use super::rows::{Row, Rows};
use super::{Article, Columns, Item};
use crate::error::InputProblem;

/// Column names tried, in order, when no column is named for a field of a table (and
/// field names, for a JSON object).
pub(super) const DEFAULT_ID_COLUMNS: &[&str] = &["id"];
pub(super) const DEFAULT_DATE_COLUMNS: &[&str] =
    &["date", "published", "published_at", "pubdate", "datetime"];
pub(super) const DEFAULT_TITLE_COLUMNS: &[&str] = &["title", "headline"];
pub(super) const DEFAULT_TEXT_COLUMNS: &[&str] = &["text", "body", "content"];

/// A CSV or TSV file being read, with the positions of the article's columns.
pub(super) struct Table {
    rows: Rows,
    record: csv::ByteRecord,
    id: Option<usize>,
    date: Option<usize>,
    title: Option<usize>,
    text: usize,
    names: Vec<String>,
}

/// Why a table's header makes its file skipped: the line, the message, and whether a
/// column is missing (rather than the header unreadable).
pub(super) type HeaderError = (Option<usize>, String, bool);

/// Reads a table's header (of at most `limit` bytes, as every row) and finds the
/// article's columns. Returns the table and a warning (no id column), or the line and
/// message of why the file is skipped, and whether that is a column missing from the
/// header (rather than a header that could not be read).
pub(super) fn open_table(
    reader: Box<dyn BufRead + Send>,
    delimiter: u8,
    columns: &Columns,
    compression: Option<Compression>,
    stem: &str,
    limit: usize,
) -> Result<(Table, Option<String>), HeaderError> {
    let mut rows = Rows::new(reader, delimiter, limit);
    let mut header = csv::ByteRecord::new();
    let read = rows.next_row(&mut header).map_err(|e| match compression {
        Some(kind) => (Some(1), kind.cannot_decompress(&e), false),
        None => (Some(1), format!("cannot read the header row: {e}"), false),
    })?;
    match read {
        Row::Fields(_) | Row::End => {}
        Row::TooLong(line, bytes) => {
            return Err((
                Some(line),
                format!(
                    "header row of {bytes} bytes is over the limit of {limit} bytes (--max-article-bytes)"
                ),
                false,
            ));
        }
        Row::Unclosed(line, _) => {
            return Err((
                Some(line),
                "a quote in the header row is never closed".to_string(),
                false,
            ));
        }
    }
    let names: Vec<String> = header
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_string())
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err((None, "empty file: no header row".to_string(), false));
    }
    let listing = || {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let find = |chosen: &Option<String>, defaults: &[&str], option: &str| {
        let wanted: Vec<&str> = match chosen {
            Some(name) => vec![name.trim()],
            None => defaults.to_vec(),
        };
        let index = wanted.iter().find_map(|w| {
            names
                .iter()
                .position(|n| n == w)
                .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(w)))
        });
        match (index, chosen) {
            (None, Some(name)) => Err((
                Some(1),
                format!(
                    "no column `{name}` (--{option}) in the header; its columns are {}",
                    listing()
                ),
                true,
            )),
            (index, _) => Ok(index),
        }
    };
    let id = find(&columns.id, DEFAULT_ID_COLUMNS, "id-column")?;
    let date = find(&columns.date, DEFAULT_DATE_COLUMNS, "date-column")?;
    let title = find(&columns.title, DEFAULT_TITLE_COLUMNS, "title-column")?;
    let text = find(&columns.text, DEFAULT_TEXT_COLUMNS, "text-column")?.ok_or_else(|| {
        (
            Some(1),
            format!(
                "no text column (`text`, `body` or `content`) in the header; its columns are {}; name it with --text-column",
                listing()
            ),
            true,
        )
    })?;
    let warning = id.is_none().then(|| {
        format!(
            "no id column (`id`) in the header; articles are named `{stem}-LINE` (name the column with --id-column)"
        )
    });
    Ok((
        Table {
            rows,
            record: csv::ByteRecord::new(),
            id,
            date,
            title,
            text,
            names,
        },
        warning,
    ))
}

/// Reads the next row of a table: the item, and whether the file ends with it; `None`
/// at the end.
pub(super) fn read_table_row(
    table: &mut Table,
    name: &Arc<str>,
    stem: &str,
    compression: Option<Compression>,
    limit: usize,
    seen_content: &mut bool,
) -> Option<(Item, bool)> {
    let problem = |line: Option<usize>, message: String| {
        Item::Problem(InputProblem {
            file: name.to_string(),
            line,
            message,
            recovered: false,
        })
    };
    loop {
        let read = table.rows.next_row(&mut table.record);
        let line = match &read {
            Ok(Row::Fields(line) | Row::TooLong(line, _) | Row::Unclosed(line, _)) => Some(*line),
            _ => Some(table.rows.line()),
        };
        match read {
            Ok(Row::TooLong(_, size)) => {
                *seen_content = true;
                return Some((
                    problem(
                        line,
                        format!(
                            "row of {size} bytes is over the limit of {limit} bytes (--max-article-bytes); skipped"
                        ),
                    ),
                    false,
                ));
            }
            Ok(Row::Unclosed(_, lost)) => {
                *seen_content = true;
                let rest = if lost == 0 {
                    "the lines after it are read again".to_string()
                } else {
                    format!(
                        "the lines after it are read again as far as the limit of {limit} bytes (--max-article-bytes) held them; the {lost} bytes after those are lost"
                    )
                };
                return Some((
                    problem(
                        line,
                        format!(
                            "a quote opened on this line is never closed, so the row ran to the end of the file; skipped, and {rest}"
                        ),
                    ),
                    false,
                ));
            }
            Ok(Row::End) => {
                return (!*seen_content).then(|| {
                    (
                        problem(
                            None,
                            "no rows after the header: no articles; skipped".into(),
                        ),
                        true,
                    )
                });
            }
            Err(e) => {
                let message = match compression {
                    Some(kind) => format!(
                        "the {} stream is cut short or corrupt ({e}); the articles before this line were read, the rest of the file is lost",
                        kind.name()
                    ),
                    None => format!("read error ({e}); the rest of the file is skipped"),
                };
                *seen_content = true;
                return Some((problem(line, message), true));
            }
            Ok(Row::Fields(_)) => {}
        }
        let record = &table.record;
        if record.iter().all(|field| field.trim_ascii().is_empty()) {
            continue;
        }
        *seen_content = true;
        let size = record.as_slice().len();
        if record.as_slice().contains(&0) {
            return Some((
                problem(line, "raw NUL byte in the row; skipped".into()),
                false,
            ));
        }
        if record.get(table.text).is_none() {
            return Some((
                problem(
                    line,
                    format!(
                        "row has {} fields but the text column `{}` is field {} of the header; skipped",
                        record.len(),
                        table.names[table.text],
                        table.text + 1
                    ),
                ),
                false,
            ));
        }
        let mut warnings = Vec::new();
        let field = |index: Option<usize>, warnings: &mut Vec<InputProblem>| {
            let bytes = record.get(index?)?;
            Some(match std::str::from_utf8(bytes) {
                Ok(text) => text.to_string(),
                Err(e) => {
                    warnings.push(InputProblem {
                        file: name.to_string(),
                        line,
                        message: format!(
                            "invalid UTF-8 in column `{}` at byte {}; decoded with replacement characters",
                            table.names[index.unwrap_or_default()],
                            e.valid_up_to()
                        ),
                        recovered: true,
                    });
                    String::from_utf8_lossy(bytes).into_owned()
                }
            })
        };
        let text = field(Some(table.text), &mut warnings).unwrap_or_default();
        let id = match table.id {
            Some(index) => match field(Some(index), &mut warnings) {
                Some(id) if !id.trim().is_empty() => id.trim().to_string(),
                _ => return Some((problem(line, "`id` is empty; skipped".into()), false)),
            },
            None => format!("{stem}-{}", line.unwrap_or_default()),
        };
        let date = field(table.date, &mut warnings).map(serde_json::Value::String);
        let title = field(table.title, &mut warnings).map(serde_json::Value::String);
        let date = check_date(date, name, line, &mut warnings);
        let title = check_title(title, name, line, &mut warnings);
        return Some((
            Item::Article {
                article: Article {
                    id,
                    date,
                    title,
                    text,
                },
                bytes: size,
                warnings,
                file: name.clone(),
                line,
            },
            false,
        ));
    }
}
