//! Spelling folding with a map back to the original text.
//!
//! Arabic news spells one name many ways (hamza forms, alef maqsura, ta marbuta,
//! diacritics, tatweel, Persian letters, Arabic-Indic digits). Matching runs on a
//! folded copy of the text; every folded byte remembers which original bytes it came
//! from, so that every mention can be reported at its exact place in the article.

/// How one original character appears in the folded text.
enum Fold {
    /// Replaced by this character (often itself).
    Char(char),
    /// Dropped: diacritics, tatweel, invisible format characters.
    Drop,
    /// Part of a whitespace run, folded to one space (or one newline).
    Space { newline: bool },
}

fn fold_char(c: char) -> Fold {
    match c {
        // The common case first, without Unicode table lookups: Arabic letters that
        // stay as they are, lowercase ASCII, digits, the space.
        '\u{0621}'
        | '\u{0624}'
        | '\u{0626}'..='\u{0628}'
        | '\u{062A}'..='\u{063A}'
        | '\u{0641}'..='\u{0648}'
        | '\u{064A}'
        | 'a'..='z'
        | '0'..='9' => Fold::Char(c),
        ' ' => Fold::Space { newline: false },
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Fold::Space { newline: true },
        '_' => Fold::Space { newline: false },
        c if c.is_whitespace() => Fold::Space { newline: false },
        // Harakat, Quranic marks, superscript alef, tatweel, and invisible controls
        // (zero-width joiners, bidi marks and isolates, BOM, soft hyphen).
        '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0640}'
        | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}' => Fold::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => Fold::Char('ا'),
        'ى' | 'ی' => Fold::Char('ي'),
        'ة' | 'ۀ' => Fold::Char('ه'),
        'ک' => Fold::Char('ك'),
        '٠'..='٩' => Fold::Char(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '۰'..='۹' => Fold::Char(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        c if c.is_ascii_uppercase() => Fold::Char(c.to_ascii_lowercase()),
        c => Fold::Char(c),
    }
}

/// What [`fold_char`] does to a character of U+0600..U+067F, the two-byte range that
/// Arabic letters and marks live in, looked up by [`Folded::new`] without decoding.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TwoByte {
    /// Folds to this two-byte character: itself, or another («أ» to «ا»); `word` says
    /// whether it is a word character.
    Char { folded: char, word: bool },
    /// Dropped.
    Drop,
    /// Anything else (punctuation that is not a letter, a change of length): the
    /// general path decides.
    Other,
}

/// [`TwoByte`] for U+0600..U+067F, indexed by the low bit of the lead byte and the low
/// six bits of the second; made from [`fold_char`] so the two cannot disagree.
fn two_byte_folds() -> &'static [TwoByte; 128] {
    static TABLE: std::sync::OnceLock<[TwoByte; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            let c = char::from_u32(0x0600 + i as u32).expect("U+0600..U+067F are characters");
            match fold_char(c) {
                Fold::Char(f) if f.len_utf8() == 2 => TwoByte::Char {
                    folded: f,
                    word: is_word_char(f),
                },
                Fold::Drop => TwoByte::Drop,
                _ => TwoByte::Other,
            }
        })
    })
}

/// A run of word characters ([`is_word_char`]) in a folded text, as byte offsets: a
/// word, found while folding so that the matcher need not look for word ends again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordSpan {
    /// Offset of the word's first byte.
    pub start: u32,
    /// Offset just past the word's last byte.
    pub end: u32,
}

/// Finds the words of a text as it is being folded.
#[derive(Default)]
struct WordRuns {
    /// Whether the last character pushed is a word character.
    in_word: bool,
    /// Where the open word starts, when `in_word`.
    start: u32,
}

impl WordRuns {
    /// Keeps [`Folded::words`] up to date before the next character is pushed; `word`
    /// says whether that is a word character.
    #[inline(always)]
    fn next(&mut self, folded: &mut Folding, word: bool) {
        let here = folded.text.len() as u32;
        self.next_at(&mut folded.words, word, here);
    }

