//! Sentence segmentation over folded text.
//!
//! A sentence ends at . ! ? ؟ ؛ ; (a run of them stays together, and a full stop
//! between digits is a decimal point) and at every line break, so headings without
//! a full stop («عودة النفط») stand alone. Commas do not end sentences: a clause
//! list such as «جدد X و Y التأكيد على ...، وأن ...» is one statement.

use std::ops::Range;

/// The bytes that end a sentence-ending character in UTF-8: . ! ? ; and the line break,
/// and the last bytes of ؟ (D8 9F) and ؛ (D8 9B). ASCII bytes never occur inside
/// another character, and 9F and 9B are checked for the D8 before them, so the text
/// can be scanned byte by byte. (Their lead byte, D8, starts half the Arabic letters.)
const TERMINAL_BYTES: [u8; 7] = [b'.', b'!', b'?', b';', b'\n', 0x9F, 0x9B];

/// [`TERMINAL_BYTES`] as a table, for the byte-by-byte scan.
const TERMINAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < TERMINAL_BYTES.len() {
        table[TERMINAL_BYTES[i] as usize] = true;
        i += 1;
    }
    table
};

/// How many of the first bytes of `bytes` are not in [`TERMINAL_BYTES`], read
/// thirty-two at a time (a sentence is a few hundred bytes), up to the first terminal;
/// past the last whole block, the caller goes on byte by byte. Setting bit 2 pairs the
/// terminals off («;» with «?», 9B with 9F), so five comparisons find all seven.
fn clear_run(bytes: &[u8]) -> usize {
    use wide::{CmpEq, u8x32};
    let mut run = 0;
    while let Some(block) = bytes[run..].first_chunk::<32>() {
        let v = u8x32::new(*block);
        let paired = v | u8x32::splat(4);
        let terminal = paired.cmp_eq(u8x32::splat(b'?'))
            | paired.cmp_eq(u8x32::splat(0x9F))
            | v.cmp_eq(u8x32::splat(b'.'))
            | v.cmp_eq(u8x32::splat(b'!'))
            | v.cmp_eq(u8x32::splat(b'\n'));
        let mask = terminal.move_mask() as u32;
        if mask != 0 {
            return run + mask.trailing_zeros() as usize;
        }
        run += 32;
    }
    run
}

/// The sentence-ending character that ends at byte `last`, as its start, if any.
fn terminal_ending(bytes: &[u8], last: usize) -> Option<usize> {
    match bytes[last] {
        0x9F | 0x9B => (last > 0 && bytes[last - 1] == 0xD8).then(|| last - 1),
        b => TERMINAL[b as usize].then_some(last),
    }
}

/// The length of the sentence-ending character that starts at `at`, or 0.
fn terminal_at(bytes: &[u8], at: usize) -> usize {
    match bytes[at] {
        0xD8 => match bytes.get(at + 1) {
            Some(0x9F | 0x9B) => 2,
            _ => 0,
        },
        b if b < 0x80 && TERMINAL[b as usize] => 1,
        _ => 0,
    }
}

/// The sentences of `text` (folded), as byte ranges trimmed of spaces, in order.
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // News sentences run to a few hundred bytes.
    let mut found = Vec::with_capacity(text.len() / 128 + 1);
    let mut start = 0;
    let mut last = 0;
    while last < bytes.len() {
        if !TERMINAL[bytes[last] as usize] {
            last += 1 + clear_run(&bytes[last + 1..]);
            continue;
        }
        let Some(at) = terminal_ending(bytes, last) else {
            last += 1;
            continue;
        };
        if bytes[at] == b'.'
            && at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
        {
            last += 1;
            continue;
        }
        let mut end = last + 1;
        // A run of terminals stays together, up to a line break.
        while end < bytes.len() && bytes[end] != b'\n' {
            match terminal_at(bytes, end) {
                0 => break,
                next => end += next,
            }
        }
        push_trimmed(text, start..end, &mut found);
        start = end;
        last = end;
    }
    push_trimmed(text, start..text.len(), &mut found);
    found
}

