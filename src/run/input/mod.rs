//! Readers: .txt files, JSON Lines, CSV and TSV tables (each plain, gzip or zstd),
//! folders, standard input.
//!
//! Reading streams: one line (one article) at a time, so memory does not grow with
//! the dump. Problems with one article or one file become [`InputProblem`]s that the
//! batch reports and counts; the rest of the input is still read.
//!
//! What counts as a problem, and what the reader does about it:
//!
//! | input | what happens |
//! | --- | --- |
//! | a line that is not JSON, or not an object with string `id` and `text` | skipped |
//! | an empty `id` | skipped |
//! | a raw NUL byte in a line (not the `\u0000` escape) or in a CSV row | skipped |
//! | a line (or a .txt file) over the size limit | skipped, streamed past, never held |
//! | a CSV or TSV row over the size limit | skipped (the row is held once while it is read) |
//! | a CSV or TSV row without the text column, or with an empty id | skipped |
//! | a CSV or TSV header without the text column (or a column named by an option) | file skipped |
//! | a CSV or TSV header without an id column (and none named) | ids are `STEM-LINE`, warning |
//! | invalid UTF-8 | decoded with U+FFFD, warning |
//! | raw control characters inside a JSON string | escaped, warning |
//! | a `date` that is not `YYYY-MM-DD`, a `title` that is not a string | dropped, warning |
//! | an empty file, a binary or UTF-16 file, a JSON array or pretty-printed JSON | file skipped |
//! | a file compressed other than with gzip or zstd (bzip2, xz, zip, 7-zip) | file skipped |
//! | a truncated or corrupt .gz or .zst | articles before the cut kept, rest of the file skipped |
//! | a file that cannot be opened or read | file skipped |
//! | in a folder: an unknown extension, a FIFO, socket or device | file skipped |
//! | in a folder: a hidden entry (name starting with `.`) | not read |
//! | in a folder: a folder reached twice through symbolic links | read once, warning |
//!
//! Compression is recognised by its magic bytes, whatever the file is called; the
//! extension behind `.gz`, `.zst` or `.zstd` tells the format (`.txt`, `.jsonl`,
//! `.csv`, `.tsv`).
//!
//! What lives where: this file holds the types the reader hands out and the loop over
//! sources and files; `walk.rs` turns paths and folders into files and tells a format
//! by its extension; `compression.rs` looks at a stream's first bytes, undoing gzip and
//! zstd and refusing what holds no articles; `lines.rs`, `table.rs` and `text.rs` read
//! JSON Lines, CSV and TSV tables and .txt files; `fields.rs` holds the checks they
//! share (UTF-8, dates, titles).

mod compression;
mod fields;
pub(crate) mod lines;
mod rows;
mod table;
mod text;
mod walk;

use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::InputProblem;
use crate::record::Article;

use compression::Compression;
use lines::{LineStatus, Lines, parse_line, read_line_limited, too_long};
use table::{Table, read_table_row};
use text::read_text_article;

/// Default limit on one article (one line of JSON, or one .txt file): 10 MB.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 10 * 1024 * 1024;

/// Bytes read per system call (or decompressed per call) from a file or a stream: an
/// article line is a few kilobytes, whole lines are parsed where they lie, and
/// std's 8 KB default would make a system call every few lines.
const READ_BUFFER: usize = 256 * 1024;

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
        /// The file it was read from (`-` for standard input).
        file: Arc<str>,
        /// Its 1-based line, for JSON Lines and tables (where the row starts).
        line: Option<usize>,
    },
    /// An article or file that could not be read.
    Problem(InputProblem),
}

/// Which columns of a CSV or TSV file hold the article's fields. A column left `None`
/// is looked for under its usual names (case and surrounding spaces do not matter):
/// `id`; `date`; `title` or `headline`; `text`, `body` or `content`. A table without
/// an id column gets ids `STEM-LINE` (file name without extensions, row line), and a
/// warning; one without a text column is skipped. A column that is named but missing
/// skips the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// The id column (`--id-column`).
    pub id: Option<String>,
    /// The date column, `YYYY-MM-DD` (`--date-column`).
    pub date: Option<String>,
    /// The headline column (`--title-column`).
    pub title: Option<String>,
    /// The body column (`--text-column`).
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Lines,
    /// CSV (`,`) or TSV (tab) with a header row.
    Table(u8),
}

enum Body {
    Text(Box<dyn BufRead + Send>),
    Lines(Box<dyn BufRead + Send>),
    Table(Box<Table>),
}

struct OpenFile {
    name: Arc<str>,
    body: Body,
    stem: String,
    line: usize,
    /// The compression the bytes come through, if any.
    compression: Option<Compression>,
    /// True once a non-blank line was read.
    seen_content: bool,
}