    /// [`WordRuns::next`] for a character that will be pushed at offset `here`.
    #[inline(always)]
    fn next_at(&mut self, words: &mut Vec<WordSpan>, word: bool, here: u32) {
        if word != self.in_word {
            if word {
                self.start = here;
            } else {
                words.push(WordSpan {
                    start: self.start,
                    end: here,
                });
            }
            self.in_word = word;
        }
    }
}

/// Thirty-two bytes of text read at once: how long a prefix of them folds character for
/// character to characters of the same length, and so by copying: Arabic letters
/// U+0621..U+063A and U+0641..U+064A, the Arabic comma, semicolon and question mark,
/// printable ASCII but the underscore (capitals to small letters), and spaces that do
/// not follow a space. Where its words are, and which of its letters change.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// Length of the prefix, ending at a character boundary; 0 when none.
    len: usize,
    /// The prefix folded (and the rest of the thirty-two bytes, to be cut off).
    folded: [u8; Block::LEN],
    /// One bit per byte of the prefix that belongs to a word character.
    word: u32,
    /// One bit per second byte of a letter of the prefix that folds to another.
    changed: u32,
    /// Whether the prefix's last byte is a space.
    ends_in_space: bool,
}

impl Block {
    const LEN: usize = 32;

    /// Reads `bytes` (at a character boundary, [`Block::LEN`] of them); `after_space`
    /// says whether the folded text so far ends in a whitespace run, so that a space
    /// first in the block would be dropped.
    #[inline]
    fn read(bytes: &[u8; Block::LEN], after_space: bool) -> Block {
        use wide::{CmpEq, u8x32};
        let v = u8x32::new(*bytes);
        // Classes are combined as vectors, and each mask taken once: a mask of 32 bytes
        // is two instructions and a shift on SSE2.
        let mask = |m: u8x32| m.move_mask() as u32;
        let is = |b: u8| v.cmp_eq(u8x32::splat(b));
        let within =
            |lo: u8, hi: u8| v.max(u8x32::splat(lo)).cmp_eq(v) & v.min(u8x32::splat(hi)).cmp_eq(v);
        let space = mask(is(b' '));
        let (d8, d9) = (mask(is(0xD8)), mask(is(0xD9)));
        // Second bytes: U+0621..U+063A after D8, U+0641..U+064A after D9; ، ؛ ؟ after
        // D8. A lead in the last byte has its second byte outside the block, and is
        // left out.
        let second_d8 = d8 << 1 & mask(within(0xA1, 0xBA));
        let second_d9 = d9 << 1 & mask(within(0x81, 0x8A));
        let letters = second_d8 | second_d9 | (second_d8 | second_d9) >> 1;
        let second_mark = d8 << 1 & mask(is(0x8C) | is(0x9B) | is(0x9F));
        let marks = second_mark | second_mark >> 1;
        let capitals = within(b'A', b'Z');
        let alphanumeric = mask(capitals | within(b'a', b'z') | within(b'0', b'9'));
        let not = |m: u8x32| m.cmp_eq(u8x32::splat(0));
        let ascii = mask(within(0x21, 0x7E) & not(is(b'_')));
        let mut single_spaces = space & !(space << 1);
        if after_space {
            single_spaces &= !1;
        }
        let len = (!(letters | marks | ascii | single_spaces)).trailing_zeros() as usize;
        let prefix = Block::prefix(len);
        // «آ أ إ» to «ا», «ة» to «ه», «ى» to «ي».
        let changed = second_d8 & mask(is(0xA2) | is(0xA3) | is(0xA5) | is(0xA9))
            | second_d9 & mask(is(0x89));
        Block {
            len,
            folded: (v | capitals & u8x32::splat(0x20)).to_array(),
            word: (letters | alphanumeric) & prefix,
            changed: changed & prefix,
            ends_in_space: len > 0 && space >> (len - 1) & 1 == 1,
        }
    }

    /// One bit for each of the first `len` bytes.
    #[inline(always)]
    fn prefix(len: usize) -> u32 {
        u32::MAX
            .checked_shr(Block::LEN as u32 - len as u32)
            .unwrap_or(0)
    }

