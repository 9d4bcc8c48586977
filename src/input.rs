//! Readers: .txt files, JSON Lines (plain or gzip), folders, standard input.
//!
//! Reading streams: one line (one article) at a time, so memory does not grow with
//! the dump. Problems with one article or one file become [`InputProblem`]s that the
//! batch reports and counts; the rest of the input is still read.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::InputProblem;
use crate::gazetteer::Date;

/// Default limit on one article (one line of JSON, or one .txt file): 10 MB.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 10 * 1024 * 1024;

/// One news article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Id, unique in the batch (a .txt file's name without extension).
    pub id: String,
    /// Date, `YYYY-MM-DD`, when known: titles resolve to office holders by it.
    pub date: Option<String>,
    /// Headline, when separate from the text.
    pub title: Option<String>,
    /// Body.
    pub text: String,
}

/// What the reader yields: an article (with warnings, if it was repaired) or a problem.
#[derive(Debug)]
pub enum Item {
    /// An article, with the place it came from.
    Article {
        /// The article.
        article: Article,
        /// Its size in bytes as read, for throughput figures.
        bytes: usize,
        /// Repairs made while reading (lossy UTF-8, a dropped bad date).
        warnings: Vec<InputProblem>,
    },
    /// An article or file that could not be read.
    Problem(InputProblem),
}

#[derive(Deserialize)]
struct RawArticle {
    id: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    text: String,
}

enum Format {
    Text,
    Lines,
}

struct OpenFile {
    name: String,
    reader: Box<dyn BufRead + Send>,
    format: Format,
    stem: String,
    line: usize,
}

/// Streams articles from paths (files, folders, `-` for stdin), in order.
pub struct Inputs {
    pending: VecDeque<(PathBuf, bool)>,
    current: Option<OpenFile>,
    max_bytes: usize,
    buffer: Vec<u8>,
}

impl Inputs {
    /// Reads `paths` in order; folders are read recursively in sorted order.
    pub fn new(paths: &[PathBuf]) -> Inputs {
        Inputs {
            pending: paths.iter().map(|p| (p.clone(), true)).collect(),
            current: None,
            max_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            buffer: Vec::new(),
        }
    }

    /// Sets the size limit of one article, in bytes.
    pub fn max_article_bytes(mut self, limit: usize) -> Inputs {
        self.max_bytes = limit;
        self
    }

