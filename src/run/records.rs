//! Reading back the article records that `extract` wrote (articles.jsonl), for `graph`,
//! `explain` and `eval`: from files (plain, gzip or zstd, told by their content),
//! folders, or standard input, as `extract` reads articles.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::InputProblem;
use crate::record::{ArticleRecord, Date};
use crate::run::batch::ErrorRecord;
use crate::run::input::DEFAULT_MAX_ARTICLE_BYTES;
use crate::run::input::lines::{LineStatus, read_line_limited};

/// The longest records line read: the record of the largest article `extract` reads by
/// default, with room for its mentions and relations (a record of an article full of
/// names is about ten times the article). A longer line is skipped, never held.
pub const MAX_RECORD_BYTES: usize = 16 * DEFAULT_MAX_ARTICLE_BYTES;

/// A records file that could not be opened or read on.
#[derive(Debug, thiserror::Error)]
#[error("{}{}: {source}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct RecordsError {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line where reading failed; none when the file could not be opened.
    pub line: Option<usize>,
    /// The reason.
    #[source]
    pub source: std::io::Error,
}

/// Reads the records of `path`, handing each to `each`. A bad line (not UTF-8, not
/// JSON, not a record) is handed to `report` and counted; an error record that
/// `extract -o - --error-records` wrote in place of a skipped article is reported as a
/// note (`recovered`), not counted. Returns the count of bad lines.
pub fn read_records(
    path: &Path,
    each: impl FnMut(ArticleRecord),
    report: impl FnMut(&InputProblem),
) -> Result<usize, RecordsError> {
    read_records_limited(path, MAX_RECORD_BYTES, each, report)
}

/// [`read_records`] with lines of at most `limit` bytes: a longer one is reported and
/// counted, and only `limit` bytes and the reader's buffer are ever held.
fn read_records_limited(
    path: &Path,
    limit: usize,
    mut each: impl FnMut(ArticleRecord),
    mut report: impl FnMut(&InputProblem),
) -> Result<usize, RecordsError> {
    let opened = if path.as_os_str() == "-" {
        Ok(Box::new(std::io::stdin()) as Box<dyn Read + Send>)
    } else {
        std::fs::File::open(path).map(|file| Box::new(file) as Box<dyn Read + Send>)
    };
    let mut reader = opened
        .and_then(crate::run::input::decompressed)
        .map_err(|source| RecordsError {
            path: path.to_path_buf(),
            line: None,
            source,
        })?;
    let name = path.display().to_string();
    let mut bad = 0;
    let mut buffer = Vec::new();
    for line_no in 1.. {
        let read =
            read_line_limited(&mut reader, &mut buffer, limit).map_err(|source| RecordsError {
                path: path.to_path_buf(),
                line: Some(line_no),
                source,
            })?;
        let problem = |message: String, recovered: bool| InputProblem {
            file: name.clone(),
            line: Some(line_no),
            message,
            recovered,
        };
        let found = match read {
            LineStatus::End => break,
            LineStatus::TooLong(len) => Some(problem(
                format!("line of {len} bytes is over the limit of {limit} bytes; skipped"),
                false,
            )),
            LineStatus::Line => read_line(&buffer, &problem, &mut each),
        };
        if let Some(found) = found {
            if !found.recovered {
                bad += 1;
            }
            report(&found);
        }
    }
    Ok(bad)
}

/// The record files `paths` name: a file, or `-` for standard input, as it is; a
/// folder's `articles.jsonl` when it holds one (a folder `extract` wrote), or else every
/// file under it whose name holds `.jsonl` (`records-1.jsonl`, `a.jsonl.gz`) or starts
/// with `part-` (Spark's and Hadoop's outputs), in sorted order, hidden entries left
/// out, linked folders not followed. A folder that holds none is an error.
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RecordsError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
        } else if path.join("articles.jsonl").is_file() {
            files.push(path.join("articles.jsonl"));
        } else {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(RecordsError {
                    path: path.clone(),
                    line: None,
                    source: std::io::Error::other(
                        "a folder without records: no articles.jsonl, no *.jsonl* or part-* file",
                    ),
                });
            }
        }
    }
    Ok(files)
}