    /// What the letter of bytes `lead`, `second` folds to, for a letter in
    /// [`Block::changed`].
    fn changed_to(lead: u8, second: u8) -> char {
        match (lead, second) {
            (0xD8, 0xA9) => 'ه',
            (0xD9, _) => 'ي',
            _ => 'ا',
        }
    }
}

/// A [`Folded`] being made: its text is bytes until it is whole.
struct Folding {
    text: Vec<u8>,
    words: Vec<WordSpan>,
    anchors: Vec<(u32, u32)>,
}

impl Folding {
    /// Appends `c`, encoded.
    #[inline(always)]
    fn push(&mut self, c: char) {
        self.text
            .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }

    /// Appends `block`'s prefix, folded: its characters keep their length, so no anchor
    /// is needed.
    #[inline]
    fn take_block(&mut self, block: &Block, words: &mut WordRuns) {
        let base = self.text.len() as u32;
        // Words start and end where the block goes from non-word bytes to word bytes
        // and back; bit 0 of `before` is whether a word is open before the block.
        let before = block.word << 1 | u32::from(words.in_word);
        let prefix = Block::prefix(block.len);
        let starts = block.word & !before;
        let mut edges = (starts | !block.word & before) & prefix;
        while edges != 0 {
            let k = edges.trailing_zeros();
            words.next_at(&mut self.words, starts >> k & 1 == 1, base + k);
            edges &= edges - 1;
        }
        // All thirty-two bytes, then the letters that change («ة» to «ه»), then back to
        // the block's length: a copy of constant length is a move, not a call.
        self.text.extend_from_slice(&block.folded);
        let mut changed = block.changed;
        while changed != 0 {
            let second = changed.trailing_zeros() as usize;
            let mut letter = [0; 2];
            Block::changed_to(block.folded[second - 1], block.folded[second])
                .encode_utf8(&mut letter);
            let at = base as usize + second - 1;
            self.text[at..at + 2].copy_from_slice(&letter);
            changed &= changed - 1;
        }
        self.text.truncate(base as usize + block.len);
    }

    /// Records that the folded text's end stands for original offset `original`, when
    /// the run so far does not already say so.
    fn anchor(&mut self, original: usize) {
        let here = (self.text.len() as u32, original as u32);
        let &(f, o) = self.anchors.last().expect("there is always an anchor");
        if here.1 - o == here.0 - f {
            return;
        }
        if f == here.0 {
            self.anchors.pop();
        }
        self.anchors.push(here);
    }
}

/// A folded text and a map from its character boundaries back to the original bytes.
///
/// Most characters fold to themselves, byte for byte, so the map is sparse: an anchor
/// is kept only where the distance between folded and original offsets changes (a
/// dropped mark, a collapsed whitespace run, a digit that shrinks). [`Folded::original`]
/// turns a folded range into an original one.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text: matching and rules run on this.
    pub text: String,
    /// The words of `text`, in order: its maximal runs of word characters.
    pub words: Vec<WordSpan>,
    /// (folded offset, original offset) pairs, ascending: from each folded offset up
    /// to the next anchor, original = anchor's original + (folded - anchor's folded).
    anchors: Vec<(u32, u32)>,
    /// Length of the original text.
    original_len: u32,
}

