//! The fingerprint of an article's text, by which the graph counts two copies of one
//! text under two ids once (docs/CONTRACT.md, "articles.jsonl").
//!
//! Defined to be the same on every platform, at every thread count and in every
//! release that keeps this definition: XXH3-64 (seed 0) of the text's UTF-8 bytes after
//! every run of whitespace is made one space and the ends are trimmed. The spelling
//! folding the matcher uses is left out on purpose: it is tuned from release to release,
//! and records written by two releases must still find their copies.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use xxhash_rust::xxh3::Xxh3Default;

/// An article text's fingerprint: equal for two texts that differ only in whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(u64);

impl Fingerprint {
    /// The fingerprint of `text`; `None` when it holds nothing but whitespace, which no
    /// copy can be told by.
    ///
    /// The text is hashed as it streams, a stretch between two whitespace runs at a
    /// time, never copied: 32 bytes at a time are searched for what starts a run other
    /// than a single space (five times as fast as collapsing a copy of the text, which
    /// slowed a run with the gazetteers alone by a fifth).
    pub fn of_text(text: &str) -> Option<Fingerprint> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let bytes = text.as_bytes();
        let mut hasher = Xxh3Default::new();
        let (mut start, mut at) = (0, 0);
        while at < bytes.len() {
            let candidate = if at + BLOCK < bytes.len() {
                let mask = run_starts(bytes, at);
                if mask == 0 {
                    at += BLOCK;
                    continue;
                }
                at + mask.trailing_zeros() as usize
            } else {
                at
            };
            let width = whitespace_len(text, candidate);
            if width == 0 {
                at = candidate + 1;
                continue;
            }
            // A run that a candidate other than a space starts may begin with one.
            let mut run = candidate;
            if run > start && bytes[run - 1] == b' ' {
                run -= 1;
            }
            let mut end = candidate + width;
            loop {
                match whitespace_len(text, end) {
                    0 => break,
                    width => end += width,
                }
            }
            if !(bytes[run] == b' ' && end == run + 1) {
                hasher.update(&bytes[start..run]);
                hasher.update(b" ");
                start = end;
            }
            at = end;
        }
        hasher.update(&bytes[start..]);
        Some(Fingerprint(hasher.digest()))
    }

    /// Reads the sixteen lowercase hex digits the records hold.
    pub fn parse(hex: &str) -> Option<Fingerprint> {
        let lowercase_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        (hex.len() == 16 && hex.bytes().all(|b| lowercase_hex(&b)))
            .then(|| u64::from_str_radix(hex, 16).ok().map(Fingerprint))
            .flatten()
    }
}

/// How many bytes [`run_starts`] reads at a time.
const BLOCK: usize = 32;

/// The bytes of `bytes[at..at + 32]` that may start a whitespace run other than a single
/// space, as a bit mask: ASCII controls 9 to 13, the lead bytes of the other Unicode
/// spaces (0xC2: U+0085, U+00A0; 0xE1: U+1680; 0xE2: U+2000 to U+205F; 0xE3: U+3000),
/// and a space before a space. Reads one byte past the 32.
fn run_starts(bytes: &[u8], at: usize) -> u32 {
    use wide::{CmpEq, u8x32};
    let block = |from: usize| {
        let mut lanes = [0; BLOCK];
        lanes.copy_from_slice(&bytes[from..from + BLOCK]);
        u8x32::new(lanes)
    };
    let (v, next) = (block(at), block(at + 1));
    let within =
        |lo: u8, hi: u8| v.max(u8x32::splat(lo)).cmp_eq(v) & v.min(u8x32::splat(hi)).cmp_eq(v);
    let space = u8x32::splat(b' ');
    let starts = within(0x09, 0x0d)
        | v.cmp_eq(u8x32::splat(0xc2))
        | within(0xe1, 0xe3)
        | (v.cmp_eq(space) & next.cmp_eq(space));
    starts.move_mask() as u32
}

