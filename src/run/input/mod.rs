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
//! | a line that is not JSON, or not an object with a `text` (`body`, `content`) string | skipped |
//! | an `id` that is not a string or a whole number, or is empty | skipped |
//! | a JSON object without an `id` | id `STEM-LINE`, warning (once a file) |
//! | a raw NUL byte in a line (not the `\u0000` escape) or in a CSV row | skipped |
//! | a line (or a .txt file) over the size limit | skipped, streamed past, never held |
//! | a CSV or TSV row over the size limit | skipped (the row is held once while it is read) |
//! | a CSV or TSV row without the text column, or with an empty id | skipped |
//! | a CSV or TSV header without the text column (or a column named by an option) | file skipped |
//! | a CSV or TSV header without an id column (and none named) | ids are `STEM-LINE`, warning |
//! | invalid UTF-8 | decoded with U+FFFD, warning |
//! | raw control characters inside a JSON string | escaped, warning |
//! | a `date` that is not `YYYY-MM-DD` or a timestamp starting with one, a `title` that is not a string | dropped, warning |
//! | an empty file, a binary or UTF-16 file, a JSON array or pretty-printed JSON | file skipped |
//! | an empty standard input | no articles, a note |
//! | standard input that is neither JSON Lines nor CSV or TSV (by its first line) | skipped |
//! | a file compressed other than with gzip or zstd (bzip2, xz, zip, 7-zip) | file skipped |
//! | a truncated or corrupt .gz or .zst | articles before the cut kept, rest of the file skipped |
//! | a file that cannot be opened or read | file skipped |
//! | in a folder: an unknown extension, a FIFO, socket or device | file skipped |
//! | in a folder: a hidden entry (name starting with `.`) | not read |
//! | in a folder: a name `--exclude` matches, or a file name no `--glob` matches | not read |
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

use walk::FolderId;

use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::InputProblem;
use crate::record::Article;

use compression::Compression;
pub(crate) use compression::decompressed;
use lines::{LineStatus, Lines, read_line_limited, too_long};
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

/// Which columns of a CSV or TSV file, or fields of a JSON Lines object, hold the
/// article's fields. A column left `None` is looked for under its usual names (in a
/// table's header, case and surrounding spaces do not matter): `id`; `date`; `title` or
/// `headline`; `text`, `body` or `content`. A table without an id column, or an object
/// without an id, gets the id `STEM-LINE` (file name without extensions, line), and a
/// warning; one without a text column or field is skipped. A column that is named but
/// missing skips the file; a named field of JSON Lines may be a path into nested
/// objects (`meta.published`), and when it is missing skips the line.
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

impl Columns {
    /// True when no column is named: JSON Lines then take the fast path for objects
    /// with a string `id` and `text`.
    fn is_default(&self) -> bool {
        *self == Columns::default()
    }
}

/// The format of standard input and of the files named on the command line, when the
/// user says it (`--input-format`): otherwise a file's extension tells it, and standard
/// input's first line (JSON Lines, or CSV or TSV with a header row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object a line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// The whole input is one article.
    Txt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Lines,
    /// CSV (`,`) or TSV (tab) with a header row.
    Table(u8),
    /// Told by the first line: JSON Lines, or a CSV or TSV header (standard input).
    Detect,
}

impl From<InputFormat> for Format {
    fn from(format: InputFormat) -> Format {
        match format {
            InputFormat::Jsonl => Format::Lines,
            InputFormat::Csv => Format::Table(b','),
            InputFormat::Tsv => Format::Table(b'\t'),
            InputFormat::Txt => Format::Text,
        }
    }
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
    /// True once an article without an id was warned about (JSON Lines).
    id_warned: bool,
}

/// The `--glob` and `--exclude` patterns, matched against names found in folders.
#[derive(Debug, Clone, Default)]
struct NameFilter {
    includes: Vec<String>,
    excludes: Vec<String>,
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
    /// The format of standard input and named files, when the user gives it.
    forced: Option<Format>,
    /// Which names are read inside folders.
    names: NameFilter,
    /// True once a table's header lacked the text column or a column an option named.
    missing_column: bool,
    buffer: Vec<u8>,
    /// Folders already listed, so that symbolic links cannot make the reader loop or
    /// read a folder twice.
    listed: HashSet<FolderId>,
    /// The folder this run writes its outputs to, never read as input.
    own_output: Option<FolderId>,
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
            forced: None,
            names: NameFilter::default(),
            missing_column: false,
            buffer: Vec::new(),
            listed: HashSet::new(),
            own_output: None,
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

    /// Leaves `outdir` out of the folders read, with a warning: a run whose OUTDIR is
    /// inside an input folder does not read its previous outputs back as articles. For
    /// a folder that exists; one that does not is not read anyway.
    pub fn skipping_output(mut self, outdir: &Path) -> Inputs {
        self.own_output = FolderId::of_path(outdir).ok();
        self
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

    /// Reads standard input and the files named (not those found in folders) as
    /// `format`, whatever their first line or extension says.
    pub fn input_format(mut self, format: InputFormat) -> Inputs {
        self.forced = Some(format.into());
        self
    }

    /// Inside folders, reads only the files whose names match one of `includes` (all
    /// when it is empty) and none of `excludes` (which leave out folders too); `*` and `?`
    /// are wildcards. Paths named on the command line are read whatever their name.
    pub fn names(mut self, includes: Vec<String>, excludes: Vec<String>) -> Inputs {
        self.names = NameFilter { includes, excludes };
        self
    }

    /// The problem of each CSV or TSV file among `paths` (those named, not folders or
    /// `-`) whose header lacks the text column or a column an option names: read whole,
    /// such a file would be skipped whole, a mistake in the command rather than in the
    /// data. Reads only the headers.
    pub fn missing_columns(&self, paths: &[PathBuf]) -> Vec<InputProblem> {
        let mut problems = Vec::new();
        for path in paths.iter().filter(|p| p.is_file()) {
            let mut probe = Inputs::new(&[])
                .columns(self.columns.clone())
                .max_article_bytes(self.max_bytes);
            probe.forced = self.forced;
            if let Err(problem) = probe.open(path, true, None) {
                if probe.missing_column {
                    problems.push(problem);
                }
            }
        }
        problems
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
                            let mut lines = Lines {
                                file: &file.name,
                                stem: &file.stem,
                                first: file.line + 1,
                                limit: self.max_bytes,
                                columns: &self.columns,
                                id_warned: &mut file.id_warned,
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
                        // An empty standard input (an empty partition piped by Spark) is
                        // no article, not a skipped one.
                        let stream = &*file.name == "-";
                        let item = (!file.seen_content).then(|| {
                            Item::Problem(InputProblem {
                                line: None,
                                recovered: stream,
                                ..problem(if stream {
                                    "standard input is empty: no articles".to_string()
                                } else {
                                    "empty file: no articles; skipped".to_string()
                                })
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
                        let mut lines = Lines {
                            file: &file.name,
                            stem: &file.stem,
                            first: line,
                            limit: self.max_bytes,
                            columns: &self.columns,
                            id_warned: &mut file.id_warned,
                        };
                        return Some(lines.parse_line(line, &self.buffer));
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
                    self.forced.unwrap_or(Format::Lines),
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
                67 | 72 | 79 => "trailing characters",
                _ => panic!("line {line}: {message}"),
            };
            assert!(message.contains(expected), "line {line}: {message}");
        }
    }
}
