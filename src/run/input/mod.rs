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

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::error::InputProblem;
use crate::gazetteer::Date;

/// Default limit on one article (one line of JSON, or one .txt file): 10 MB.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 10 * 1024 * 1024;

/// Bytes looked at to tell a text file from a binary one.
const SNIFF_BYTES: usize = 8 * 1024;
/// Bytes read per system call (or decompressed per call) from a file or a stream: an
/// article line is a few kilobytes, whole lines are parsed where they lie, and
/// std's 8 KB default made three thousand reads of the 23 MB slice.
const READ_BUFFER: usize = 256 * 1024;

/// Extensions read inside folders (also behind `.gz`, `.zst` or `.zstd`).
const TEXT_EXTENSIONS: &[&str] = &["txt"];
const LINES_EXTENSIONS: &[&str] = &["jsonl", "ndjson", "json"];
const COMPRESSED_SUFFIXES: &[&str] = &[".gz", ".zst", ".zstd"];

/// Column names tried, in order, when no column is named for a field of a table.
const DEFAULT_ID_COLUMNS: &[&str] = &["id"];
const DEFAULT_DATE_COLUMNS: &[&str] = &["date"];
const DEFAULT_TITLE_COLUMNS: &[&str] = &["title", "headline"];
const DEFAULT_TEXT_COLUMNS: &[&str] = &["text", "body", "content"];

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

#[derive(Deserialize)]
struct RawArticle {
    id: String,
    #[serde(default)]
    date: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<serde_json::Value>,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Lines,
    /// CSV (`,`) or TSV (tab) with a header row.
    Table(u8),
}

impl Format {
    /// The format of a file with this extension (lower case), if it is one that is read.
    fn of_extension(extension: &str) -> Option<Format> {
        if TEXT_EXTENSIONS.contains(&extension) {
            Some(Format::Text)
        } else if LINES_EXTENSIONS.contains(&extension) {
            Some(Format::Lines)
        } else if extension == "csv" {
            Some(Format::Table(b','))
        } else if extension == "tsv" || extension == "tab" {
            Some(Format::Table(b'\t'))
        } else {
            None
        }
    }
}

/// A compression that is read, recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    fn detect(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// A CSV or TSV file being read, with the positions of the article's columns.
struct Table {
    csv: csv::Reader<Box<dyn BufRead + Send>>,
    record: csv::ByteRecord,
    id: Option<usize>,
    date: Option<usize>,
    title: Option<usize>,
    text: usize,
    names: Vec<String>,
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