    fn open(&mut self, path: &Path, explicit: bool) -> Result<Option<OpenFile>, InputProblem> {
        let name = path.display().to_string();
        let problem = |message: String| InputProblem {
            file: name.clone(),
            line: None,
            message,
            recovered: false,
        };
        if name == "-" {
            return Ok(Some(OpenFile {
                name,
                reader: Box::new(BufReader::new(io::stdin())),
                format: Format::Lines,
                stem: "stdin".to_string(),
                line: 0,
            }));
        }
        let metadata = std::fs::metadata(path).map_err(|e| problem(format!("cannot read: {e}")))?;
        if metadata.is_dir() {
            let mut entries = Vec::new();
            let listing =
                std::fs::read_dir(path).map_err(|e| problem(format!("cannot list folder: {e}")))?;
            for entry in listing {
                let entry = entry.map_err(|e| problem(format!("cannot list folder: {e}")))?;
                entries.push(entry.path());
            }
            entries.sort();
            for entry in entries.into_iter().rev() {
                self.pending.push_front((entry, false));
            }
            return Ok(None);
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let plain_name = file_name.strip_suffix(".gz").unwrap_or(&file_name);
        let (stem, extension) = match plain_name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_string(), ext.to_ascii_lowercase()),
            None => (plain_name.to_string(), String::new()),
        };
        let format = match extension.as_str() {
            "txt" => Format::Text,
            "jsonl" | "ndjson" | "json" => Format::Lines,
            _ if explicit => Format::Lines,
            _ => {
                return Err(InputProblem {
                    recovered: true,
                    ..problem("skipped: not .txt, .jsonl or .jsonl.gz".to_string())
                });
            }
        };
        let file = File::open(path).map_err(|e| problem(format!("cannot open: {e}")))?;
        let mut buffered = BufReader::new(file);
        let head = buffered
            .fill_buf()
            .map_err(|e| problem(format!("cannot read: {e}")))?;
        let reader: Box<dyn BufRead + Send> = if head.starts_with(&[0x1f, 0x8b]) {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(buffered)))
        } else {
            Box::new(buffered)
        };
        Ok(Some(OpenFile {
            name,
            reader,
            format,
            stem,
            line: 0,
        }))
    }

    fn next_in_file(&mut self) -> Option<Item> {
        let file = self.current.as_mut()?;
        match file.format {
            Format::Text => {
                let item = read_text_article(file, self.max_bytes);
                self.current = None;
                Some(item)
            }
            Format::Lines => loop {
                file.line += 1;
                let line = file.line;
                let status = read_line_limited(&mut file.reader, &mut self.buffer, self.max_bytes);
                let problem = |message: String| InputProblem {
                    file: file.name.clone(),
                    line: Some(line),
                    message,
                    recovered: false,
                };
                match status {
                    Err(e) => {
                        let item = Item::Problem(problem(format!(
                            "read error, rest of file skipped: {e}"
                        )));
                        self.current = None;
                        return Some(item);
                    }
                    Ok(LineStatus::End) => {
                        self.current = None;
                        return None;
                    }
                    Ok(LineStatus::TooLong(len)) => {
                        return Some(Item::Problem(problem(format!(
                            "line of {len} bytes is over the limit of {} bytes; skipped",
                            self.max_bytes
                        ))));
                    }
                    Ok(LineStatus::Line) => {
                        if self.buffer.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some(parse_line(&file.name, line, &self.buffer));
                    }
                }
            },
        }
    }
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_in_file() {
                    return Some(item);
                }
                continue;
            }
            let (path, explicit) = self.pending.pop_front()?;
            match self.open(&path, explicit) {
                Ok(Some(file)) => self.current = Some(file),
                Ok(None) => {}
                Err(problem) => return Some(Item::Problem(problem)),
            }
        }
    }
}

enum LineStatus {
    Line,
    TooLong(usize),
    End,
}

/// Reads one line into `buffer` (without the newline), but never holds more than
/// `limit` bytes: a longer line is consumed and reported with its length.
fn read_line_limited(
    reader: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> io::Result<LineStatus> {
    buffer.clear();
    let mut total = 0usize;
    let mut read_any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, found_newline) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], true),
            None => (available, false),
        };
        total += chunk.len();
        if total <= limit {
            buffer.extend_from_slice(chunk);
        }
        let consumed = chunk.len() + usize::from(found_newline);
        reader.consume(consumed);
        if found_newline {
            break;
        }
    }
    if !read_any {
        return Ok(LineStatus::End);
    }
    if total > limit {
        buffer.clear();
        return Ok(LineStatus::TooLong(total));
    }
    if buffer.last() == Some(&b'\r') {
        buffer.pop();
    }
    Ok(LineStatus::Line)
}

