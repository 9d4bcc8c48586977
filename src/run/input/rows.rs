//! The rows of a CSV or TSV file, never more than the size limit of one held: a row is
//! parsed (with `csv-core`) as its bytes come, and one over the limit is consumed, not
//! buffered. A quote left open runs a row to the end of the file; the lines after the
//! one it opens on are then read again as rows, as far as the limit held them.

use std::io::{self, BufRead};

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The bytes of a table: lines to read again first (those after an unclosed quote),
/// then the reader's.
struct Source {
    reader: Box<dyn BufRead + Send>,
    replay: Vec<u8>,
    replayed: usize,
}

impl Source {
    /// The bytes to parse next.
    fn input(&mut self) -> io::Result<&[u8]> {
        if self.replayed < self.replay.len() {
            return Ok(&self.replay[self.replayed..]);
        }
        self.reader.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.replayed < self.replay.len() {
            self.replayed += n;
        } else {
            self.reader.consume(n);
        }
    }
}

/// A table's rows being read.
pub(super) struct Rows {
    source: Source,
    core: Reader,
    delimiter: u8,
    /// The most bytes a row may have (`--max-article-bytes`).
    limit: usize,
    /// The line the next byte read is on (1-based).
    line: usize,
    /// The current row's bytes as read, up to the limit: what is read again after an
    /// unclosed quote.
    raw: Vec<u8>,
    /// The current row's fields, one after the other, and where each ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
}

/// What [`Rows::next_row`] read.
pub(super) enum Row {
    /// A row on this line (where it starts), its fields in the record.
    Fields(usize),
    /// A row on this line, of this many bytes, over the limit: consumed, not held.
    TooLong(usize, usize),
    /// A quote on this line is never closed: the row ran to the end of the file. The
    /// lines after it are read again; the number is how many bytes after it were not
    /// held (over the limit), and so are lost.
    Unclosed(usize, usize),
    /// The end of the file.
    End,
}