    /// Opens `path`: a folder is listed (its entries queued), a file is opened and
    /// checked. `explicit` is true for paths given by the user, false inside folders.
    fn open(&mut self, path: &Path, explicit: bool) -> Result<Option<OpenFile>, InputProblem> {
        let name: Arc<str> = Arc::from(path.display().to_string());
        let problem = |message: String| InputProblem {
            file: name.to_string(),
            line: None,
            message,
            recovered: false,
        };
        if &*name == "-" {
            let reader = BufReader::with_capacity(READ_BUFFER, io::stdin());
            return self.start(name.clone(), reader, Format::Lines, "stdin".into(), None);
        }
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) => {
                let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
                return Err(problem(if dangling {
                    format!("broken symbolic link ({e}); skipped")
                } else {
                    format!("cannot read: {e}; skipped")
                }));
            }
        };
        if metadata.is_dir() {
            self.list(path, &name)?;
            return Ok(None);
        }
        if !explicit && !metadata.is_file() {
            return Err(problem(
                "not a regular file (a FIFO, socket or device); skipped".to_string(),
            ));
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let plain_name = COMPRESSED_SUFFIXES
            .iter()
            .find_map(|suffix| strip_suffix_ignore_case(&file_name, suffix))
            .unwrap_or(&file_name);
        let (stem, extension) = match plain_name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), ext.to_ascii_lowercase()),
            _ => (plain_name.to_string(), String::new()),
        };
        let format = match Format::of_extension(&extension) {
            Some(format) => format,
            None if explicit => Format::Lines,
            None => {
                let what = if extension.is_empty() {
                    "no extension".to_string()
                } else if ["bz2", "xz", "zip", "7z", "tar", "tgz"].contains(&extension.as_str()) {
                    format!(
                        "a compressed file (`.{extension}`): decompress it first (or compress it with gzip or zstd)"
                    )
                } else {
                    format!("unknown extension `.{extension}`")
                };
                return Err(problem(format!(
                    "{what}; skipped (folders are read for .txt, .jsonl, .ndjson, .json, .csv and .tsv files, plain, .gz or .zst)"
                )));
            }
        };
        let file = File::open(path).map_err(|e| problem(format!("cannot open: {e}; skipped")))?;
        let size = metadata.is_file().then_some(metadata.len());
        self.start(
            name,
            BufReader::with_capacity(READ_BUFFER, file),
            format,
            stem,
            size,
        )
    }

    /// Queues the entries of folder `path`, sorted, hidden ones left out.
    fn list(&mut self, path: &Path, name: &str) -> Result<(), InputProblem> {
        let problem = |message: String, recovered: bool| InputProblem {
            file: name.to_string(),
            line: None,
            message,
            recovered,
        };
        let canonical = std::fs::canonicalize(path)
            .map_err(|e| problem(format!("cannot read folder: {e}; skipped"), false))?;
        if !self.listed.insert(canonical) {
            return Err(problem(
                "folder already read (reached again through a symbolic link); not read twice"
                    .to_string(),
                true,
            ));
        }
        let listing = std::fs::read_dir(path)
            .map_err(|e| problem(format!("cannot list folder: {e}; skipped"), false))?;
        let mut entries = Vec::new();
        for entry in listing {
            let entry =
                entry.map_err(|e| problem(format!("cannot list folder: {e}; skipped"), false))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            entries.push(entry.path());
        }
        entries.sort();
        for entry in entries.into_iter().rev() {
            self.pending.push_front(Source::Path {
                path: entry,
                explicit: false,
            });
        }
        Ok(())
    }

    /// Looks at the first bytes of a stream: decompresses gzip and zstd, refuses other
    /// compressions and binary files, skips a UTF-8 byte-order mark, reads a table's
    /// header.
    fn start<R: Read + Send + 'static>(
        &mut self,
        name: Arc<str>,
        mut raw: BufReader<R>,
        format: Format,
        stem: String,
        size: Option<u64>,
    ) -> Result<Option<OpenFile>, InputProblem> {
        let problem = |line: Option<usize>, message: String| InputProblem {
            file: name.to_string(),
            line,
            message,
            recovered: false,
        };
        let head = raw
            .fill_buf()
            .map_err(|e| problem(None, format!("cannot read: {e}; skipped")))?;
        if let Some(kind) = unsupported_compression(head) {
            return Err(problem(
                None,
                format!(
                    "{kind}, which actorgraph does not read; decompress it first (or compress it with gzip or zstd); skipped"
                ),
            ));
        }
        let compression = Compression::detect(head);
        let mut reader: Box<dyn BufRead + Send> = match compression {
            Some(Compression::Gzip) => Box::new(BufReader::with_capacity(
                READ_BUFFER,
                flate2::read::MultiGzDecoder::new(raw),
            )),
            Some(Compression::Zstd) => {
                let decoder = zstd::stream::read::Decoder::with_buffer(raw).map_err(|e| {
                    problem(None, format!("cannot start the zstd decoder: {e}; skipped"))
                })?;
                Box::new(BufReader::with_capacity(READ_BUFFER, decoder))
            }
            None => Box::new(raw),
        };
        let head = fill_head(&mut reader).map_err(|e| match compression {
            Some(kind) => problem(
                Some(1),
                format!(
                    "cannot decompress ({e}): not a complete {} file; skipped",
                    kind.name()
                ),
            ),
            None => problem(None, format!("cannot read: {e}; skipped")),
        })?;
        if let Some(message) = refuse_content(&head, format) {
            return Err(problem(None, format!("{message}; skipped")));
        }
        if matches!(format, Format::Lines | Format::Table(_)) {
            // A byte-order mark is not part of the first JSON object or column name.
            let available = reader.fill_buf().unwrap_or(&[]);
            if available.starts_with(b"\xEF\xBB\xBF") {
                reader.consume(3);
            }
        }
        if format == Format::Text
            && compression.is_none()
            && size.is_some_and(|s| s > self.max_bytes as u64)
        {
            return Err(problem(
                None,
                format!(
                    "file of {} bytes is over the limit of {} bytes (--max-article-bytes); skipped",
                    size.unwrap_or_default(),
                    self.max_bytes
                ),
            ));
        }
        let body = match format {
            Format::Text => Body::Text(reader),
            Format::Lines => Body::Lines(reader),
            Format::Table(delimiter) => {
                let (table, warning) =
                    open_table(reader, delimiter, &self.columns, compression, &stem)
                        .map_err(|(line, message)| problem(line, format!("{message}; skipped")))?;
                if let Some(message) = warning {
                    self.queued.push_back(InputProblem {
                        recovered: true,
                        ..problem(Some(1), message)
                    });
                }
                Body::Table(Box::new(table))
            }
        };
        Ok(Some(OpenFile {
            name,
            body,
            stem,
            line: 0,
            compression,
            seen_content: false,
        }))
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
                Source::Path { path, explicit } => self.open(&path, explicit),
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

fn strip_suffix_ignore_case<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = name.len().checked_sub(suffix.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix))
        .then(|| &name[..cut])
        .filter(|rest| !rest.is_empty())
}

