//! The word filter: which positions of a text a stem may start at, told from a hash
//! of the words there before the automaton is walked.

use super::Pattern;
use crate::text::fold::{is_word_char, word_end};

/// Tells from the word at a position, before any walk, that no stem can be accepted
/// there; most positions are such, and a walk costs several cache misses.
///
/// A stem is accepted only where the text's word (the run of word characters from the
/// position) equals the stem's first word, or, for a one-word stem with an open end,
/// starts with it. And where a stem has a second word, complete within it, the text
/// must go on as the stem does up to that word's end: the separator and the next word
/// must be the stem's. The filter keeps a bit per hash of each stem's first word, and
/// in a second table a bit per hash of each stem's first two words (or of its first
/// word alone, when that is all the stem fixes), so it may let a position through
/// that no stem fits (the walk then finds nothing), but it never stops one that a stem
/// fits. The first word alone would let through many walks that find nothing: a word
/// such as «مجلس» begins many stems («مجلس النواب», «مجلس الأمن») and is none.
#[derive(Debug, Clone)]
pub(super) struct WordFilter {
    /// Bit `hash >> shift` is set for the first word of every stem.
    first_words: Vec<u64>,
    /// Bits for the first two words of every stem that has a second word, complete,
    /// and for the first word of every other stem.
    leads: Vec<u64>,
    shift: u32,
    /// First characters of the one-word stems with an open end, in UTF-8 (and their
    /// lengths): a word that starts with one of them is always walked.
    open_firsts: Vec<([u8; 4], usize)>,
    /// Whether a stem starts with a character that is not a word character («(داعش)»),
    /// and so may match where the text has one.
    pub(super) starts_outside_words: bool,
}

/// Sets bit `bit` of `bits`.
fn set_bit(bits: &mut [u64], bit: usize) {
    bits[bit / 64] |= 1 << (bit % 64);
}

/// Whether bit `bit` of `bits` is set.
#[inline]
fn has_bit(bits: &[u64], bit: usize) -> bool {
    bits[bit / 64] & (1 << (bit % 64)) != 0
}

impl WordFilter {
    pub(super) fn build(stems: &[String], patterns: &[Pattern]) -> WordFilter {
        // About 16 bits per stem, so that a word that begins no stem passes about once
        // in sixteen; at least 4 KB, at most 2 MB.
        let bits = (stems.len() * 16)
            .next_power_of_two()
            .clamp(1 << 15, 1 << 24);
        let mut filter = WordFilter {
            first_words: vec![0; bits / 64],
            leads: vec![0; bits / 64],
            shift: 64 - bits.trailing_zeros(),
            open_firsts: Vec::new(),
            starts_outside_words: false,
        };
        for (stem, pattern) in stems.iter().zip(patterns) {
            let first_end = word_end(stem, 0);
            let first_word = &stem[..first_end];
            if first_word.is_empty() {
                filter.starts_outside_words = true;
                continue;
            }
            let bit = filter.bit(first_word.as_bytes());
            set_bit(&mut filter.first_words, bit);
            if pattern.open_end && first_word.len() == stem.len() {
                let first = first_word.chars().next().expect("the word is not empty");
                let mut bytes = [0; 4];
                let len = first.encode_utf8(&mut bytes).len();
                if !filter.open_firsts.contains(&(bytes, len)) {
                    filter.open_firsts.push((bytes, len));
                }
            }
            let lead = match Self::second_word_end(stem, first_end) {
                // The text's next word must equal the stem's second word: it ends
                // the stem, which then ends at a word end, or a separator follows it.
                Some(end) if end < stem.len() || !pattern.open_end => &stem[..end],
                _ => first_word,
            };
            let bit = filter.bit(lead.as_bytes());
            set_bit(&mut filter.leads, bit);
        }
        filter
    }

    /// The end of the word after the separator that follows the word ending at
    /// `first_end` in `text`, if a word follows.
    fn second_word_end(text: &str, first_end: usize) -> Option<usize> {
        let second = first_end + text[first_end..].find(is_word_char)?;
        Some(word_end(text, second))
    }

    fn bit(&self, word: &[u8]) -> usize {
        (word_hash(word) >> self.shift) as usize
    }

    /// Whether a stem may be accepted at `at` in `text`, where the word runs on to
    /// `end` and the next word, if the text has one, ends at `next_end`. Read as bytes:
    /// the scan knows the position starts a character, and a `str` would check it
    /// again.
    #[inline]
    pub(super) fn admits(
        &self,
        text: &[u8],
        at: usize,
        end: usize,
        next_end: Option<usize>,
    ) -> bool {
        let word = &text[at..end];
        let bit = self.bit(word);
        has_bit(&self.first_words, bit)
            && (has_bit(&self.leads, bit)
                || next_end.is_some_and(|next| has_bit(&self.leads, self.bit(&text[at..next]))))
            || self.open_firsts.iter().any(|(first, len)| {
                // Byte by byte: `starts_with` called memcmp at every position.
                word.len() >= *len && first[..*len].iter().zip(word).all(|(a, b)| a == b)
            })
    }
}

/// A hash of a word for [`WordFilter`], from its length and its first and last eight
/// bytes (four, or single bytes, for shorter words), read as numbers: the scan hashes a
/// word at every position it tries, and hashing every byte would make the hash a
/// large part of the matcher's work. The middle bytes of words longer than sixteen
/// bytes are left out; equal words still hash equal, which is all the filter needs.
#[inline]
fn word_hash(word: &[u8]) -> u64 {
    let len = word.len();
    let (first, last) = if let (Some(first), Some(last)) = (word.first_chunk(), word.last_chunk()) {
        (u64::from_le_bytes(*first), u64::from_le_bytes(*last))
    } else if let (Some(first), Some(last)) = (word.first_chunk(), word.last_chunk()) {
        (
            u64::from(u32::from_le_bytes(*first)),
            u64::from(u32::from_le_bytes(*last)),
        )
    } else if len > 0 {
        let byte = |i: usize| u64::from(word[i]);
        (byte(0) | byte(len / 2) << 8 | byte(len - 1) << 16, 0)
    } else {
        (0, 0)
    };
    const K: u64 = 0xF135_7AEA_2E62_A9C5;
    let mixed = (first ^ len as u64).wrapping_mul(K).rotate_left(26) ^ last;
    mixed.wrapping_mul(K)
}
