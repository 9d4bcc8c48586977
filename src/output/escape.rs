//! Escaping for the text formats (DOT strings, XML and Graphviz HTML labels) and
//! bidirectional isolates for numbers in right-to-left labels; and the escape of what a
//! terminal or a log line shows.

use std::borrow::Cow;

/// Escapes `text` for a double-quoted DOT string: quotes, backslashes and ampersands
/// escaped, line breaks turned into DOT's `\n`, other control characters dropped.
pub fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_dot_escaped(&mut out, text);
    out
}

/// Writes [`dot_escape`] of `text` to `out`, without making the string.
pub fn write_dot_escaped(out: &mut dyn std::fmt::Write, text: &str) {
    escape_chars(
        out,
        text,
        |b| b < 0x20 || matches!(b, b'"' | b'\\' | b'&' | 0x7F | 0xC2),
        |c, out| match c {
            '"' => out.write_str("\\\""),
            // Graphviz reads entities («&#1;», «&amp;») in every string: a literal `&`
            // is written as an entity itself.
            '&' => out.write_str("&amp;"),
            '\\' => out.write_str("\\\\"),
            '\n' => out.write_str("\\n"),
            c if c.is_control() => Ok(()),
            c => out.write_char(c),
        },
    );
}

/// Writes `text` to `out`, handing each character whose first byte `special` picks to
/// `escape`, which writes what stands for it. The rest is written in runs, not
/// character by character: the graph files escape every label and evidence sentence.
/// A writer that fails keeps its own error (as [`TextSink`] does).
///
/// `special` must pick only bytes that start a character (ASCII, or lead bytes such as
/// 0xC2 for U+0080..U+00BF), and every first byte of a character `escape` changes.
fn escape_chars(
    out: &mut dyn std::fmt::Write,
    text: &str,
    special: impl Fn(u8) -> bool,
    escape: impl Fn(char, &mut dyn std::fmt::Write) -> std::fmt::Result,
) {
    let bytes = text.as_bytes();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        if !special(bytes[at]) {
            at += 1;
            continue;
        }
        let c = text[at..].chars().next().expect("a character starts here");
        let _ = out.write_str(&text[copied..at]);
        let _ = escape(c, out);
        at += c.len_utf8();
        copied = at;
    }
    let _ = out.write_str(&text[copied..]);
}

/// Escapes `text` for XML content and attribute values (and Graphviz HTML labels):
/// `& < > " '` become entities; characters XML 1.0 forbids (controls other than
/// tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_xml_escaped(&mut out, text);
    out
}

/// Writes [`xml_escape`] of `text` to `out`, without making the string.
pub fn write_xml_escaped(out: &mut dyn std::fmt::Write, text: &str) {
    escape_chars(
        out,
        text,
        |b| b < 0x20 || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0x7F | 0xC2 | 0xEF),
        |c, out| match c {
            '&' => out.write_str("&amp;"),
            '<' => out.write_str("&lt;"),
            '>' => out.write_str("&gt;"),
            '"' => out.write_str("&quot;"),
            '\'' => out.write_str("&apos;"),
            '\t' | '\n' | '\r' => out.write_char(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => Ok(()),
            c => out.write_char(c),
        },
    );
}