impl Rows {
    /// Reads rows of `reader` split by `delimiter`, each of at most `limit` bytes.
    pub(super) fn new(reader: Box<dyn BufRead + Send>, delimiter: u8, limit: usize) -> Rows {
        Rows {
            source: Source {
                reader,
                replay: Vec::new(),
                replayed: 0,
            },
            core: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            limit,
            line: 1,
            raw: Vec::new(),
            fields: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// The line the next row starts on, or the end is at.
    pub(super) fn line(&self) -> usize {
        self.line
    }

    /// Reads the next row into `record`.
    pub(super) fn next_row(&mut self, record: &mut csv::ByteRecord) -> io::Result<Row> {
        self.raw.clear();
        let (mut out, mut ends) = (0, 0);
        // Bytes read for the row (held or not), and the newlines among them.
        let (mut total, mut newlines) = (0usize, 0usize);
        // Fields thrown away: more than the limit would hold.
        let mut discarded = false;
        let (mut last, mut kept) = ([0u8; 2], 0);
        let start_line = self.line;
        // The line the row's first byte is on: blank lines before it are skipped.
        let mut first_line = None;
        loop {
            if self.fields.is_empty() {
                self.fields.resize(256, 0);
                self.ends.resize(16, 0);
            }
            let input = self.source.input()?;
            let at_end = input.is_empty();
            let (result, read, written, ended) =
                self.core
                    .read_record(input, &mut self.fields[out..], &mut self.ends[ends..]);
            let consumed = &input[..read];
            // The row's last two bytes: its line break, if it has one.
            for &b in consumed.iter().rev().take(2).rev() {
                last = [last[1], b];
                kept = (kept + 1).min(2);
            }
            if first_line.is_none() {
                let blank = consumed
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                if blank < consumed.len() {
                    let before = memchr::memchr_iter(b'\n', &consumed[..blank]).count();
                    first_line = Some(start_line + newlines + before);
                }
            }
            newlines += memchr::memchr_iter(b'\n', consumed).count();
            total = total.saturating_add(read);
            let room = self.limit.saturating_add(2).saturating_sub(self.raw.len());
            let kept_here = &consumed[..read.min(room)];
            if self.raw.capacity() - self.raw.len() < kept_here.len() {
                // Grown by doubling, but never past what the limit holds.
                let wanted = (self.raw.capacity() * 2)
                    .max(self.raw.len() + kept_here.len())
                    .min(self.limit.saturating_add(2));
                self.raw.reserve_exact(wanted - self.raw.len());
            }
            self.raw.extend_from_slice(kept_here);
            self.source.consume(read);
            out += written;
            ends += ended;
            match result {
                ReadRecordResult::InputEmpty if !at_end => {}
                ReadRecordResult::OutputFull if self.fields.len() <= self.limit => {
                    let grown = (self.fields.len() * 2).min(self.limit + 1);
                    self.fields.reserve_exact(grown - self.fields.len());
                    self.fields.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull if self.ends.len() <= self.limit / 8 => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                // More than the limit holds: the rest of the row is parsed over the
                // same space and thrown away.
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    discarded = true;
                    out = 0;
                    ends = 0;
                }
                ReadRecordResult::Record => {
                    self.line = start_line + newlines;
                    let line = first_line.unwrap_or(start_line);
                    if at_end && self.unclosed() {
                        return Ok(Row::Unclosed(line, self.read_again(line, total)));
                    }
                    let bytes = self.row_bytes(total, &last[2 - kept..]);
                    if discarded || bytes > self.limit {
                        return Ok(Row::TooLong(line, bytes));
                    }
                    record.clear();
                    let mut start = 0;
                    for &end in &self.ends[..ends] {
                        record.push_field(&self.fields[start..end]);
                        start = end;
                    }
                    return Ok(Row::Fields(line));
                }
                ReadRecordResult::InputEmpty | ReadRecordResult::End => {
                    self.line = start_line + newlines;
                    return Ok(Row::End);
                }
            }
        }
    }

    /// The row's own bytes, without the blank lines before it and the line break
    /// after it: where they start in `raw`, and where they end (the end of `raw` when
    /// the row was cut).
    fn content(&self, total: usize) -> (usize, usize) {
        let terminator = |b: &&u8| matches!(b, b'\r' | b'\n');
        let leading = self.raw.iter().take_while(terminator).count();
        let trailing = if self.raw.len() == total {
            self.raw[leading..]
                .iter()
                .rev()
                .take_while(terminator)
                .count()
        } else {
            0
        };
        (leading, self.raw.len() - trailing)
    }

    /// The size of the row read, without its line breaks: what the limit counts.
    /// `last` is the last bytes read, for a row too long for `raw` to end in.
    fn row_bytes(&self, total: usize, last: &[u8]) -> usize {
        let (start, _) = self.content(total);
        let trailing = last
            .iter()
            .rev()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        total.saturating_sub(start + trailing)
    }

    /// Whether the row that ran to the end of the file did so inside a quote: it
    /// spans several lines and holds an odd number of quotes.
    fn unclosed(&self) -> bool {
        let (start, end) = self.content(self.raw.len());
        let body = &self.raw[start..end];
        memchr::memchr(b'\n', body).is_some() && memchr::memchr_iter(b'"', body).count() % 2 == 1
    }

    /// Queues the held lines after the row's first (on `line`) to be read again, with
    /// a fresh parser; returns how many bytes of the row were past the limit and lost.
    fn read_again(&mut self, line: usize, total: usize) -> usize {
        let (content, _) = self.content(total);
        let after_first =
            memchr::memchr(b'\n', &self.raw[content..]).map_or(self.raw.len(), |i| content + i + 1);
        // Whole lines only: a line cut by the limit is not read as a row.
        let whole = if self.raw.len() < total {
            memchr::memrchr(b'\n', &self.raw[after_first..])
                .map_or(after_first, |i| after_first + i + 1)
        } else {
            self.raw.len()
        };
        let lost = total - whole;
        let mut replay = self.raw[after_first..whole].to_vec();
        // What is left of an earlier replay comes after.
        replay.extend_from_slice(&self.source.replay[self.source.replayed..]);
        self.source.replay = replay;
        self.source.replayed = 0;
        self.line = line + 1;
        self.core = ReaderBuilder::new().delimiter(self.delimiter).build();
        lost
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use super::*;

    /// Hands out `head`, then `len` bytes of `x`, never holding them.
    struct Endless {
        head: &'static [u8],
        left: usize,
    }

    impl Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if !self.head.is_empty() {
                let n = out.len().min(self.head.len());
                out[..n].copy_from_slice(&self.head[..n]);
                self.head = &self.head[n..];
                return Ok(n);
            }
            let n = out.len().min(self.left);
            out[..n].fill(b'x');
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn a_50_mb_row_behind_an_open_quote_is_streamed_past_with_bounded_memory() {
        let reader = BufReader::new(Endless {
            head: b"id,text\na,\"",
            left: 50 << 20,
        });
        let limit = 1 << 20;
        let mut rows = Rows::new(Box::new(reader), b',', limit);
        let mut record = csv::ByteRecord::new();
        assert!(matches!(
            rows.next_row(&mut record).unwrap(),
            Row::Fields(1)
        ));
        assert_eq!(record.iter().collect::<Vec<_>>(), [&b"id"[..], b"text"]);
        match rows.next_row(&mut record).unwrap() {
            Row::TooLong(2, bytes) => assert_eq!(bytes, (50 << 20) + 3),
            _ => panic!("not reported as too long"),
        }
        assert!(matches!(rows.next_row(&mut record).unwrap(), Row::End));
        let held = rows.raw.capacity() + rows.fields.capacity() + 8 * rows.ends.capacity();
        assert!(
            held <= 2 * limit + 4096,
            "held {held} bytes for a row over the limit"
        );
    }
}