/// Adds the record files under `folder` to `files`, in sorted order.
fn walk(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), RecordsError> {
    let error = |source| RecordsError {
        path: folder.to_path_buf(),
        line: None,
        source,
    };
    let mut entries = std::fs::read_dir(folder)
        .and_then(|listing| {
            listing
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(error)?;
    entries.sort();
    for entry in entries {
        let name = entry.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        // A linked folder is not followed, so that no link can make the walk loop.
        let linked = std::fs::symlink_metadata(&entry)
            .map_err(error)?
            .is_symlink();
        if entry.is_dir() && !linked {
            walk(&entry, files)?;
        } else if entry.is_file() && (name.contains(".jsonl") || name.starts_with("part-")) {
            files.push(entry);
        }
    }
    Ok(())
}

/// Reads one line of records: hands a record to `each`, or returns what is wrong.
fn read_line(
    buffer: &[u8],
    problem: &dyn Fn(String, bool) -> InputProblem,
    each: &mut impl FnMut(ArticleRecord),
) -> Option<InputProblem> {
    match std::str::from_utf8(buffer) {
        Err(e) => Some(problem(
            format!("not UTF-8 at column {}", e.valid_up_to() + 1),
            false,
        )),
        Ok(line) if line.trim().is_empty() => None,
        Ok(line) => match serde_json::from_str::<ArticleRecord>(line) {
            Ok(record) => match invalid(&record) {
                Some(why) => Some(problem(format!("not an article record: {why}"), false)),
                None => {
                    each(record);
                    None
                }
            },
            Err(e) => match serde_json::from_str::<ErrorRecord>(line) {
                Ok(skipped) => {
                    let at = skipped.line.map(|l| format!(":{l}")).unwrap_or_default();
                    Some(problem(
                        format!(
                            "error record, skipped: {}{at}: {}",
                            skipped.file, skipped.error
                        ),
                        true,
                    ))
                }
                Err(_) => Some(problem(format!("not an article record: {e}"), false)),
            },
        },
    }
}

/// What makes a parsed record unfit for the graph and its files, which write its
/// date, ids and offsets: a date that is not a calendar day, an entity id with a
/// control character, a span that ends before it starts.
fn invalid(record: &ArticleRecord) -> Option<String> {
    if let Some(date) = record.date.as_deref().filter(|d| Date::parse(d).is_none()) {
        let shown: String = date.chars().take(40).collect();
        return Some(format!("`date` {shown:?} is not YYYY-MM-DD"));
    }
    // Ids that differ only in characters XML cannot carry would be one node in GraphML.
    let ids = record.mentions.iter().map(|m| &m.entity).chain(
        record
            .relations
            .iter()
            .flat_map(|r| [&r.source.entity, &r.target.entity]),
    );
    for id in ids {
        if id
            .chars()
            .any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
        {
            let shown: String = id.chars().take(40).collect();
            return Some(format!(
                "entity id {shown:?} holds a control character (gazetteer ids are A-Z a-z 0-9 _ . -)"
            ));
        }
    }
    let spans = record
        .mentions
        .iter()
        .map(|m| ("mention", m.start, m.end))
        .chain(record.relations.iter().flat_map(|r| {
            [
                ("relation source", r.source.start, r.source.end),
                ("relation target", r.target.start, r.target.end),
                ("relation trigger", r.trigger.start, r.trigger.end),
                ("relation sentence", r.sentence.start, r.sentence.end),
            ]
        }))
        .chain(record.unknown.iter().map(|u| ("unknown", u.start, u.end)));
    for (what, start, end) in spans {
        if end < start {
            return Some(format!("a {what} ends ({end}) before it starts ({start})"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_counted_and_error_records_are_notes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        let record = r#"{"id":"a","mentions":[],"relations":[]}"#;
        let error = r#"{"error":"not an article","file":"dump.jsonl","line":7}"#;
        let text = format!("{record}\n\n{{broken\n{error}\n");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"\xff\n");
        std::fs::write(&path, bytes).unwrap();
        let mut ids = Vec::new();
        let mut reported = Vec::new();
        let bad = read_records(
            &path,
            |r| ids.push(r.id),
            |p| reported.push((p.line, p.recovered, p.message.clone())),
        )
        .unwrap();
        assert_eq!(ids, ["a"]);
        assert_eq!(bad, 2);
        assert_eq!(reported.len(), 3);
        assert!(!reported[0].1 && reported[0].2.starts_with("not an article record"));
        assert_eq!(
            reported[1],
            (
                Some(4),
                true,
                "error record, skipped: dump.jsonl:7: not an article".to_string()
            )
        );
        assert_eq!(
            reported[2],
            (Some(5), false, "not UTF-8 at column 1".to_string())
        );
        let missing = read_records(&dir.path().join("none.jsonl"), |_| {}, |_| {});
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .ends_with("none.jsonl: No such file or directory (os error 2)")
        );
    }

    /// A line over the limit is skipped and counted, without being held, and the
    /// records after it are read; so are records whose date or offsets the graph
    /// files would carry wrongly.
    #[test]
    fn long_lines_and_invalid_fields_are_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        let good = r#"{"id":"a","date":"2018-04-01","mentions":[],"relations":[]}"#;
        let long = format!(
            r#"{{"id":"{}","mentions":[],"relations":[]}}"#,
            "x".repeat(500)
        );
        let date = r#"{"id":"d","date":"2018\" x=\"1","mentions":[],"relations":[]}"#;
        let day = r#"{"id":"e","date":"2018-02-31","mentions":[],"relations":[]}"#;
        let span = r#"{"id":"s","mentions":[{"start":9,"end":2,"text":"x","type":"PER","entity":"x","label":"X","field":"text"}],"relations":[]}"#;
        std::fs::write(
            &path,
            format!("{good}\n{long}\n{date}\n{day}\n{span}\n{good}\n"),
        )
        .unwrap();
        let mut ids = Vec::new();
        let mut reported = Vec::new();
        let bad = read_records_limited(
            &path,
            200,
            |r| ids.push(r.id),
            |p| reported.push((p.line, p.message.clone())),
        )
        .unwrap();
        assert_eq!(ids, ["a", "a"]);
        assert_eq!(bad, 4, "{reported:?}");
        let lines: Vec<Option<usize>> = reported.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4), Some(5)]);
        assert_eq!(
            reported[0].1,
            "line of 538 bytes is over the limit of 200 bytes; skipped"
        );
        assert!(reported[1].1.contains("is not YYYY-MM-DD"), "{reported:?}");
        assert!(reported[2].1.contains("is not YYYY-MM-DD"), "{reported:?}");
        assert!(
            reported[3]
                .1
                .contains("a mention ends (2) before it starts (9)"),
            "{reported:?}"
        );
    }
}