fn decode(
    bytes: &[u8],
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(e) => {
            warnings.push(InputProblem {
                file: file.to_string(),
                line,
                message: format!(
                    "invalid UTF-8 at byte {}; decoded with replacement characters",
                    e.valid_up_to()
                ),
                recovered: true,
            });
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

fn check_date(
    date: Option<String>,
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> Option<String> {
    let date = date.filter(|d| !d.trim().is_empty())?;
    if Date::parse(&date).is_some() {
        return Some(date);
    }
    warnings.push(InputProblem {
        file: file.to_string(),
        line,
        message: format!("date `{date}` is not YYYY-MM-DD; read without a date"),
        recovered: true,
    });
    None
}

fn parse_line(file: &str, line: usize, bytes: &[u8]) -> Item {
    let mut warnings = Vec::new();
    let text = decode(bytes, file, Some(line), &mut warnings);
    match serde_json::from_str::<RawArticle>(&text) {
        Ok(raw) => {
            let date = check_date(raw.date, file, Some(line), &mut warnings);
            Item::Article {
                article: Article {
                    id: raw.id,
                    date,
                    title: raw.title.filter(|t| !t.trim().is_empty()),
                    text: raw.text,
                },
                bytes: bytes.len(),
                warnings,
            }
        }
        Err(e) => Item::Problem(InputProblem {
            file: file.to_string(),
            line: Some(line),
            message: format!(
                "not an article ({e}); expected a JSON object with string fields id and text, optional date and title"
            ),
            recovered: false,
        }),
    }
}

fn read_text_article(file: &mut OpenFile, limit: usize) -> Item {
    let problem = |message: String| {
        Item::Problem(InputProblem {
            file: file.name.clone(),
            line: None,
            message,
            recovered: false,
        })
    };
    let mut bytes = Vec::new();
    let limit_plus_one = (limit as u64).saturating_add(1);
    if let Err(e) = (&mut file.reader)
        .take(limit_plus_one)
        .read_to_end(&mut bytes)
    {
        return problem(format!("cannot read: {e}"));
    }
    if bytes.len() > limit {
        return problem(format!("file is over the limit of {limit} bytes; skipped"));
    }
    if bytes.contains(&0) {
        return problem("binary file (NUL bytes); skipped".to_string());
    }
    let mut warnings = Vec::new();
    let text = decode(&bytes, &file.name, None, &mut warnings);
    if text.trim().is_empty() {
        return problem("empty file; skipped".to_string());
    }
    Item::Article {
        article: Article {
            id: file.stem.clone(),
            date: None,
            title: None,
            text,
        },
        bytes: bytes.len(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_consumed_not_held() {
        let data = format!("{}\nshort\n", "x".repeat(100));
        let mut reader = BufReader::with_capacity(8, data.as_bytes());
        let mut buffer = Vec::new();
        assert!(matches!(
            read_line_limited(&mut reader, &mut buffer, 10).unwrap(),
            LineStatus::TooLong(100)
        ));
        assert!(matches!(
            read_line_limited(&mut reader, &mut buffer, 10).unwrap(),
            LineStatus::Line
        ));
        assert_eq!(buffer, b"short");
        assert!(matches!(
            read_line_limited(&mut reader, &mut buffer, 10).unwrap(),
            LineStatus::End
        ));
    }

    /// (line, expected message fragment): one row per way a line goes wrong.
    const BAD_LINES: &[(&str, &str)] = &[
        (
            "{\"id\": 5, \"text\": \"x\"}",
            "invalid type: integer `5`, expected a string",
        ),
        ("{\"id\": \"a\"}", "missing field `text`"),
        ("not json", "expected ident at line 1 column 2"),
        (
            "{\"id\": \"a\", \"text\": \"x\"",
            "EOF while parsing an object",
        ),
        ("{\"id\": \"a\", \"text\": 3}", "invalid type: integer `3`"),
    ];

    #[test]
    fn bad_lines_say_what_is_wrong() {
        for (line, expected) in BAD_LINES {
            match parse_line("dump.jsonl", 7, line.as_bytes()) {
                Item::Problem(p) => {
                    let message = p.to_string();
                    assert!(message.starts_with("dump.jsonl:7: "), "{message}");
                    assert!(message.contains(expected), "{message}");
                }
                Item::Article { .. } => panic!("{line} was accepted"),
            }
        }
    }

    #[test]
    fn a_bad_date_is_dropped_with_a_warning() {
        let item = parse_line(
            "d.jsonl",
            1,
            "{\"id\":\"a\",\"date\":\"23/06/2020\",\"text\":\"ليبيا\"}".as_bytes(),
        );
        let Item::Article {
            article, warnings, ..
        } = item
        else {
            panic!("rejected")
        };
        assert_eq!(article.date, None);
        assert!(warnings[0].message.contains("not YYYY-MM-DD"));
    }
}