impl Folded {
    /// Folds `original`, collapsing every whitespace run to one space (or one newline
    /// when the run holds a line break, so that headings stay separate sentences).
    pub fn new(original: &str) -> Folded {
        let mut folded = Folding {
            // A block writes all its bytes before cutting back to its length.
            text: Vec::with_capacity(original.len() + Block::LEN),
            words: Vec::with_capacity(original.len() / 8),
            // An article's dropped marks and line breaks need a few anchors; room for
            // them at once, so that the first push does not reallocate.
            anchors: {
                let mut anchors = Vec::with_capacity(16);
                anchors.push((0, 0));
                anchors
            },
        };
        let mut words = WordRuns::default();
        // Byte index in `text` of the space that stands for the current whitespace run.
        let mut space_at: Option<usize> = None;
        let bytes = original.as_bytes();
        let table = two_byte_folds();
        let mut at = 0;
        while at < bytes.len() {
            // Most of an Arabic article is letters that keep their length and single
            // spaces: those are taken thirty-two bytes at a time. The text's last bytes
            // are read padded with zeros, which no block takes.
            let block = match bytes[at..].first_chunk::<{ Block::LEN }>() {
                Some(chunk) => Block::read(chunk, space_at.is_some()),
                None => {
                    let mut padded = [0; Block::LEN];
                    padded[..bytes.len() - at].copy_from_slice(&bytes[at..]);
                    Block::read(&padded, space_at.is_some())
                }
            };
            if block.len > 0 {
                folded.take_block(&block, &mut words);
                space_at = block.ends_in_space.then(|| folded.text.len() - 1);
                at += block.len;
                continue;
            }
            // The common cases by table, without decoding: ASCII letters and digits, and
            // Arabic letters and marks (U+0600..U+067F, lead byte D8 or D9).
            let lead = bytes[at];
            if lead & 0xFE == 0xD8 {
                let index = usize::from(lead & 1) << 6 | usize::from(bytes[at + 1] & 0x3F);
                match table[index] {
                    TwoByte::Char { folded: f, word } => {
                        space_at = None;
                        words.next(&mut folded, word);
                        folded.push(f);
                        at += 2;
                        continue;
                    }
                    TwoByte::Drop => {
                        at += 2;
                        folded.anchor(at);
                        continue;
                    }
                    TwoByte::Other => {}
                }
            } else if lead.is_ascii_alphanumeric() {
                space_at = None;
                words.next(&mut folded, true);
                folded.text.push(lead.to_ascii_lowercase());
                at += 1;
                continue;
            } else if lead == b' ' && space_at.is_none() {
                words.next(&mut folded, false);
                space_at = Some(folded.text.len());
                folded.text.push(b' ');
                at += 1;
                continue;
            }
            let c = original[at..]
                .chars()
                .next()
                .expect("at is a character boundary");
            match fold_char(c) {
                Fold::Char(f) => {
                    space_at = None;
                    words.next(&mut folded, is_word_char(f));
                    folded.push(f);
                    if f.len_utf8() == c.len_utf8() {
                        at += c.len_utf8();
                        continue;
                    }
                }
                // Dropped marks belong to the character before them: a range ends where
                // the next kept character starts.
                Fold::Drop => {}
                Fold::Space { newline } => match space_at {
                    Some(space) => {
                        if newline {
                            folded.text[space] = b'\n';
                        }
                    }
                    None => {
                        words.next(&mut folded, false);
                        space_at = Some(folded.text.len());
                        folded.text.push(if newline { b'\n' } else { b' ' });
                        if c.len_utf8() == 1 {
                            at += 1;
                            continue;
                        }
                    }
                },
            }
            at += c.len_utf8();
            folded.anchor(at);
        }
        words.next(&mut folded, false);
        Folded {
            text: simdutf8::basic::from_utf8(&folded.text)
                .expect("folding writes whole characters")
                .to_owned(),
            words: folded.words,
            anchors: folded.anchors,
            original_len: original.len() as u32,
        }
    }

    /// The original offset of the folded character boundary `at`.
    fn original_at(&self, at: usize) -> usize {
        let i = self.anchors.partition_point(|&(f, _)| f as usize <= at) - 1;
        let (f, o) = self.anchors[i];
        o as usize + (at - f as usize)
    }

    /// The original byte range for the folded byte range `start..end` (`start < end`,
    /// both character boundaries): from the first character's start to where the next
    /// kept character starts, so that marks dropped after the last character stay inside.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        let original_end = if end < self.text.len() {
            self.original_at(end)
        } else {
            self.original_len as usize
        };
        (self.original_at(start), original_end)
    }
}

