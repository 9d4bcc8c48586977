//! JSON Lines: whole lines parsed where they lie in the read buffer, a line past its
//! end gathered up to the size limit, and a line that is not strict JSON repaired or
//! said what is wrong with.

use std::collections::VecDeque;
use std::io::{self, BufRead};
use std::sync::Arc;

use serde::Deserialize;

use super::fields::{check_date, check_title, decode, json_type};
use super::table::{
    DEFAULT_DATE_COLUMNS, DEFAULT_ID_COLUMNS, DEFAULT_TEXT_COLUMNS, DEFAULT_TITLE_COLUMNS,
};
use super::{Article, Columns, Item};
use crate::error::InputProblem;

#[derive(Deserialize)]
struct RawArticle {
    id: String,
    #[serde(default)]
    date: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<serde_json::Value>,
    text: String,
}

/// What [`read_line_limited`] read.
pub(crate) enum LineStatus {
    /// A line, in the buffer.
    Line,
    /// A line of this many bytes, over the limit: consumed, not held.
    TooLong(usize),
    /// The end of the input.
    End,
}

/// Reads one line into `buffer` (without the newline), but never holds more than
/// `limit` bytes: a longer line is consumed and reported with its length.
pub(crate) fn read_line_limited(
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

/// What [`repair_strings`] repaired in a line's JSON strings.
#[derive(Debug, Default, PartialEq, Eq)]
struct Repairs {
    /// Raw control characters (U+0001–U+001F), escaped.
    controls: bool,
    /// UTF-16 surrogate escapes without their pair (`\ud800` alone), made U+FFFD.
    surrogates: bool,
}

/// Repairs what strict JSON refuses inside strings but some exporters write: raw control
/// characters are escaped, and a surrogate escape without its pair becomes `\ufffd`, as
/// invalid UTF-8 is repaired. `None` when there is nothing to repair.
fn repair_strings(text: &str) -> Option<(String, Repairs)> {
    let hex4 = |at: usize| {
        text.get(at..at + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut repairs = Repairs::default();
    let (mut in_string, mut copied, mut at) = (false, 0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if !in_string {
            in_string = b == b'"';
            at += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = false;
                at += 1;
            }
            b'\\' if bytes.get(at + 1) == Some(&b'u') => {
                let Some(unit) = hex4(at + 2) else {
                    at += 2;
                    continue;
                };
                let paired = (0xD800..0xDC00).contains(&unit)
                    && text.get(at + 6..at + 8) == Some("\\u")
                    && hex4(at + 8).is_some_and(|low| (0xDC00..0xE000).contains(&low));
                if paired {
                    at += 12;
                } else if (0xD800..0xE000).contains(&unit) {
                    out.push_str(&text[copied..at]);
                    out.push_str("\\ufffd");
                    repairs.surrogates = true;
                    at += 6;
                    copied = at;
                } else {
                    at += 6;
                }
            }
            b'\\' => at += 2,
            b if b < 0x20 => {
                out.push_str(&text[copied..at]);
                out.push_str(&format!("\\u{b:04x}"));
                repairs.controls = true;
                at += 1;
                copied = at;
            }
            _ => at += 1,
        }
    }
    if repairs == Repairs::default() {
        return None;
    }
    out.push_str(&text[copied.min(text.len())..]);
    Some((out, repairs))
}

/// The problem of a line over `limit` bytes.
pub(super) fn too_long(file: &Arc<str>, line: usize, len: usize, limit: usize) -> Item {
    Item::Problem(InputProblem {
        file: file.to_string(),
        line: Some(line),
        message: format!(
            "line of {len} bytes is over the limit of {limit} bytes (--max-article-bytes); skipped"
        ),
        recovered: false,
    })
}

/// JSON Lines as they lie in a read buffer: complete lines of `file`, the first of them
/// numbered `first`.
pub(super) struct Lines<'f> {
    pub(super) file: &'f Arc<str>,
    /// The file's name without extensions, for the ids of articles that have none.
    pub(super) stem: &'f str,
    pub(super) first: usize,
    /// The most bytes a line may have (`--max-article-bytes`).
    pub(super) limit: usize,
    /// The fields to read (`--id-column` and its siblings).
    pub(super) columns: &'f Columns,
    /// True once the file's first article without an id was warned about.
    pub(super) id_warned: &'f mut bool,
}

impl Lines<'_> {
    /// Parses `block`, whole lines each ending in a newline, onto `out`; returns how
    /// many lines it held and whether one was not blank.
    ///
    /// One JSON deserializer reads the block's lines one after the other: the buffer it
    /// unescapes strings into («\n», «\"») then grows once a block, where a deserializer
    /// per line would grow it over again for every line. A line it cannot take whole
    /// and alone, and every line of a block that is not UTF-8, go through
    /// [`parse_line`], which says what is wrong or what it repaired.
    pub(super) fn parse(&mut self, block: &[u8], out: &mut VecDeque<Item>) -> (usize, bool) {
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
                let text = text.filter(|_| self.columns.is_default());
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
                    Some(raw) => {
                        out.push_back(self.article_item(line, raw, Vec::new(), trimmed.len()))
                    }
                    None => {
                        out.push_back(self.parse_line(line, trimmed));
                        stream = None;
                    }
                }
            }
            start = end + 1;
            line += 1;
        }
        (line - self.first, seen)
    }

    /// Reads one line: straight into the usual fields when it is strict JSON with a
    /// string `id` and `text`, otherwise through [`Lines::fields`], which finds the
    /// fields under their other names, and says what is wrong or what it repaired.
    pub(super) fn parse_line(&mut self, line: usize, bytes: &[u8]) -> Item {
        let file = self.file;
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
        // The common case, valid UTF-8 and strict JSON with the usual fields, is parsed
        // straight from the line; the UTF-8 check is done once for the line, with SIMD.
        let strict = simdutf8::basic::from_utf8(bytes)
            .ok()
            .filter(|_| self.columns.is_default())
            .map(serde_json::from_str::<RawArticle>);
        let duplicate = match strict {
            Some(Ok(raw)) => return self.article_item(line, raw, warnings, bytes.len()),
            Some(Err(e)) => e.to_string().starts_with("duplicate field").then_some(e),
            None => None,
        };
        if let Some(e) = duplicate {
            return problem(format!("not an article ({e})"));
        }
        let text = decode(bytes, file, Some(line), &mut warnings);
        let parsed = match serde_json::from_str::<serde_json::Value>(&text) {
            Err(e) => match repair_strings(&text).and_then(|(fixed, repairs)| {
                Some((
                    serde_json::from_str::<serde_json::Value>(&fixed).ok()?,
                    repairs,
                ))
            }) {
                Some((value, repairs)) => {
                    for (repaired, message) in [
                        (
                            repairs.controls,
                            "raw control characters inside a JSON string; read as if escaped",
                        ),
                        (
                            repairs.surrogates,
                            "a UTF-16 surrogate escape without its pair (\\ud800) inside a JSON string; read as U+FFFD",
                        ),
                    ] {
                        if repaired {
                            warnings.push(InputProblem {
                                file: file.to_string(),
                                line: Some(line),
                                message: message.to_string(),
                                recovered: true,
                            });
                        }
                    }
                    Ok(value)
                }
                None => Err(e),
            },
            ok => ok,
        };
        let what = match parsed {
            Ok(serde_json::Value::Object(object)) => {
                return match self.fields(line, object, &mut warnings) {
                    Ok(raw) => self.article_item(line, raw, warnings, bytes.len()),
                    Err(message) => problem(format!("{message}; skipped")),
                };
            }
            Ok(serde_json::Value::Array(_)) => "a JSON array, not an object".to_string(),
            Ok(other) => format!("{}, not an object", json_type(&other)),
            Err(e) => e.to_string(),
        };
        problem(format!(
            "not an article ({what}); expected a JSON object with string fields id and text, optional date and title"
        ))
    }

    /// The article's fields in a JSON object, looked for as in a table's header: the
    /// field `--id-column` (and its siblings) names, a path such as `meta.published`
    /// into nested objects, or else the usual names. An id may be a string or a whole
    /// number; without one the article is named `STEM-LINE`, with a warning the first
    /// time in a file.
    fn fields(
        &mut self,
        line: usize,
        mut object: serde_json::Map<String, serde_json::Value>,
        warnings: &mut Vec<InputProblem>,
    ) -> Result<RawArticle, String> {
        let columns = self.columns;
        let (text_name, text) = take_field(&mut object, &columns.text, DEFAULT_TEXT_COLUMNS)
            .ok_or_else(|| match &columns.text {
                Some(name) => format!("no field `{name}` (--text-column)"),
                None => "no text field (`text`, `body` or `content`); name it with --text-column"
                    .to_string(),
            })?;
        let text = match text {
            serde_json::Value::String(text) => text,
            other => {
                return Err(format!(
                    "`{text_name}` is {}, not a string",
                    json_type(&other)
                ));
            }
        };
        let id = match take_field(&mut object, &columns.id, DEFAULT_ID_COLUMNS) {
            Some((_, serde_json::Value::String(id))) => id.trim().to_string(),
            Some((_, serde_json::Value::Number(n))) if n.is_i64() || n.is_u64() => n.to_string(),
            Some((name, serde_json::Value::Null)) => self.generated_id(line, &name, warnings),
            Some((name, other)) => {
                let what = match &other {
                    serde_json::Value::Number(_) => "a number with a fraction".to_string(),
                    other => json_type(other).to_string(),
                };
                return Err(format!(
                    "`{name}` is {what}, not a string or a whole number"
                ));
            }
            None => {
                let name = columns.id.clone().unwrap_or_else(|| "id".to_string());
                self.generated_id(line, &name, warnings)
            }
        };
        let date = take_field(&mut object, &columns.date, DEFAULT_DATE_COLUMNS).map(|(_, v)| v);
        let title = take_field(&mut object, &columns.title, DEFAULT_TITLE_COLUMNS).map(|(_, v)| v);
        Ok(RawArticle {
            id,
            date,
            title,
            text,
        })
    }

    /// The id `STEM-LINE` of an article without one; warns the first time in a file.
    fn generated_id(
        &mut self,
        line: usize,
        field: &str,
        warnings: &mut Vec<InputProblem>,
    ) -> String {
        let id = format!("{}-{line}", self.stem);
        if !*self.id_warned {
            *self.id_warned = true;
            warnings.push(InputProblem {
                file: self.file.to_string(),
                line: Some(line),
                message: format!(
                    "no `{field}` field; articles without one are named `{}-LINE` (name the field with --id-column)",
                    self.stem
                ),
                recovered: true,
            });
        }
        id
    }

    /// The article of a parsed line of `bytes` bytes, or the problem with its fields.
    fn article_item(
        &self,
        line: usize,
        raw: RawArticle,
        mut warnings: Vec<InputProblem>,
        bytes: usize,
    ) -> Item {
        let file = self.file;
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
}

