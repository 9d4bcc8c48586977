//! A stream's first bytes: gzip and zstd are undone; other compressions, binary files
//! and JSON that is not JSON Lines are refused there, as one problem for the file
//! rather than one for every line.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use super::table::open_table;
use super::{Body, Format, Inputs, OpenFile, READ_BUFFER};
use crate::error::InputProblem;

/// Bytes looked at to tell a text file from a binary one.
const SNIFF_BYTES: usize = 8 * 1024;

/// Lines of standard input looked at to tell its format.
const DETECT_LINES: usize = 2;

/// A compression that is read, recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compression {
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

    pub(super) fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// What a decoder's error at the start of a file means, worded for the reader.
    pub(super) fn cannot_decompress(self, e: &io::Error) -> String {
        if self == Compression::Zstd && e.to_string().contains("too much memory") {
            format!(
                "cannot decompress: the zstd window is over {} MiB, more than zstd writes (`zstd --long=31` at most): recompress it",
                1u64 << (ZSTD_WINDOW_LOG_MAX - 20)
            )
        } else {
            format!(
                "cannot decompress ({e}): not a complete {} file",
                self.name()
            )
        }
    }
}

/// The largest window a zstd frame may ask for, as a power of two: 2 GiB, zstd's own
/// limit, so that every file `zstd --long=N` writes is read (the decoder's default stops
/// at 128 MiB, `--long=27`). The window is memory held while the file is read, up to
/// the bytes it decompresses to.
const ZSTD_WINDOW_LOG_MAX: u32 = 31;

impl Inputs {
    /// Looks at the first bytes of a stream: decompresses gzip and zstd, refuses other
    /// compressions and binary files, skips a UTF-8 byte-order mark, reads a table's
    /// header.
    pub(super) fn start<R: Read + Send + 'static>(
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
        let mut reader = decompress(raw, compression)
            .map_err(|e| problem(None, format!("cannot start the zstd decoder: {e}; skipped")))?;
        if format == Format::Detect {
            // A pipe hands out what was written so far: the first lines are waited for
            // and put back in front of the stream.
            let mut first = Vec::new();
            for _ in 0..DETECT_LINES {
                let room = (SNIFF_BYTES - first.len().min(SNIFF_BYTES)) as u64;
                (&mut reader)
                    .take(room)
                    .read_until(b'\n', &mut first)
                    .map_err(|e| problem(None, format!("cannot read: {e}; skipped")))?;
            }
            reader = Box::new(io::Cursor::new(first).chain(reader));
        }
        let head = fill_head(&mut reader).map_err(|e| match compression {
            Some(kind) => problem(Some(1), format!("{}; skipped", kind.cannot_decompress(&e))),
            None => problem(None, format!("cannot read: {e}; skipped")),
        })?;
        let format = match format {
            Format::Detect => detect_format(&head)
                .map_err(|message| problem(None, format!("{message}; skipped")))?,
            known => known,
        };
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
            Format::Lines | Format::Detect => Body::Lines(reader),
            Format::Table(delimiter) => {
                let (table, warning) = open_table(
                    reader,
                    delimiter,
                    &self.columns,
                    compression,
                    &stem,
                    self.max_bytes,
                )
                .map_err(|(line, message, missing)| {
                    self.missing_column |= missing;
                    problem(line, format!("{message}; skipped"))
                })?;
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
            id_warned: false,
        }))
    }
}

/// `raw` read through the decoder of `compression`.
fn decompress<R: Read + Send + 'static>(
    raw: BufReader<R>,
    compression: Option<Compression>,
) -> io::Result<Box<dyn BufRead + Send>> {
    Ok(match compression {
        Some(Compression::Gzip) => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            flate2::read::MultiGzDecoder::new(raw),
        )),
        Some(Compression::Zstd) => {
            let mut decoder = zstd::stream::read::Decoder::with_buffer(raw)?;
            decoder.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
            Box::new(BufReader::with_capacity(READ_BUFFER, decoder))
        }
        None => Box::new(raw),
    })
}

/// `raw` decompressed when its first bytes are gzip's or zstd's, as the readers of
/// articles do: for the readers of records.
pub(crate) fn decompressed<R: Read + Send + 'static>(
    raw: R,
) -> io::Result<Box<dyn BufRead + Send>> {
    let mut raw = BufReader::with_capacity(READ_BUFFER, raw);
    let compression = Compression::detect(raw.fill_buf()?);
    decompress(raw, compression)
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

/// The format of standard input by its first lines: JSON Lines when the first starts
/// with `{` (or `[`, refused next as a JSON array, or when there is nothing), else a TSV
/// or CSV header when it holds a tab or a comma, else JSON Lines still when a later line
/// starts with `{` (a bad first line is that line's problem); otherwise why it is none
/// of them.
fn detect_format(head: &[u8]) -> Result<Format, String> {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(start) = text.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Ok(Format::Lines);
    };
    let rest = &text[start..];
    let first_line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let object_line = || {
        rest.split(|&b| b == b'\n')
            .any(|line| line.trim_ascii_start().starts_with(b"{"))
    };
    if matches!(first_line[0], b'{' | b'[') {
        Ok(Format::Lines)
    } else if first_line.contains(&b'\t') {
        Ok(Format::Table(b'\t'))
    } else if first_line.contains(&b',') {
        Ok(Format::Table(b','))
    } else if object_line() {
        Ok(Format::Lines)
    } else {
        Err("standard input is neither JSON Lines (no line starts with `{`) nor a CSV or TSV table (its first line has no comma or tab); name its format with --input-format jsonl, csv, tsv or txt".to_string())
    }
}

/// Why a file's first bytes show that it holds no articles of its format, if they do.
fn refuse_content(head: &[u8], format: Format) -> Option<String> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16 text; convert the file to UTF-8".to_string());
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = text.iter().position(|b| !b.is_ascii_whitespace());
    match format {
        Format::Text | Format::Detect => None,
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

#[cfg(test)]
mod tests {
    use super::*;

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
