//! The two outputs written for every article, encoded directly: its JSON line in
//! articles.jsonl and its rows in mentions.csv.
//!
//! They are most of what a run writes, and mentions are most of both. Through
//! serde_json and the csv crate, each field would go through the serializer's state
//! machine, each key would be escaped again, and each CSV field would go through
//! csv-core's writer byte by byte. Here the fixed parts are constants and only the
//! strings are escaped.
//!
//! serde_json and csv stay the reference: the tests hold the bytes equal to theirs on
//! records of every shape, strings full of quotes, separators and control characters
//! included. Relations and unknown actors, far fewer than mentions, go through
//! serde_json.

use std::borrow::Cow;

use crate::record::{ArticleRecord, Mention};

/// Appends `record` as serde_json writes it (`serde_json::to_writer`), without a line
/// end.
pub(crate) fn article_json(record: &ArticleRecord, out: &mut Vec<u8>) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    json_string(&record.id, out);
    if let Some(date) = &record.date {
        out.extend_from_slice(b",\"date\":");
        json_string(date, out);
    }
    if let Some(fingerprint) = &record.fingerprint {
        use std::io::Write;
        let _ = write!(out, ",\"fingerprint\":\"{fingerprint}\"");
    }
    out.extend_from_slice(b",\"mentions\":[");
    for (index, mention) in record.mentions.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        mention_json(mention, out);
    }
    out.extend_from_slice(b"],\"relations\":");
    serde_json::to_writer(&mut *out, &record.relations)?;
    if !record.unknown.is_empty() {
        out.extend_from_slice(b",\"unknown\":");
        serde_json::to_writer(&mut *out, &record.unknown)?;
    }
    out.push(b'}');
    Ok(())
}

/// Appends one mention as serde_json writes it.
fn mention_json(mention: &Mention, out: &mut Vec<u8>) {
    let mut number = itoa::Buffer::new();
    out.extend_from_slice(b"{\"start\":");
    out.extend_from_slice(number.format(mention.start).as_bytes());
    out.extend_from_slice(b",\"end\":");
    out.extend_from_slice(number.format(mention.end).as_bytes());
    out.extend_from_slice(b",\"text\":");
    json_string(&mention.text, out);
    out.extend_from_slice(b",\"type\":\"");
    out.extend_from_slice(mention.mention_type.as_str().as_bytes());
    out.extend_from_slice(b"\",\"entity\":");
    json_string(&mention.entity, out);
    out.extend_from_slice(b",\"label\":");
    json_string(&mention.label, out);
    if !mention.field.is_text() {
        out.extend_from_slice(b",\"field\":\"");
        out.extend_from_slice(mention.field.as_str().as_bytes());
        out.push(b'"');
    }
    if !mention.known {
        out.extend_from_slice(b",\"known\":false");
    }
    if let Some(country) = &mention.country {
        out.extend_from_slice(b",\"country\":");
        json_string(country, out);
    }
    out.push(b'}');
}