/// Takes the field `chosen` names out of `object` (its name as it is, or else a path
/// through nested objects split at dots), or the first of `defaults` present; with its
/// name.
fn take_field(
    object: &mut serde_json::Map<String, serde_json::Value>,
    chosen: &Option<String>,
    defaults: &[&str],
) -> Option<(String, serde_json::Value)> {
    match chosen {
        Some(name) => take_path(object, name.trim()).map(|v| (name.trim().to_string(), v)),
        None => defaults
            .iter()
            .find_map(|name| object.remove(*name).map(|v| (name.to_string(), v))),
    }
}

fn take_path(
    object: &mut serde_json::Map<String, serde_json::Value>,
    path: &str,
) -> Option<serde_json::Value> {
    if let Some(value) = object.remove(path) {
        return Some(value);
    }
    let (first, rest) = path.split_once('.')?;
    match object.get_mut(first)? {
        serde_json::Value::Object(inner) => take_path(inner, rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use super::*;

    /// Reads one line of `file` with the usual field names, as the reader does.
    fn parse_line(file: &Arc<str>, line: usize, bytes: &[u8]) -> Item {
        with_columns(&Columns::default(), file, line, bytes)
    }

    fn with_columns(columns: &Columns, file: &Arc<str>, line: usize, bytes: &[u8]) -> Item {
        let mut id_warned = false;
        let mut lines = Lines {
            file,
            stem: "dump",
            first: line,
            limit: usize::MAX,
            columns,
            id_warned: &mut id_warned,
        };
        lines.parse_line(line, bytes)
    }

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
            "{\"id\": 5.5, \"text\": \"x\"}",
            "`id` is a number with a fraction, not a string or a whole number",
        ),
        (
            "{\"id\": [5], \"text\": \"x\"}",
            "`id` is an array, not a string or a whole number",
        ),
        (
            "{\"id\": \"a\"}",
            "no text field (`text`, `body` or `content`)",
        ),
        ("not json", "expected ident at line 1 column 2"),
        (
            "{\"id\": \"a\", \"text\": \"x\"",
            "EOF while parsing an object",
        ),
        (
            "{\"id\": \"a\", \"text\": 3}",
            "`text` is a number, not a string",
        ),
        (
            "{\"id\": \"a\", \"body\": null}",
            "`body` is null, not a string",
        ),
        ("{\"id\": \"\", \"text\": \"x\"}", "`id` is empty"),
        ("[1, 2]", "not an article (a JSON array, not an object)"),
        (
            "\"just a string\"",
            "not an article (a string, not an object)",
        ),
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

    /// What real dumps write: numeric ids, `body` or `content` for the text, `headline`
    /// for the title, timestamps for the date, no id at all; and fields named by the
    /// options, nested or not.
    #[test]
    fn fields_are_found_as_in_a_table() {
        let read = |columns: &Columns, line: &str| match with_columns(
            columns,
            &Arc::from("dump.jsonl"),
            4,
            line.as_bytes(),
        ) {
            Item::Article {
                article, warnings, ..
            } => (
                article,
                warnings
                    .iter()
                    .map(|w| w.message.clone())
                    .collect::<Vec<_>>(),
            ),
            Item::Problem(p) => panic!("{line}: {p}"),
        };
        let plain = Columns::default();
        let (article, warnings) = read(
            &plain,
            r#"{"id": 1000, "date": "2018-05-16T10:00:00Z", "headline": "قمة", "body": "استقبل تبون السراج"}"#,
        );
        assert_eq!(article.id, "1000");
        assert_eq!(article.date.as_deref(), Some("2018-05-16"));
        assert_eq!(article.title.as_deref(), Some("قمة"));
        assert_eq!(article.text, "استقبل تبون السراج");
        assert!(warnings.is_empty(), "{warnings:?}");
        // A dump's own name for the date: «published» as news sites' exports call it.
        let (article, _) = read(
            &plain,
            r#"{"id": 1, "published": "2018-05-16T10:00:00Z", "body": "استقبل تبون السراج"}"#,
        );
        assert_eq!(article.date.as_deref(), Some("2018-05-16"));
        let (article, warnings) = read(&plain, r#"{"content": "نص", "text": "النص"}"#);
        assert_eq!(
            (article.id.as_str(), article.text.as_str()),
            ("dump-4", "النص")
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("named `dump-LINE`"), "{warnings:?}");
        let named = Columns {
            id: Some("uid".into()),
            date: Some("meta.published".into()),
            title: None,
            text: Some("article.body".into()),
        };
        let (article, _) = read(
            &named,
            r#"{"id": "x", "uid": 7, "text": "لا", "meta": {"published": "2020-06-23 08:00"}, "article": {"body": "نعم"}}"#,
        );
        assert_eq!(article.id, "7");
        assert_eq!(article.date.as_deref(), Some("2020-06-23"));
        assert_eq!(article.text, "نعم");
        match with_columns(
            &named,
            &Arc::from("d.jsonl"),
            1,
            br#"{"uid": 1, "text": "x"}"#,
        ) {
            Item::Problem(p) => assert!(
                p.message
                    .contains("no field `article.body` (--text-column)"),
                "{p}"
            ),
            Item::Article { .. } => panic!("accepted"),
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
        let repaired = |text: &str| repair_strings(text).map(|(fixed, _)| fixed);
        assert_eq!(
            repaired("{\"a\":\t\"b\tc\\\"\td\"}").as_deref(),
            Some("{\"a\":\t\"b\\u0009c\\\"\\u0009d\"}")
        );
        assert_eq!(repaired("{\"a\":\t\"b\"}"), None);
    }

    #[test]
    fn unpaired_surrogate_escapes_become_replacement_characters() {
        let repaired = |text: &str| repair_strings(text).map(|(fixed, _)| fixed);
        assert_eq!(
            repaired(r#"{"t":"a\ud800b\udc00c\ud800\u0041"}"#).as_deref(),
            Some(r#"{"t":"a\ufffdb\ufffdc\ufffd\u0041"}"#)
        );
        // A pair, an escaped backslash before «u», and surrogates outside strings are left.
        assert_eq!(repaired(r#"{"t":"\ud83d\ude00 \\ud800"}"#), None);
        let item = parse_line(
            &Arc::from("d.jsonl"),
            2,
            "{\"id\":\"a\",\"text\":\"تبون\\ud800\tالسراج\"}".as_bytes(),
        );
        let Item::Article {
            article, warnings, ..
        } = item
        else {
            panic!("rejected")
        };
        assert_eq!(article.text, "تبون\u{fffd}\tالسراج");
        let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[1].starts_with("d.jsonl:2: a UTF-16 surrogate escape without its pair"));
    }
}