/// Folds a gazetteer or rule surface the way article text is folded, with the
/// whitespace trimmed and collapsed to single spaces.
///
/// Character by character: surfaces are a few words long, and compiling the built-in
/// gazetteer folds thousands of them, where [`Folded::new`]'s blocks and offset map
/// cost more than they save.
pub fn fold_surface(surface: &str) -> String {
    let mut folded = String::with_capacity(surface.len());
    // A whitespace run waits until a kept character follows it, so that none is left
    // at either end; a dropped mark after a space («زيد \u{200F}») leaves it waiting.
    let mut space = false;
    for c in surface.chars() {
        match fold_char(c) {
            Fold::Char(f) => {
                if space && !folded.is_empty() {
                    folded.push(' ');
                }
                space = false;
                folded.push(f);
            }
            Fold::Drop => {}
            Fold::Space { .. } => space = true,
        }
    }
    folded
}

/// The characters of the Arabic block (U+0600..U+06FF) that Unicode counts as letters
/// or digits, one bit each: letters, digits and the marks counted as alphabetic are in;
/// punctuation such as ، ؛ ؟ is out. A test checks every bit against the Unicode tables.
const ARABIC_WORD_CHARS: [u64; 4] = {
    let ranges = [
        (0x0610, 0x061A),
        (0x0620, 0x0657),
        (0x0659, 0x0669),
        (0x066E, 0x06D3),
        (0x06D5, 0x06DC),
        (0x06E1, 0x06E8),
        (0x06ED, 0x06FC),
        (0x06FF, 0x06FF),
    ];
    let mut bits = [0u64; 4];
    let mut r = 0;
    while r < ranges.len() {
        let mut c = ranges[r].0;
        while c <= ranges[r].1 {
            let i = c - 0x0600;
            bits[i / 64] |= 1 << (i % 64);
            c += 1;
        }
        r += 1;
    }
    bits
};

/// True for characters that make up words: letters and digits of any script.
///
/// Folding has removed combining marks, so a word is a run of these.
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        c if c.is_ascii() => false,
        // The Arabic block, which folded text is mostly made of, by a bitmap instead
        // of the general Unicode lookup.
        '\u{0600}'..='\u{06FF}' => {
            let i = c as usize - 0x0600;
            ARABIC_WORD_CHARS[i / 64] >> (i % 64) & 1 == 1
        }
        // Quotes, dashes and marks that news text is full of: « » “ ” – … and the like.
        '\u{00AB}' | '\u{00BB}' | '\u{2000}'..='\u{206F}' => false,
        c => c.is_alphanumeric(),
    }
}

/// End of the run of word characters that holds or starts at `at`, a character
/// boundary: the scanners' inner loop, so ASCII and the Arabic block are read from
/// their bytes.
pub fn word_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while let Some(&lead) = bytes.get(i) {
        i += if lead < 0x80 {
            if !lead.is_ascii_alphanumeric() {
                return i;
            }
            1
        } else if lead & 0xFC == 0xD8 {
            // U+0600..U+06FF: two bytes, D8..DB then 80..BF.
            let index = usize::from(lead & 3) << 6 | usize::from(bytes[i + 1] & 0x3F);
            if ARABIC_WORD_CHARS[index / 64] >> (index % 64) & 1 == 0 {
                return i;
            }
            2
        } else {
            let c = text[i..].chars().next().expect("i is a character boundary");
            if !is_word_char(c) {
                return i;
            }
            c.len_utf8()
        };
    }
    i
}