/// Pushes `range` without its leading and trailing whitespace, unless nothing is left.
/// Folded text's only whitespace is the space and the line break, so the bytes are
/// read, where `str::trim` decoded characters and looked them up in Unicode's tables.
fn push_trimmed(text: &str, range: Range<usize>, found: &mut Vec<Range<usize>>) {
    let slice = &text.as_bytes()[range.clone()];
    let space = |b: &u8| matches!(b, b' ' | b'\n');
    let Some(lead) = slice.iter().position(|b| !space(b)) else {
        return;
    };
    let trail = slice.iter().rev().take_while(|b| space(b)).count();
    found.push(range.start + lead..range.end - trail);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::Folded;
    use proptest::prelude::*;

    /// (text, expected sentences), one row per boundary phenomenon of the seed.
    const CASES: &[(&str, &[&str])] = &[
        (
            "حكومة الوفاق.. مشاركة إيطالية",
            &["حكومه الوفاق..", "مشاركه ايطاليه"],
        ),
        (
            "عودة النفط\nوناقش الرئيس السراج",
            &["عوده النفط", "وناقش الرئيس السراج"],
        ),
        (
            "التعاون المشترك؛إضافة إلى تأكيده",
            &["التعاون المشترك؛", "اضافه الي تاكيده"],
        ),
        (
            "على الأرض؛ فهل تندرج؟ وهل سنرى؟",
            &["علي الارض؛", "فهل تندرج؟", "وهل سنري؟"],
        ),
        ("بلغ 3.5 مليار. ثم", &["بلغ 3.5 مليار.", "ثم"]),
        ("عسكريا، وأن على الجميع", &["عسكريا، وان علي الجميع"]),
        ("\n\n", &[]),
    ];

    /// The segmenter as first written, one character at a time.
    fn sentences_by_char(text: &str) -> Vec<Range<usize>> {
        let is_terminal = |c: char| matches!(c, '.' | '!' | '?' | '؟' | '؛' | ';' | '\n');
        let mut found = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if !is_terminal(c) {
                continue;
            }
            if c == '.' {
                let before = text[..at].chars().next_back();
                let after = chars.peek().map(|&(_, c)| c);
                if before.is_some_and(|c| c.is_ascii_digit())
                    && after.is_some_and(|c| c.is_ascii_digit())
                {
                    continue;
                }
            }
            let mut end = at + c.len_utf8();
            while let Some(&(next_at, next)) = chars.peek() {
                if is_terminal(next) && next != '\n' {
                    end = next_at + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            push_trimmed(text, start..end, &mut found);
            start = end;
        }
        push_trimmed(text, start..text.len(), &mut found);
        found
    }

    /// Sentence ends of both kinds, digits around a full stop, and bytes that share
    /// the lead (ؠ, ء) or the last byte (Û, U+009F, ٟ) of ؟ and ؛.
    const PIECES: &[&str] = &[
        "ا", "ب", " ", ".", "..", "!", "?", ";", "؟", "؛", "\n", "3", "،", "ؠ", "ء", "x", "Û",
        "\u{009F}", "ٟ",
    ];

    proptest! {
        #![proptest_config(crate::testing::config(20_000))]

        #[test]
        fn byte_scan_agrees_with_reading_characters(
            text in crate::testing::texts(PIECES, 11)
        ) {
            prop_assert_eq!(sentences(&text), sentences_by_char(&text), "{:?}", text);
        }
    }

    #[test]
    fn clear_runs_stop_at_a_terminal() {
        let letters = "وناقش الرئيس السراج مع رئيس الوزراء الايطالي".as_bytes();
        assert_eq!(clear_run(letters), letters.len() / 32 * 32);
        // A terminal in a whole block is found exactly; past the last one, the run ends
        // with the blocks.
        for terminal in ["؟", "؛", ".", "!", "?", ";", "\n"] {
            for at in (0..letters.len()).filter(|&i| letters[i] == b' ') {
                let text = [&letters[..at], terminal.as_bytes(), &letters[at..]].concat();
                // ؟ and ؛ are found by their second byte.
                let found = at + terminal.len() - 1;
                let expected = if found < text.len() / 32 * 32 {
                    found
                } else {
                    text.len() / 32 * 32
                };
                assert_eq!(clear_run(&text), expected, "{terminal:?} at {at}");
            }
        }
        // Bytes one bit away from a terminal's do not stop the run.
        for other in ["/", ":", "*", "&", "\u{0E}", "،", "ؗ", "ؚ"] {
            let text = [other.as_bytes(), letters].concat();
            assert_eq!(clear_run(&text), text.len() / 32 * 32, "{other:?}");
        }
    }

    /// The block's comparisons stop at exactly the bytes of [`TERMINAL_BYTES`], which the
    /// byte-by-byte scan reads from [`TERMINAL`]: a terminal added to the list and not to
    /// the comparisons fails here.
    #[test]
    fn clear_runs_stop_at_every_terminal_byte_and_no_other() {
        for byte in 0..=u8::MAX {
            let mut block = [b'a'; 32];
            block[7] = byte;
            let expected = if TERMINAL[usize::from(byte)] { 7 } else { 32 };
            assert_eq!(clear_run(&block), expected, "byte {byte:#04x}");
        }
    }

    proptest! {
        #![proptest_config(crate::testing::config(5_000))]

        /// Trimming bytes gives what `str::trim` gives on folded text, whose only
        /// whitespace is the space and the line break.
        #[test]
        fn trimming_bytes_agrees_with_str_trim(
            text in crate::testing::texts(&[" ", "\n", "ا", "x", "."], 8),
            cut in 0usize..8,
        ) {
            let start = text.char_indices().map(|(at, _)| at).nth(cut).unwrap_or(text.len());
            let mut found = Vec::new();
            push_trimmed(&text, start..text.len(), &mut found);
            let slice = &text[start..];
            let trimmed = slice.trim();
            let lead = slice.len() - slice.trim_start().len();
            let expected = (!trimmed.is_empty()).then(|| start + lead..start + lead + trimmed.len());
            prop_assert_eq!(found.first(), expected.as_ref(), "{:?} from {}", text, start);
            prop_assert!(found.len() <= 1);
        }
    }

    #[test]
    fn splits_where_the_seed_needs() {
        for (text, expected) in CASES {
            let folded = Folded::new(text);
            let got: Vec<&str> = sentences(&folded.text)
                .into_iter()
                .map(|r| &folded.text[r])
                .collect();
            assert_eq!(got, *expected, "in {text:?}");
        }
    }
}