/// Something to read: a path (given by the user, or found in a folder), or a stream.
enum Source {
    Path {
        path: PathBuf,
        explicit: bool,
        /// The folder given by the user that this path was found in, if any: a
        /// table's generated ids name the file by its path from there.
        root: Option<Arc<Path>>,
    },
    Reader {
        name: String,
        reader: Box<dyn Read + Send>,
    },
}

/// Streams articles from paths (files, folders, `-` for stdin), in order.
pub struct Inputs {
    pending: VecDeque<Source>,
    current: Option<OpenFile>,
    max_bytes: usize,
    columns: Columns,
    buffer: Vec<u8>,
    /// Folders already listed (canonical paths), so that symbolic links cannot make
    /// the reader loop or read a folder twice.
    listed: HashSet<PathBuf>,
    /// Problems found while opening a file that do not stop it (a table without an id
    /// column), handed out before its first article.
    queued: VecDeque<InputProblem>,
    /// Lines parsed from a file's read buffer, waiting to be handed out.
    parsed: VecDeque<Item>,
}

impl Inputs {
    /// Reads `paths` in order; folders are read recursively in sorted order.
    pub fn new(paths: &[PathBuf]) -> Inputs {
        Inputs {
            pending: paths
                .iter()
                .map(|p| Source::Path {
                    path: p.clone(),
                    explicit: true,
                    root: None,
                })
                .collect(),
            current: None,
            max_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            columns: Columns::default(),
            buffer: Vec::new(),
            listed: HashSet::new(),
            queued: VecDeque::new(),
            parsed: VecDeque::new(),
        }
    }

    /// Reads JSON Lines (plain, gzip or zstd) from `reader`; problems name it `name`.
    pub fn from_reader(name: impl Into<String>, reader: impl Read + Send + 'static) -> Inputs {
        Inputs {
            pending: VecDeque::from([Source::Reader {
                name: name.into(),
                reader: Box::new(reader),
            }]),
            ..Inputs::new(&[])
        }
    }

    /// Sets the size limit of one article, in bytes.
    pub fn max_article_bytes(mut self, limit: usize) -> Inputs {
        self.max_bytes = limit;
        self
    }

    /// Sets the columns read from CSV and TSV files.
    pub fn columns(mut self, columns: Columns) -> Inputs {
        self.columns = columns;
        self
    }