/// The length in bytes of the whitespace character at byte `at` of `text`, 0 when there
/// is none (or `at` is past the end, or inside a character).
fn whitespace_len(text: &str, at: usize) -> usize {
    match text.as_bytes().get(at) {
        Some(b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') => 1,
        Some(0xc2 | 0xe1 | 0xe2 | 0xe3) => match text[at..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        struct Hex;
        impl Visitor<'_> for Hex {
            type Value = Fingerprint;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("sixteen lowercase hex digits")
            }
            fn visit_str<E: de::Error>(self, hex: &str) -> Result<Fingerprint, E> {
                Fingerprint::parse(hex)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(hex), &self))
            }
        }
        deserializer.deserialize_str(Hex)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition, the slow way: the words joined by one space, hashed whole.
    fn collapsed(text: &str) -> Option<Fingerprint> {
        let words: Vec<&str> = text.split_whitespace().collect();
        (!words.is_empty())
            .then(|| Fingerprint(xxhash_rust::xxh3::xxh3_64(words.join(" ").as_bytes())))
    }

    /// Pieces of texts: every kind of whitespace, runs of them, and the characters whose
    /// lead bytes some of them share.
    const PIECES: &[&str] = &[
        "السراج",
        "ب",
        "a",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "\u{b}\u{c}",
        "\u{85}",
        "\u{a0}",
        "\u{a9}",
        "\u{1680}",
        "\u{2009}",
        "\u{200b}",
        "\u{2028}",
        "\u{202f}",
        "\u{205f}",
        "\u{3000}",
        "“",
        "–",
        "\u{3001}",
    ];

    proptest! {
        #![proptest_config(crate::testing::config(3000))]

        #[test]
        fn streaming_hashes_the_collapsed_text(text in crate::testing::texts(PIECES, 120)) {
            prop_assert_eq!(Fingerprint::of_text(&text), collapsed(&text));
        }
    }

    /// The value is XXH3-64 of the collapsed text, pinned here: a change to it would
    /// part every record from the copies that older records hold.
    #[test]
    fn the_fingerprint_is_xxh3_of_the_collapsed_text() {
        let text = "التقى السراج\n\nمع   كونتي في روما.\u{a0}";
        let fingerprint = Fingerprint::of_text(text).unwrap();
        let one_spaced = "التقى السراج مع كونتي في روما.";
        assert_eq!(
            fingerprint,
            Fingerprint(xxhash_rust::xxh3::xxh3_64(one_spaced.as_bytes()))
        );
        assert_eq!(collapsed(text), Some(fingerprint));
        assert_eq!(Fingerprint::of_text(one_spaced), Some(fingerprint));
        assert_eq!(fingerprint.to_string(), PINNED);
        assert_eq!(Fingerprint::parse(PINNED), Some(fingerprint));
    }

    const PINNED: &str = "1f11963fc371dff1";

    /// Whitespace alone names no text; any other difference, a letter or a hamza, is
    /// another text.
    #[test]
    fn texts_apart_by_more_than_whitespace_differ() {
        assert_eq!(Fingerprint::of_text(" \n\t "), None);
        let base = Fingerprint::of_text("رئيس المجلس الرئاسي").unwrap();
        for other in ["رئيس المجلس الرئاسى", "رئيس المجلسالرئاسي", "رئيس المجلس"]
        {
            assert_ne!(Fingerprint::of_text(other), Some(base), "{other}");
        }
        assert_eq!(
            Fingerprint::of_text("\tرئيس  المجلس\r\nالرئاسي "),
            Some(base)
        );
    }

    #[test]
    fn only_sixteen_lowercase_hex_digits_parse() {
        for bad in [
            "",
            "0123",
            "0123456789ABCDEF",
            "0123456789abcdeg",
            "+123456789abcdef",
        ] {
            assert_eq!(Fingerprint::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&Fingerprint(0xfe)).unwrap();
        assert_eq!(json, "\"00000000000000fe\"");
        assert_eq!(
            serde_json::from_str::<Fingerprint>(&json).unwrap(),
            Fingerprint(0xfe)
        );
        assert!(serde_json::from_str::<Fingerprint>("\"nothex\"").is_err());
    }
}
