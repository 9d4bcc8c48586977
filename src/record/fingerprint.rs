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

/// An article text's fingerprint: equal for two texts that differ only in whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(u64);

impl Fingerprint {
    /// The fingerprint of `text`; `None` when it holds nothing but whitespace, which no
    /// copy can be told by.
    pub fn of_text(text: &str) -> Option<Fingerprint> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        if is_collapsed(trimmed) {
            return Some(Fingerprint(xxhash_rust::xxh3::xxh3_64(trimmed.as_bytes())));
        }
        let mut collapsed = String::with_capacity(trimmed.len());
        for word in trimmed.split_whitespace() {
            if !collapsed.is_empty() {
                collapsed.push(' ');
            }
            collapsed.push_str(word);
        }
        Some(Fingerprint(xxhash_rust::xxh3::xxh3_64(
            collapsed.as_bytes(),
        )))
    }

    /// Reads the sixteen lowercase hex digits the records hold.
    pub fn parse(hex: &str) -> Option<Fingerprint> {
        let lowercase_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        (hex.len() == 16 && hex.bytes().all(|b| lowercase_hex(&b)))
            .then(|| u64::from_str_radix(hex, 16).ok().map(Fingerprint))
            .flatten()
    }
}

/// Whether `text` (trimmed) has no whitespace but single ASCII spaces: then it is its
/// own collapsed form, and most of a text is read once, not copied.
fn is_collapsed(text: &str) -> bool {
    let mut after_space = false;
    for c in text.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if c.is_whitespace() {
            return false;
        } else {
            after_space = false;
        }
    }
    true
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
    use super::*;

    /// The value is XXH3-64 of the collapsed text, pinned here: a change to it would
    /// part every record from the copies that older records hold.
    #[test]
    fn the_fingerprint_is_xxh3_of_the_collapsed_text() {
        let text = "التقى السراج\n\nمع   كونتي في روما.\u{a0}";
        let fingerprint = Fingerprint::of_text(text).unwrap();
        let collapsed = "التقى السراج مع كونتي في روما.";
        assert_eq!(
            fingerprint,
            Fingerprint(xxhash_rust::xxh3::xxh3_64(collapsed.as_bytes()))
        );
        assert_eq!(Fingerprint::of_text(collapsed), Some(fingerprint));
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