/// Reads a table's header and finds the article's columns. Returns the table and a
/// warning (no id column), or the line and message of why the file is skipped.
fn open_table(
    reader: Box<dyn BufRead + Send>,
    delimiter: u8,
    columns: &Columns,
    compression: Option<Compression>,
    stem: &str,
) -> Result<(Table, Option<String>), (Option<usize>, String)> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header = csv
        .byte_headers()
        .map_err(|e| match (e.kind(), compression) {
            (csv::ErrorKind::Io(e), Some(kind)) => (
                Some(1),
                format!(
                    "cannot decompress ({e}): not a complete {} file",
                    kind.name()
                ),
            ),
            _ => (Some(1), format!("cannot read the header row: {e}")),
        })?;
    let names: Vec<String> = header
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_string())
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err((None, "empty file: no header row".to_string()));
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
        )
    })?;
    let warning = id.is_none().then(|| {
        format!(
            "no id column (`id`) in the header; articles are named `{stem}-LINE` (name the column with --id-column)"
        )
    });
    Ok((
        Table {
            csv,
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
fn read_table_row(
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
        let read = table.csv.read_byte_record(&mut table.record);
        let line = table
            .record
            .position()
            .map(|p| p.line() as usize)
            .or_else(|| Some(table.csv.position().line() as usize));
        match read {
            Ok(false) => {
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
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                let message = match (io, compression) {
                    (true, Some(kind)) => format!(
                        "the {} stream is cut short or corrupt ({e}); the articles before this line were read, the rest of the file is lost",
                        kind.name()
                    ),
                    (true, None) => format!("read error ({e}); the rest of the file is skipped"),
                    (false, _) => format!("not a CSV row ({e}); skipped"),
                };
                *seen_content = true;
                return Some((problem(line, message), io));
            }
            Ok(true) => {}
        }
        let record = &table.record;
        if record.iter().all(|field| field.trim_ascii().is_empty()) {
            continue;
        }
        *seen_content = true;
        let size = record.as_slice().len();
        if size > limit {
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

/// A copy of the first bytes in `reader`'s buffer (at most [`SNIFF_BYTES`]), nothing
/// consumed. One fill is enough: a decoder or a pipe may hand out fewer bytes, and the
/// checks only need the first ones.
fn fill_head(reader: &mut dyn BufRead) -> io::Result<Vec<u8>> {
    let available = reader.fill_buf()?;
    Ok(available[..available.len().min(SNIFF_BYTES)].to_vec())
}

/// The name of a compression or archive format that is not read, by magic bytes.
fn unsupported_compression(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (&[0xFD, b'7', b'z', b'X', b'Z', 0x00], "xz-compressed"),
        (b"PK\x03\x04", "a zip archive"),
        (&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C], "a 7-zip archive"),
    ];
    if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        return Some("bzip2-compressed");
    }
    MAGIC
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// Why a file's first bytes show that it holds no articles of its format, if they do.
fn refuse_content(head: &[u8], format: Format) -> Option<String> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16 text; convert the file to UTF-8".to_string());
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text.iter().position(|b| !b.is_ascii_whitespace());
    match format {
        Format::Text => None,
        // A NUL further into a table is that row's problem, not the file's.
        Format::Table(_) => text
            .split(|&b| b == b'\n')
            .next()
            .is_some_and(|header| header.contains(&0))
            .then(|| "binary file, not CSV or TSV (NUL bytes in the header row)".to_string()),
        Format::Lines => {
            let first_byte = first.map(|i| text[i]);
            if head.contains(&0) && first_byte != Some(b'{') {
                return Some("binary file, not JSON Lines (NUL bytes near the start)".to_string());
            }
            if first_byte == Some(b'[') {
                return Some(
                    "a JSON array, not JSON Lines (one object per line); convert it, e.g. with `jq -c '.[]'`"
                        .to_string(),
                );
            }
            let first_line = first.map(|i| {
                let rest = &text[i..];
                let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                rest[..end].trim_ascii()
            });
            if first_line == Some(b"{") {
                return Some(
                    "pretty-printed JSON, not JSON Lines (one object per line); convert it, e.g. with `jq -c .`"
                        .to_string(),
                );
            }
            None
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
        let (chunk, found_newline) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], true),
            None => (available, false),
        };
        total = total.saturating_add(chunk.len());
        if total <= limit {
            buffer.extend_from_slice(chunk);
        } else if !buffer.is_empty() {
            // Over the limit: let go of what was held.
            *buffer = Vec::new();
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
            let at = match line {
                Some(_) => format!("column {}", e.valid_up_to() + 1),
                None => format!("byte {}", e.valid_up_to()),
            };
            warnings.push(InputProblem {
                file: file.to_string(),
                line,
                message: format!("invalid UTF-8 at {at}; decoded with replacement characters"),
                recovered: true,
            });
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

fn check_date(
    date: Option<serde_json::Value>,
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> Option<String> {
    let warn = |warnings: &mut Vec<InputProblem>, message: String| {
        warnings.push(InputProblem {
            file: file.to_string(),
            line,
            message,
            recovered: true,
        })
    };
    let date = match date? {
        serde_json::Value::String(date) => date,
        serde_json::Value::Null => return None,
        other => {
            warn(
                warnings,
                format!(
                    "`date` is {}, not a string; read without a date",
                    json_type(&other)
                ),
            );
            return None;
        }
    };
    let date = Some(date).filter(|d| !d.trim().is_empty())?;
    if Date::parse(&date).is_some() {
        return Some(date);
    }
    warn(
        warnings,
        format!(
            "date `{}` is not YYYY-MM-DD; read without a date",
            date.chars().take(40).collect::<String>()
        ),
    );
    None
}

fn check_title(
    title: Option<serde_json::Value>,
    file: &str,
    line: Option<usize>,
    warnings: &mut Vec<InputProblem>,
) -> Option<String> {
    match title? {
        serde_json::Value::String(title) => Some(title).filter(|t| !t.trim().is_empty()),
        serde_json::Value::Null => None,
        other => {
            warnings.push(InputProblem {
                file: file.to_string(),
                line,
                message: format!(
                    "`title` is {}, not a string; read without a title",
                    json_type(&other)
                ),
                recovered: true,
            });
            None
        }
    }
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Escapes raw control characters (U+0001–U+001F) inside JSON strings, which strict
/// JSON forbids but some exporters write. `None` when there are none.
fn escape_raw_controls(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_string = false;
    let mut escaped = false;
    let mut changed = false;
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            } else if (c as u32) < 0x20 {
                out.push_str(&format!("\\u{:04x}", c as u32));
                changed = true;
                continue;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    changed.then_some(out)
}

/// The problem of a line over `limit` bytes.
fn too_long(file: &Arc<str>, line: usize, len: usize, limit: usize) -> Item {
    Item::Problem(InputProblem {
        file: file.to_string(),
        line: Some(line),
        message: format!(
            "line of {len} bytes is over the limit of {limit} bytes (--max-article-bytes); skipped"
        ),
        recovered: false,
    })
}

/// The article of a parsed line of `bytes` bytes, or the problem with its fields.
fn article_item(
    file: &Arc<str>,
    line: usize,
    raw: RawArticle,
    mut warnings: Vec<InputProblem>,
    bytes: usize,
) -> Item {
    if raw.id.is_empty() {
        return Item::Problem(InputProblem {
            file: file.to_string(),
            line: Some(line),
            message: "`id` is empty; skipped".to_string(),
            recovered: false,
        });
    }
    let date = check_date(raw.date, file, Some(line), &mut warnings);
    let title = check_title(raw.title, file, Some(line), &mut warnings);
    Item::Article {
        article: Article {
            id: raw.id,
            date,
            title,
            text: raw.text,
        },
        bytes,
        warnings,
        file: file.clone(),
        line: Some(line),
    }
}

/// JSON Lines as they lie in a read buffer: complete lines of `file`, the first of them
/// numbered `first`.
struct Lines<'f> {
    file: &'f Arc<str>,
    first: usize,
    /// The most bytes a line may have (`--max-article-bytes`).
    limit: usize,
}

impl Lines<'_> {
    /// Parses `block`, whole lines each ending in a newline, onto `out`; returns how
    /// many lines it held and whether one was not blank.
    ///
    /// One JSON deserializer reads the block's lines one after the other: the buffer it
    /// unescapes strings into («\n», «\"») then grows once a block, where a deserializer
    /// per line grew it over again for every line (3% of a run's instructions). A line
    /// it cannot take whole and alone, and every line of a block that is not UTF-8, go
    /// through [`parse_line`], which says what is wrong or what it repaired.
    fn parse(&self, block: &[u8], out: &mut VecDeque<Item>) -> (usize, bool) {
        let text = simdutf8::basic::from_utf8(block).ok();
        // The deserializer and the offset in `block` it started from.
        let mut stream = None;
        let (mut start, mut line, mut seen) = (0, self.first, false);
        for end in memchr::memchr_iter(b'\n', block) {
            let bytes = &block[start..end];
            let trimmed = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if bytes.len() > self.limit {
                seen = true;
                out.push_back(too_long(self.file, line, bytes.len(), self.limit));
                stream = None;
            } else if !trimmed.iter().all(u8::is_ascii_whitespace) {
                seen = true;
                let values = match (&mut stream, text) {
                    (Some(stream), _) => Some(stream),
                    (None, Some(text)) => Some(stream.insert((
                        start,
                        serde_json::Deserializer::from_str(&text[start..]).into_iter(),
                    ))),
                    (None, None) => None,
                };
                // The value must end on this line, with only JSON's spaces after it.
                let alone = values.and_then(|(from, values)| match values.next() {
                    Some(Ok(raw)) => {
                        let at = *from + values.byte_offset();
                        let spaces = |rest: &[u8]| rest.iter().all(|b| b" \t\r".contains(b));
                        (at <= end && spaces(&block[at..end])).then_some(raw)
                    }
                    _ => None,
                });
                match alone {
                    Some(raw) => out.push_back(article_item(
                        self.file,
                        line,
                        raw,
                        Vec::new(),
                        trimmed.len(),
                    )),
                    None => {
                        out.push_back(parse_line(self.file, line, trimmed));
                        stream = None;
                    }
                }
            }
            start = end + 1;
            line += 1;
        }
        (line - self.first, seen)
    }
}

fn parse_line(file: &Arc<str>, line: usize, bytes: &[u8]) -> Item {
    let problem = |message: String| {
        Item::Problem(InputProblem {
            file: file.to_string(),
            line: Some(line),
            message,
            recovered: false,
        })
    };
    if let Some(at) = memchr::memchr(0, bytes) {
        return problem(format!(
            "raw NUL byte at column {}; skipped (inside a JSON string a NUL is written \\u0000)",
            at + 1
        ));
    }
    let mut warnings = Vec::new();
    // The common case, valid UTF-8 and strict JSON, is parsed straight from the line;
    // anything else takes the careful path below, which says what is wrong.
    // The UTF-8 check is done once for the line, with SIMD, rather than string by string.
    let strict = simdutf8::basic::from_utf8(bytes)
        .ok()
        .and_then(|line| serde_json::from_str::<RawArticle>(line).ok());
    let (text, parsed) = match strict {
        Some(raw) => (String::new(), Ok(raw)),
        None => {
            let text = decode(bytes, file, Some(line), &mut warnings);
            let parsed = serde_json::from_str::<RawArticle>(&text);
            (text, parsed)
        }
    };
    let parsed = match parsed {
        Err(e) if e.to_string().starts_with("control character") => {
            match escape_raw_controls(&text)
                .and_then(|fixed| serde_json::from_str::<RawArticle>(&fixed).ok())
            {
                Some(raw) => {
                    warnings.push(InputProblem {
                        file: file.to_string(),
                        line: Some(line),
                        message: "raw control characters inside a JSON string; read as if escaped"
                            .to_string(),
                        recovered: true,
                    });
                    Ok(raw)
                }
                None => Err(e),
            }
        }
        other => other,
    };
    match parsed {
        Ok(raw) => article_item(file, line, raw, warnings, bytes.len()),
        Err(e) => {
            let what = match text.trim_start().as_bytes().first() {
                Some(b'[') => "a JSON array, not an object".to_string(),
                _ => e.to_string(),
            };
            problem(format!(
                "not an article ({what}); expected a JSON object with string fields id and text, optional date and title"
            ))
        }
    }
}

fn read_text_article(
    reader: &mut Box<dyn BufRead + Send>,
    name: &Arc<str>,
    stem: &str,
    compression: Option<Compression>,
    limit: usize,
) -> Item {
    let problem = |message: String| {
        Item::Problem(InputProblem {
            file: name.to_string(),
            line: None,
            message,
            recovered: false,
        })
    };
    let mut bytes = Vec::new();
    let limit_plus_one = (limit as u64).saturating_add(1);
    if let Err(e) = reader.take(limit_plus_one).read_to_end(&mut bytes) {
        return problem(match compression {
            Some(kind) => format!(
                "the {} stream is cut short or corrupt ({e}); skipped",
                kind.name()
            ),
            None => format!("cannot read: {e}; skipped"),
        });
    }
    if bytes.len() > limit {
        return problem(format!(
            "file is over the limit of {limit} bytes (--max-article-bytes); skipped"
        ));
    }
    if bytes.contains(&0) {
        return problem("binary file (NUL bytes); skipped".to_string());
    }
    let mut warnings = Vec::new();
    let text = decode(&bytes, name, None, &mut warnings);
    if text.trim().is_empty() {
        return problem("empty file; skipped".to_string());
    }
    Item::Article {
        article: Article {
            id: stem.to_string(),
            date: None,
            title: None,
            text,
        },
        bytes: bytes.len(),
        warnings,
        file: name.clone(),
        line: None,
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

    /// Hands out `len` bytes of `x` and a newline without ever holding them.
    struct Endless {
        left: usize,
    }

    impl Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Ok(0);
            }
            let n = out.len().min(self.left);
            out[..n].fill(b'x');
            if n == self.left {
                out[n - 1] = b'\n';
            }
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn a_50_mb_line_is_streamed_past_with_bounded_memory() {
        let mut reader = BufReader::new(Endless { left: 50 << 20 });
        let mut buffer = Vec::new();
        let limit = 1 << 20;
        assert!(matches!(
            read_line_limited(&mut reader, &mut buffer, limit).unwrap(),
            LineStatus::TooLong(n) if n == (50 << 20) - 1
        ));
        assert!(
            buffer.capacity() <= 2 * limit,
            "held {} bytes for a line over the limit",
            buffer.capacity()
        );
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
        ("{\"id\": \"a\", \"text\": null}", "invalid type: null"),
        ("{\"id\": \"\", \"text\": \"x\"}", "`id` is empty"),
        ("[1, 2]", "not an article (a JSON array, not an object)"),
        ("\"just a string\"", "invalid type: string"),
        (
            "{\"id\": \"a\", \"text\": \"x\u{0}y\"}",
            "raw NUL byte at column 23",
        ),
        (
            "{\"id\": \"a\", \"text\": \"x\", \"text\": \"y\"}",
            "duplicate field `text`",
        ),
    ];

    #[test]
    fn bad_lines_say_what_is_wrong() {
        for (line, expected) in BAD_LINES {
            match parse_line(&Arc::from("dump.jsonl"), 7, line.as_bytes()) {
                Item::Problem(p) => {
                    let message = p.to_string();
                    assert!(message.starts_with("dump.jsonl:7: "), "{message}");
                    assert!(message.contains(expected), "{message}");
                    assert!(!p.recovered);
                }
                Item::Article { .. } => panic!("{line} was accepted"),
            }
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let ignored = format!("{{\"id\": \"a\", \"text\": \"x\", \"extra\": {nested}}}");
        assert!(matches!(
            parse_line(&Arc::from("d.jsonl"), 1, ignored.as_bytes()),
            Item::Article { .. }
        ));
        let title = format!("{{\"id\": \"a\", \"text\": \"x\", \"title\": {nested}}}");
        match parse_line(&Arc::from("d.jsonl"), 1, title.as_bytes()) {
            Item::Problem(p) => assert!(p.message.contains("recursion limit"), "{p}"),
            Item::Article { .. } => panic!("accepted"),
        }
    }

    /// (line, expected warning fragment): repaired, not skipped.
    const REPAIRED_LINES: &[(&[u8], &str)] = &[
        (
            b"{\"id\":\"a\",\"date\":\"23/06/2020\",\"text\":\"x\"}",
            "date `23/06/2020` is not YYYY-MM-DD",
        ),
        (
            b"{\"id\":\"a\",\"date\":20200623,\"text\":\"x\"}",
            "`date` is a number, not a string",
        ),
        (
            b"{\"id\":\"a\",\"title\":[\"x\"],\"text\":\"x\"}",
            "`title` is an array, not a string",
        ),
        (
            b"{\"id\":\"a\",\"text\":\"x\xFFy\"}",
            "invalid UTF-8 at column 20",
        ),
        (
            b"{\"id\":\"a\",\"text\":\"x\ty\"}",
            "raw control characters inside a JSON string",
        ),
    ];

    #[test]
    fn repairable_lines_are_read_with_a_warning() {
        for (line, expected) in REPAIRED_LINES {
            let item = parse_line(&Arc::from("d.jsonl"), 3, line);
            let Item::Article {
                article, warnings, ..
            } = item
            else {
                panic!("{} rejected", String::from_utf8_lossy(line))
            };
            assert_eq!(article.id, "a");
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0].recovered);
            let message = warnings[0].to_string();
            assert!(
                message.starts_with("d.jsonl:3: ") && message.contains(expected),
                "{message}"
            );
        }
    }

    #[test]
    fn escaped_nul_and_controls_are_text() {
        let item = parse_line(
            &Arc::from("d.jsonl"),
            1,
            br#"{"id":"a","text":"x\u0000y\u0007z"}"#,
        );
        let Item::Article {
            article, warnings, ..
        } = item
        else {
            panic!("rejected")
        };
        assert_eq!(article.text, "x\0y\u{7}z");
        assert!(warnings.is_empty());
    }

    #[test]
    fn raw_controls_are_escaped_only_inside_strings() {
        assert_eq!(
            escape_raw_controls("{\"a\":\t\"b\tc\\\"\td\"}").as_deref(),
            Some("{\"a\":\t\"b\\u0009c\\\"\\u0009d\"}")
        );
        assert_eq!(escape_raw_controls("{\"a\":\t\"b\"}"), None);
    }

    #[test]
    fn first_bytes_tell_what_a_file_is() {
        let lines = |head: &[u8]| refuse_content(head, Format::Lines);
        assert_eq!(lines(b"{\"id\":\"a\",\"text\":\"x\"}\n"), None);
        assert_eq!(lines(b"\xEF\xBB\xBF{\"id\":\"a\"}"), None);
        assert_eq!(lines(b""), None);
        assert!(
            lines(b"\x89PNG\r\n\x1a\n\0\0\0")
                .unwrap()
                .contains("binary")
        );
        assert!(lines(b"\xFF\xFE{\0").unwrap().contains("UTF-16"));
        assert!(lines(b"[{\"id\": 1}]").unwrap().contains("JSON array"));
        assert!(
            lines(b"{\n  \"id\": 1\n}")
                .unwrap()
                .contains("pretty-printed")
        );
        // A NUL further into a JSON Lines file is that line's problem, not the file's.
        assert_eq!(lines(b"{\"id\":\"a\",\"text\":\"\0\"}\n"), None);
        assert_eq!(refuse_content(b"\0\0", Format::Text), None);
        assert_eq!(unsupported_compression(&[0x28, 0xB5, 0x2F, 0xFD, 0]), None);
        assert_eq!(
            Compression::detect(&[0x28, 0xB5, 0x2F, 0xFD, 0]),
            Some(Compression::Zstd)
        );
        assert_eq!(
            Compression::detect(&[0x1f, 0x8b, 8]),
            Some(Compression::Gzip)
        );
        assert_eq!(unsupported_compression(b"{\"id\""), None);
        assert_eq!(
            unsupported_compression(b"BZh91AY&SY"),
            Some("bzip2-compressed")
        );
        assert_eq!(unsupported_compression(b"BZh is a word"), None);
    }
}