/// Joins `items` with `;` into one table cell or attribute (an edge's article ids, the
/// rules of an unknown string), a `\` or `;` inside an item written `\\` or `\;`: the
/// list splits back into the same items whatever they hold.
pub fn join_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        for c in item.chars() {
            if matches!(c, ';' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Whether `c` is written escaped on a terminal or in a log line: control characters
/// (C0 with line breaks and tabs, DEL and C1, which start escape sequences or forge a
/// line), the line and paragraph separators, and the bidirectional embeddings, overrides
/// and isolates, which reorder what follows them. Arabic letters, marks and the
/// right-to-left mark are not.
fn escaped_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` safe to write to a terminal or a log line: each character that could colour
/// the screen, move the cursor, start a line of its own or reorder the line is written
/// as Rust escapes it (`\u{1b}`, `\n`, `\t`, `\u{202e}`); the rest, Arabic included,
/// as it is. Every message that carries data (an id, a file name, a rejected value)
/// goes through it.
pub fn terminal_escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(escaped_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped_on_terminal(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Left-to-right isolate, right-to-left isolate, and their end (U+2066, U+2067, U+2069).
pub(super) const LRI: char = '\u{2066}';
pub(super) const RLI: char = '\u{2067}';
pub(super) const PDI: char = '\u{2069}';

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{660}'..='\u{669}').contains(&c)
        || ('\u{6f0}'..='\u{6f9}').contains(&c)
}

/// Wraps each number or date in `text` («2018-04-02», «5+5», «1.5») in a
/// left-to-right isolate (U+2066 … U+2069), so that a right-to-left renderer does
/// not reorder its parts («02-04-2018»).
pub fn isolate_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(start) = rest.find(is_digit) {
        out.push_str(&rest[..start]);
        let mut end = start;
        let mut chars = rest[start..].chars().peekable();
        while let Some(c) = chars.next() {
            if is_digit(c) {
                end += c.len_utf8();
            } else if "-/.:,+×%".contains(c)
                && let Some(&next) = chars.peek().filter(|&&next| is_digit(next))
            {
                chars.next();
                end += c.len_utf8() + next.len_utf8();
            } else {
                break;
            }
        }
        out.push(LRI);
        out.push_str(&rest[start..end]);
        out.push(PDI);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_are_escaped() {
        let cases = [
            ("حكومة \"الوفاق\"", "حكومة \\\"الوفاق\\\""),
            ("a\\b", "a\\\\b"),
            ("سطر\nثان", "سطر\\nثان"),
            ("tab\there", "tabhere"),
            ("a&#1;", "a&amp;#1;"),
            ("R&amp;D", "R&amp;amp;D"),
        ];
        for (raw, escaped) in cases {
            assert_eq!(dot_escape(raw), escaped);
        }
    }

    /// Splits a list [`join_list`] wrote, the way docs/CONTRACT.md tells a reader to.
    fn split_list(list: &str) -> Vec<String> {
        let mut items = vec![String::new()];
        let mut chars = list.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => items.last_mut().unwrap().extend(chars.next()),
                ';' => items.push(String::new()),
                c => items.last_mut().unwrap().push(c),
            }
        }
        items
    }

    #[test]
    fn lists_split_back_into_their_items() {
        assert_eq!(join_list(["a1", "b2"]), "a1;b2");
        assert_eq!(join_list(["a;b", "c"]), "a\\;b;c");
        assert_eq!(join_list(["a", "b;c"]), "a;b\\;c");
        assert_eq!(join_list(["x\\", "y"]), "x\\\\;y");
        for items in [
            vec!["a;b", "c"],
            vec!["a", "b;c"],
            vec!["x\\", ";y"],
            vec!["خبر؛١", "\\;"],
        ] {
            assert_eq!(split_list(&join_list(items.iter().copied())), items);
        }
    }

    #[test]
    fn terminal_text_keeps_arabic_and_escapes_controls() {
        assert_eq!(
            terminal_escape("فائز السراج\u{200f}"),
            "فائز السراج\u{200f}"
        );
        assert!(matches!(terminal_escape("السراج"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_escape("a\u{1b}[31mRED\nactorgraph: forged\t\u{9b}2J\u{202e}x\u{7f}"),
            "a\\u{1b}[31mRED\\nactorgraph: forged\\t\\u{9b}2J\\u{202e}x\\u{7f}"
        );
    }

    #[test]
    fn xml_strings_are_escaped() {
        assert_eq!(
            xml_escape("<a href=\"x\">'حكومة' & co\u{1}\u{fffe}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;حكومة&apos; &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn numbers_and_dates_are_isolated() {
        assert_eq!(
            isolate_numbers("اللجنة العسكرية 5+5 في 2018-04-02."),
            "اللجنة العسكرية \u{2066}5+5\u{2069} في \u{2066}2018-04-02\u{2069}."
        );
        assert_eq!(isolate_numbers("عام ٢٠١٨"), "عام \u{2066}٢٠١٨\u{2069}");
        assert_eq!(isolate_numbers("بلا أرقام"), "بلا أرقام");
        assert_eq!(isolate_numbers("-5-"), "-\u{2066}5\u{2069}-");
        assert_eq!(
            isolate_numbers("5--5 ×2"),
            "\u{2066}5\u{2069}--\u{2066}5\u{2069} ×\u{2066}2\u{2069}"
        );
        assert_eq!(isolate_numbers("1.5%"), "\u{2066}1.5\u{2069}%");
    }

    /// Isolating as first written, over a vector of characters: the search over the
    /// text must agree with it.
    fn isolate_numbers_by_chars(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if !is_digit(chars[i]) {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() {
                if is_digit(chars[i]) {
                    i += 1;
                } else if "-/.:,+×%".contains(chars[i])
                    && chars.get(i + 1).is_some_and(|&c| is_digit(c))
                {
                    i += 2;
                } else {
                    break;
                }
            }
            out.push(LRI);
            out.extend(&chars[start..i]);
            out.push(PDI);
        }
        out
    }

    /// The escapes written the plain way, a character at a time: the reference for
    /// the escapes that write in runs.
    fn dot_escape_by_chars(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '&' => out.push_str("&amp;"),
                '\n' => out.push_str("\\n"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    fn xml_escape_by_chars(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// Pieces with every character either escape treats apart, and their neighbours.
    const ESCAPED_PIECES: &[&str] = &[
        "السراج",
        "a",
        " ",
        "\"",
        "\\",
        "\n",
        "\r",
        "\t",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{80}",
        "\u{9f}",
        "\u{a0}",
        "é",
        "&",
        "<",
        ">",
        "'",
        "\u{fffe}",
        "\u{ffff}",
        "\u{fffd}",
        "\u{ef}",
        "\u{2066}",
        "😀",
    ];

    proptest::proptest! {
        #![proptest_config(crate::testing::config(2000))]
        #[test]
        fn escaping_agrees_with_the_first_way(
            text in crate::testing::texts(ESCAPED_PIECES, 10)
        ) {
            proptest::prop_assert_eq!(dot_escape(&text), dot_escape_by_chars(&text));
            proptest::prop_assert_eq!(xml_escape(&text), xml_escape_by_chars(&text));
        }

        #[test]
        fn isolating_numbers_agrees_with_the_first_way(
            text in crate::testing::texts(
                &["5", "٢", "۱", "-", "/", ".", ":", ",", "+", "×", "%", " ", "في", "a", "\n"],
                14,
            )
        ) {
            proptest::prop_assert_eq!(isolate_numbers(&text), isolate_numbers_by_chars(&text));
        }
    }
}