    fn next_in_file(&mut self) -> Option<Item> {
        let file = self.current.as_mut()?;
        match &mut file.body {
            Body::Text(reader) => {
                let item = read_text_article(
                    reader,
                    &file.name,
                    &file.stem,
                    file.compression,
                    self.max_bytes,
                );
                self.current = None;
                Some(item)
            }
            Body::Table(table) => {
                let item = read_table_row(
                    table,
                    &file.name,
                    &file.stem,
                    file.compression,
                    self.max_bytes,
                    &mut file.seen_content,
                );
                if item.as_ref().is_none_or(|(_, last)| *last) {
                    self.current = None;
                }
                item.map(|(item, _)| item)
            }
            Body::Lines(reader) => loop {
                if let Some(item) = self.parsed.pop_front() {
                    return Some(item);
                }
                // The complete lines in the reader's buffer are parsed where they lie, all
                // at once; a line that runs past the buffer's end is gathered into
                // `self.buffer`.
                let status = match reader.fill_buf() {
                    Ok(available) => match memchr::memrchr(b'\n', available) {
                        Some(last) => {
                            let block = &available[..=last];
                            let lines = Lines {
                                file: &file.name,
                                first: file.line + 1,
                                limit: self.max_bytes,
                            };
                            let (count, seen) = lines.parse(block, &mut self.parsed);
                            reader.consume(last + 1);
                            file.line += count;
                            file.seen_content |= seen;
                            continue;
                        }
                        None => read_line_limited(reader, &mut self.buffer, self.max_bytes),
                    },
                    Err(e) => Err(e),
                };
                file.line += 1;
                let line = file.line;
                let problem = |message: String| InputProblem {
                    file: file.name.to_string(),
                    line: Some(line),
                    message,
                    recovered: false,
                };
                match status {
                    Err(e) => {
                        let message = match file.compression {
                            Some(kind) => format!(
                                "the {} stream is cut short or corrupt ({e}); the articles before this line were read, the rest of the file is lost",
                                kind.name()
                            ),
                            None => format!("read error ({e}); the rest of the file is skipped"),
                        };
                        let item = Item::Problem(problem(message));
                        self.current = None;
                        return Some(item);
                    }
                    Ok(LineStatus::End) => {
                        let item = (!file.seen_content).then(|| {
                            Item::Problem(InputProblem {
                                line: None,
                                ..problem("empty file: no articles; skipped".to_string())
                            })
                        });
                        self.current = None;
                        return item;
                    }
                    Ok(LineStatus::TooLong(len)) => {
                        file.seen_content = true;
                        return Some(too_long(&file.name, line, len, self.max_bytes));
                    }
                    Ok(LineStatus::Line) => {
                        if self.buffer.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        file.seen_content = true;
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
            if let Some(problem) = self.queued.pop_front() {
                return Some(Item::Problem(problem));
            }
            if self.current.is_some() {
                if let Some(item) = self.next_in_file() {
                    return Some(item);
                }
                continue;
            }
            let opened = match self.pending.pop_front()? {
                Source::Path {
                    path,
                    explicit,
                    root,
                } => self.open(&path, explicit, root),
                Source::Reader { name, reader } => self.start(
                    Arc::from(name),
                    BufReader::with_capacity(READ_BUFFER, reader),
                    Format::Lines,
                    String::new(),
                    None,
                ),
            };
            match opened {
                Ok(Some(file)) => self.current = Some(file),
                Ok(None) => {}
                Err(problem) => return Some(Item::Problem(problem)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines are parsed where they lie in the read buffer, several at once, or gathered
    /// when they run past its end: either way every line is read whole and alone, with
    /// its number, and says what the line-by-line reading said of it, whether it ends
    /// in CRLF, is blank, malformed, two objects, half of one, followed by a character
    /// JSON does not take for a space, over the limit, or holds bytes that are not
    /// UTF-8 or raw control characters (read with a warning).
    #[test]
    fn lines_across_the_read_buffer_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.jsonl");
        // Three buffers' worth of lines of uneven length, so that many cross an end.
        let mut data: Vec<u8> = Vec::new();
        let mut expected = Vec::new();
        let mut line = 0;
        while data.len() < 3 * READ_BUFFER {
            line += 1;
            let text = "استقبل الرئيس تبون فائز السراج في الجزائر. ".repeat(line % 97);
            let id = format!("a{line}");
            match line % 97 {
                13 => data.extend_from_slice(b"  \t \n"),
                41 => data.extend_from_slice(b"{\"id\": \"broken\"\n"),
                59 => data.extend_from_slice(
                    format!("{{\"id\":\"long\",\"text\":\"{}\"}}\n", "ا".repeat(15_000)).as_bytes(),
                ),
                67 => data.extend_from_slice(
                    b"{\"id\":\"x\",\"text\":\"y\"} {\"id\":\"z\",\"text\":\"w\"}\n",
                ),
                71 => data.extend_from_slice(b"{\"id\":\"x\",\n"),
                79 => data.extend_from_slice(b"{\"id\":\"x\",\"text\":\"y\"}\x0C\n"),
                72 => data.extend_from_slice(b"\"text\":\"y\"}\n"),
                83 => {
                    data.extend_from_slice(format!("{{\"id\":\"{id}\",\"url\":\"").as_bytes());
                    data.extend_from_slice(b"\xFF\",");
                    data.extend_from_slice(format!("\"text\":\"{text}\"}}\n").as_bytes());
                    expected.push((id, text, line, 1));
                }
                89 => {
                    data.extend_from_slice(
                        format!("{{\"id\":\"{id}\",\"text\":\"{text}\u{1}\"}}\n").as_bytes(),
                    );
                    expected.push((id, format!("{text}\u{1}"), line, 1));
                }
                n => {
                    let end = if n % 2 == 0 { "\r\n" } else { "\n" };
                    data.extend_from_slice(
                        format!("{{\"id\":\"{id}\",\"text\":\"{text}\"}}{end}").as_bytes(),
                    );
                    expected.push((id, text, line, 0));
                }
            }
        }
        std::fs::write(&path, &data).unwrap();
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        for item in Inputs::new(&[path]).max_article_bytes(20_000) {
            match item {
                Item::Article {
                    article,
                    line,
                    warnings,
                    ..
                } => articles.push((article.id, article.text, line.unwrap(), warnings.len())),
                Item::Problem(problem) => problems.push((problem.line.unwrap(), problem.message)),
            }
        }
        assert_eq!(articles, expected);
        assert!(problems.len() >= 2 * 6, "{problems:?}");
        for (line, message) in problems {
            let expected = match line % 97 {
                41 | 71 => "EOF while parsing",
                59 => "over the limit",
                67 | 79 => "trailing characters",
                72 => "invalid type",
                _ => panic!("line {line}: {message}"),
            };
            assert!(message.contains(expected), "line {line}: {message}");
        }
    }
}