/// Converts byte offsets of one text into Unicode code point offsets, as the
/// output contract (and Python's `str`) counts them.
///
/// Offsets are mostly asked for in increasing order (mentions are sorted), so the
/// converter remembers where it last stopped and counts on from there.
#[derive(Debug)]
pub struct CharOffsets<'a> {
    text: &'a str,
    /// The last (byte, code point) pair converted.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> CharOffsets<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets {
            text,
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    /// The code point offset of byte offset `byte` (a char boundary).
    /// Counts from the last offset asked, forwards or backwards, so that a walk over
    /// nearby spans costs their distance, not the text's length.
    pub fn get(&self, byte: usize) -> usize {
        let (from_byte, from_char) = self.cursor.get();
        let chars = if byte >= from_byte {
            from_char + self.text[from_byte..byte].chars().count()
        } else {
            from_char - self.text[byte..from_byte].chars().count()
        };
        self.cursor.set((byte, chars));
        chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One row per spelling phenomenon: original, folded.
    const FOLDS: &[(&str, &str)] = &[
        ("إيطاليا", "ايطاليا"),
        ("أمريكا", "امريكا"),
        ("آسيا", "اسيا"),
        ("ٱلله", "الله"),
        ("موسى", "موسي"),
        ("حكومة", "حكومه"),
        ("السّرّاج", "السراج"),
        ("فَائِزُ", "فائز"),
        ("ليـــبيا", "ليبيا"),
        ("کرمانشاه", "كرمانشاه"),
        ("ایران", "ايران"),
        ("٢٠٢٠", "2020"),
        ("۱۴۰۰", "1400"),
        ("AFRICOM", "africom"),
        ("فائز   السراج", "فائز السراج"),
        ("تعاون إيطالي\nوأشاد", "تعاون ايطالي\nواشاد"),
        ("جوني_هاليداي", "جوني هاليداي"),
        ("تبون\u{200F}", "تبون"),
    ];

    #[test]
    fn folds_every_spelling_phenomenon() {
        for (original, expected) in FOLDS {
            assert_eq!(Folded::new(original).text, *expected, "folding {original}");
        }
    }

    #[test]
    fn map_points_back_to_original_bytes() {
        for (original, _) in FOLDS {
            let folded = Folded::new(original);
            let (start, end) = folded.original(0, folded.text.len());
            assert_eq!(start, 0, "{original}");
            let trimmed_end = original.trim_end_matches(['\u{200F}']).len();
            assert!(end >= trimmed_end && end <= original.len(), "{original}");
        }
    }

    #[test]
    fn trailing_diacritics_stay_inside_the_word() {
        let original = "السراجُ وصل";
        let folded = Folded::new(original);
        let word_end = folded.text.find(' ').unwrap();
        let (start, end) = folded.original(0, word_end);
        assert_eq!(&original[start..end], "السراجُ");
    }

    /// Folding as first written: one character at a time, with the original offset
    /// of every folded byte. The run-copying fold must agree with it everywhere.
    fn fold_one_by_one(original: &str) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut starts = Vec::new();
        let mut space_at: Option<usize> = None;
        for (at, c) in original.char_indices() {
            let mut push = |text: &mut String, f: char| {
                text.push(f);
                starts.extend(std::iter::repeat_n(at, f.len_utf8()));
            };
            match fold_char(c) {
                Fold::Drop => {}
                Fold::Space { newline } => match space_at {
                    Some(space) => {
                        if newline && text.as_bytes()[space] == b' ' {
                            text.replace_range(space.., "\n");
                        }
                    }
                    None => {
                        space_at = Some(text.len());
                        push(&mut text, if newline { '\n' } else { ' ' });
                    }
                },
                Fold::Char(f) => {
                    space_at = None;
                    push(&mut text, f);
                }
            }
        }
        (text, starts)
    }

    /// Letters that fold, marks that drop, digits that shrink, whitespace runs of every
    /// kind, and characters of one to four bytes.
    const PIECES: &[&str] = &[
        "ا", "أ", "إ", "آ", "ٱ", "ة", "ى", "ی", "ک", "ل", "ـ", "؟", "؛", "\u{064E}", "\u{0651}",
        "\u{200F}", "٣", "۴", " ", "  ", "\n", "\r\n", "\t", "\u{00A0}", "\u{2028}", "_", "A", "z",
        "9", ".", "،", "«", "é", "😀", "\u{0B}", "ئ", "ء", "\u{0654}", "\u{0670}", "\u{064D}", "ي",
        "۰", "ٹ", "ە", "ۿ", "۔", "ڤ",
    ];

    proptest! {
        #![proptest_config(crate::testing::config(20_000))]

        #[test]
        fn sparse_map_agrees_with_folding_one_by_one(
            original in crate::testing::texts(PIECES, 9)
        ) {
            let folded = Folded::new(&original);
            let (text, starts) = fold_one_by_one(&original);
            assert_eq!(folded.text, text, "{original:?}");
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (i, &start) in boundaries.iter().enumerate() {
                for &end in &boundaries[i + 1..] {
                    let expected_end = starts.get(end).copied().unwrap_or(original.len());
                    assert_eq!(
                        folded.original(start, end),
                        (starts[start], expected_end),
                        "{original:?} {start}..{end}"
                    );
                }
            }
        }
    }

    /// Words and spaces as articles run them, long enough to fill blocks, with the
    /// letters that change, and a few pieces that end a block.
    const RUNS: &[&str] = &[
        "حكومة الوفاق ",
        "وزير الخارجية",
        "إيطاليا",
        " ",
        "  ",
        "آسيا وأفريقيا ",
        "موسى",
        "ة",
        "المتحدة ",
        "ى",
        "ـ",
        "\u{064E}",
        "،",
        "\n",
        "2020",
        "فائز السراج",
        "أ",
        "ء",
        "؟",
        "؛",
        "\"",
        ". ",
        "(AFRICOM)",
        "UN-",
        "_",
        "Libya",
        "#",
        "٣",
    ];

    proptest! {
        #![proptest_config(crate::testing::config(5_000))]

        #[test]
        fn blocks_agree_with_folding_one_by_one(original in crate::testing::texts(RUNS, 12)) {
            let folded = Folded::new(&original);
            let (text, starts) = fold_one_by_one(&original);
            assert_eq!(folded.text, text, "{original:?}");
            for (at, _) in text.char_indices() {
                assert_eq!(folded.original_at(at), starts[at], "{original:?} at {at}");
            }
            let words: Vec<WordSpan> = text
                .char_indices()
                .filter(|&(at, c)| is_word_char(c) && !text[..at].chars().next_back().is_some_and(is_word_char))
                .map(|(at, _)| WordSpan { start: at as u32, end: word_end(&text, at) as u32 })
                .collect();
            assert_eq!(folded.words, words, "{original:?}");
        }
    }

    #[test]
    fn a_block_folds_letters_that_keep_their_length() {
        // Every two-byte letter the block takes, against the general fold.
        for c in ('\u{0621}'..='\u{063A}').chain('\u{0641}'..='\u{064A}') {
            let mut text = String::new();
            while text.len() < Block::LEN {
                text.push(c);
            }
            let block = Block::read(text.as_bytes().first_chunk().unwrap(), false);
            assert_eq!(block.len, Block::LEN, "{c:?}");
            let Fold::Char(expected) = fold_char(c) else {
                panic!("{c:?} folds to a character");
            };
            let changes = block.changed != 0;
            assert_eq!(changes, expected != c, "{c:?}");
            if changes {
                let bytes = c.to_string().into_bytes();
                assert_eq!(Block::changed_to(bytes[0], bytes[1]), expected, "{c:?}");
            }
        }
        // Every ASCII character the block takes, and the Arabic punctuation.
        let others = (' '..='~').filter(|&c| c != '_').chain(['،', '؛', '؟']);
        for c in others {
            let text = c.to_string().repeat(Block::LEN);
            let block = Block::read(text.as_bytes().first_chunk().unwrap(), false);
            let expected = if c == ' ' {
                1
            } else {
                Block::LEN / c.len_utf8() * c.len_utf8()
            };
            assert_eq!(block.len, expected, "{c:?}");
            let Fold::Char(folded) = fold_char(c) else {
                assert_eq!(c, ' ');
                continue;
            };
            assert_eq!(
                &block.folded[..c.len_utf8()],
                folded.to_string().as_bytes(),
                "{c:?}"
            );
            assert_eq!(block.word & 1 == 1, is_word_char(c), "{c:?}");
        }
        // A mark, a second space, a space after whitespace, a line break, the underscore,
        // a letter cut by the block's end and the end of the text end the block before
        // them.
        let cut = format!("{}ب", "a".repeat(Block::LEN - 1));
        for (text, after_space, len) in [
            ("وصل الى طرابلس", false, 26),
            ("السراجُ وصل الى", false, 12),
            ("وصل  الى طرابلس", false, 7),
            (" في ليبيا", false, 16),
            (" في ليبيا", true, 0),
            ("ب ف ل ليبيا", false, 19),
            (cut.as_str(), false, Block::LEN - 1),
            ("abcdefghijklmnop", false, 16),
            ("وصل، الى طرابلس", false, 28),
            ("وصل\nالى طرابلس", false, 6),
            ("وصل_الى طرابلس", false, 6),
        ] {
            let mut padded = [0; Block::LEN];
            let bytes = &text.as_bytes()[..text.len().min(Block::LEN)];
            padded[..bytes.len()].copy_from_slice(bytes);
            let block = Block::read(&padded, after_space);
            assert_eq!(block.len, len, "{text}");
        }
    }

    proptest! {
        #![proptest_config(crate::testing::config(20_000))]

        #[test]
        fn word_end_agrees_with_is_word_char(text in crate::testing::texts(PIECES, 9)) {
            for (at, _) in text.char_indices() {
                let expected = text[at..]
                    .char_indices()
                    .find(|&(_, c)| !is_word_char(c))
                    .map_or(text.len(), |(i, _)| at + i);
                assert_eq!(word_end(&text, at), expected, "{text:?} at {at}");
            }
        }

        #[test]
        fn words_are_the_runs_of_word_characters(original in crate::testing::texts(PIECES, 9)) {
            let folded = Folded::new(&original);
            let text = &folded.text;
            let mut expected = Vec::new();
            let mut at = 0;
            while at < text.len() {
                let end = word_end(text, at);
                if end > at {
                    expected.push(WordSpan { start: at as u32, end: end as u32 });
                    at = end;
                } else {
                    at += text[at..].chars().next().map_or(1, char::len_utf8);
                }
            }
            assert_eq!(folded.words, expected, "{original:?}");
        }
    }

    proptest! {
        #![proptest_config(crate::testing::config(20_000))]

        #[test]
        fn surfaces_fold_as_article_text_does(surface in crate::testing::texts(PIECES, 9)) {
            let expected = Folded::new(&surface).text.replace('\n', " ").trim().to_string();
            prop_assert_eq!(fold_surface(&surface), expected, "{:?}", surface);
        }
    }

    #[test]
    fn newline_wins_in_a_mixed_whitespace_run() {
        assert_eq!(Folded::new("عودة النفط \n وناقش").text, "عوده النفط\nوناقش");
    }

    #[test]
    fn word_chars_agree_with_unicode() {
        for c in ('\u{0}'..='\u{07FF}').chain('\u{2000}'..='\u{2070}') {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn char_offsets_count_code_points() {
        let text = "حكومة الوفاق";
        let offsets = CharOffsets::new(text);
        assert_eq!(offsets.get(0), 0);
        assert_eq!(offsets.get("حكومة ".len()), 6);
        assert_eq!(offsets.get(text.len()), 12);
        assert_eq!(CharOffsets::new("abc").get(2), 2);
    }

    proptest! {
        #![proptest_config(crate::testing::config(5_000))]

        /// Every boundary, asked forwards then backwards, as `chars().count()` counts.
        #[test]
        fn char_offsets_agree_with_counting_chars(text in crate::testing::texts(PIECES, 9)) {
            let offsets = CharOffsets::new(&text);
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for &at in boundaries.iter().chain(boundaries.iter().rev()) {
                prop_assert_eq!(offsets.get(at), text[..at].chars().count(), "{:?} at {}", text, at);
            }
        }

        /// Long jumps, forwards and backwards, from every alignment: the end of the text
        /// from each boundary, and each boundary from the end.
        #[test]
        fn char_offsets_agree_over_long_jumps(text in crate::testing::texts(PIECES, 40)) {
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let total = text.chars().count();
            for &at in &boundaries {
                let offsets = CharOffsets::new(&text);
                let expected = text[..at].chars().count();
                prop_assert_eq!(offsets.get(text.len()), total);
                prop_assert_eq!(offsets.get(at), expected, "{:?} back to {}", text, at);
                prop_assert_eq!(offsets.get(text.len()), total, "{:?} from {}", text, at);
            }
        }
    }
}