/// Appends `text` as a JSON string, escaped as serde_json escapes: the quote, the
/// backslash and the control characters below U+0020, the common ones by letter.
fn json_string(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.push(b'"');
    // Names and labels almost never hold one: one look at each byte decides for the
    // whole string.
    if !bytes.iter().any(|&b| JSON_ESCAPED[usize::from(b)]) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut copied = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0x00..=0x1F => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&bytes[copied..at]);
        out.extend_from_slice(escape);
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The bytes a JSON string escapes.
const JSON_ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The bytes for which a CSV field is quoted.
const CSV_QUOTED: [bool; 256] = {
    let mut table = [false; 256];
    table[b',' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

/// Appends the mentions.csv rows of `record` (see `export::MENTION_COLUMNS`) as the
/// csv crate writes them by default: a field is quoted when it holds a comma, a quote
/// or a line break, and its quotes are doubled. Rows end with `terminator`. With
/// `excel`, a text cell a spreadsheet would read as a formula is made inert
/// ([`excel_inert`]).
pub(crate) fn mention_rows(
    record: &ArticleRecord,
    terminator: &[u8],
    excel: bool,
    out: &mut Vec<u8>,
) {
    if record.mentions.is_empty() {
        return;
    }
    let csv_field = |text: &str, out: &mut Vec<u8>| {
        if excel {
            csv_field(&excel_inert(text), out);
        } else {
            csv_field(text, out);
        }
    };
    // The id starts every row: encoded once, in the first row, and copied from there.
    let id_start = out.len();
    csv_field(&record.id, out);
    out.push(b',');
    let id = id_start..out.len();
    let mut number = itoa::Buffer::new();
    for (row, mention) in record.mentions.iter().enumerate() {
        if row > 0 {
            out.extend_from_within(id.clone());
        }
        out.extend_from_slice(mention.field.as_str().as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(mention.start).as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(mention.end).as_bytes());
        out.push(b',');
        csv_field(&mention.text, out);
        out.push(b',');
        out.extend_from_slice(mention.mention_type.as_str().as_bytes());
        out.push(b',');
        csv_field(&mention.entity, out);
        out.push(b',');
        csv_field(&mention.label, out);
        out.extend_from_slice(terminator);
    }
}

/// `cell` as a spreadsheet reads it as text, for `--excel`: a cell that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel as a formula
/// (an evidence sentence starting «- » shows as #NAME?; a crafted one runs), so it gets
/// a leading `'`, as OWASP advises against CSV injection.
pub(crate) fn excel_inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Appends one CSV field, quoted only when it must be.
fn csv_field(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| CSV_QUOTED[usize::from(b)]) {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for piece in bytes.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(piece);
        if piece.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::record;

    /// The rows the csv crate writes for the mentions of `record`.
    fn csv_reference(record: &ArticleRecord, terminator: csv::Terminator, excel: bool) -> Vec<u8> {
        let cell = |text: &str| {
            if excel {
                excel_inert(text).into_owned()
            } else {
                text.to_string()
            }
        };
        let mut writer = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(Vec::new());
        let (mut start, mut end) = (itoa::Buffer::new(), itoa::Buffer::new());
        for m in &record.mentions {
            writer
                .write_record([
                    cell(&record.id).as_str(),
                    m.field.as_str(),
                    start.format(m.start),
                    end.format(m.end),
                    &cell(&m.text),
                    m.mention_type.as_str(),
                    &cell(&m.entity),
                    &cell(&m.label),
                ])
                .unwrap();
        }
        writer.into_inner().unwrap()
    }

    proptest! {
        #![proptest_config(crate::testing::config(2000))]

        #[test]
        fn json_lines_are_serde_json_s(record in record()) {
            let mut line = Vec::new();
            article_json(&record, &mut line).unwrap();
            prop_assert_eq!(
                String::from_utf8(line).unwrap(),
                serde_json::to_string(&record).unwrap()
            );
        }

        #[test]
        fn mention_rows_are_the_csv_crate_s(record in record()) {
            for (terminator, bytes, excel) in [
                (csv::Terminator::Any(b'\n'), &b"\n"[..], false),
                (csv::Terminator::CRLF, &b"\r\n"[..], true),
            ] {
                let mut rows = Vec::new();
                mention_rows(&record, bytes, excel, &mut rows);
                prop_assert_eq!(
                    String::from_utf8(rows).unwrap(),
                    String::from_utf8(csv_reference(&record, terminator, excel)).unwrap()
                );
            }
        }
    }

    #[test]
    fn formulas_are_inert_for_excel() {
        for cell in ["=1+1", "+1", "- نص", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(excel_inert(cell), format!("'{cell}"));
        }
        for cell in ["", "السراج", "2018-06-01", "12", "a=b", " -x"] {
            assert_eq!(excel_inert(cell), cell);
        }
    }

    /// The escapes and quotes written out, where a reader can see them.
    #[test]
    fn strings_are_escaped_and_quoted() {
        let mut json = Vec::new();
        json_string("«قال» \"نعم\"\\\n\u{1}", &mut json);
        assert_eq!(json, "\"«قال» \\\"نعم\\\"\\\\\\n\\u0001\"".as_bytes());
        let cases = [
            ("حكومة الوفاق", "حكومة الوفاق"),
            ("Bahrain, Kingdom of", "\"Bahrain, Kingdom of\""),
            ("a \"b\"", "\"a \"\"b\"\"\""),
            ("line\nbreak", "\"line\nbreak\""),
        ];
        for (field, expected) in cases {
            let mut out = Vec::new();
            csv_field(field, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{field:?}");
        }
    }
}
