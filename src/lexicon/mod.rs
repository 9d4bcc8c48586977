//! Word-bounded, clitic-aware dictionary matching over folded text.
//!
//! Surfaces are stored once, without the article ال, in one automaton (leftmost-longest).
//! A match is accepted when it ends at a word end and the letters between the word
//! start and the match are a valid run of proclitics: a conjunction (و ف), a preposition
//! (ب ل ك), the article (ال), or ل + ال written لل. Checking the clitics at the match
//! boundary keeps the pattern set small (one pattern per name, not one per prefixed
//! form) and the scan fast.
//!
//! The automaton is walked anchored, only where an accepted match can start: at a word
//! start and after a run of proclitics there, and only when a hash of the word there says
//! it may begin a stem; the rest of each word is skipped. Up to
//! [`DEFAULT_TRIE_LIMIT`] stems it is a trie over characters: small enough to stay in
//! cache, and quick to build. (An Aho-Corasick DFA of the built-in gazetteer is far
//! larger and slower to build, and its transitions miss the cache.) Past that (a user
//! gazetteer of a million names), the stems go into a finite state transducer (the
//! `fst` crate), which is compact and builds in a fraction of the time a trie would.
//! Both give the same matches.

mod filter;
mod transducer;
mod trie;

use std::fmt;
use std::sync::Arc;

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use rayon::slice::ParallelSliceMut;
use rustc_hash::FxHashMap;

use self::filter::WordFilter;
use self::trie::{MAX_TRIE_BYTES, Trie};
use crate::error::GazetteerError;
use crate::text::arabic::{MAX_PROCLITICS_BYTES, Proclitics, is_proclitic_run, match_offsets};
use crate::text::fold::{Folded, WordSpan, fold_surface, is_word_char};
use transducer::Transducers;

/// The most stems compiled into a trie by default; larger sets use the transducer.
pub const DEFAULT_TRIE_LIMIT: usize = 20_000;

/// From this many surfaces on, [`LexiconBuilder::add_all`] folds them in parallel.
const PARALLEL_FOLD_SURFACES: usize = 50_000;

/// Whether a surface was written with the article, and so must appear with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    /// «السراج»: the text must carry ال (or لل).
    Required,
    /// «ليبيا»: the text must not carry ال.
    Forbidden,
}

/// One value attached to a surface, with the article the surface was written with.
#[derive(Debug, Clone, Copy)]
struct Value {
    value: u32,
    article: Article,
}

#[derive(Debug, Clone, Default)]
struct Pattern {
    open_end: bool,
    values: Vec<Value>,
}

/// A surface folded and split into what the automaton stores.
struct Stem {
    /// Folded, without the article.
    text: String,
    open_end: bool,
    article: Article,
}

impl Stem {
    /// `None` when the surface folds to nothing.
    fn of(surface: &str) -> Option<Stem> {
        let (surface, open_end) = match surface.strip_suffix('*') {
            Some(s) => (s, true),
            None => (surface, false),
        };
        let mut text = fold_surface(surface);
        let article = match text.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => {
                text.drain(.."ال".len());
                Article::Required
            }
            _ => Article::Forbidden,
        };
        text.chars().any(is_word_char).then_some(Stem {
            text,
            open_end,
            article,
        })
    }
}

/// Collects surfaces, then compiles them into a [`Lexicon`].
#[derive(Debug)]
pub struct LexiconBuilder {
    /// (stem, open end) to its index in `patterns`; the stems move out in `build`.
    keys: FxHashMap<(String, bool), usize>,
    patterns: Vec<Pattern>,
    trie_limit: usize,
}

impl Default for LexiconBuilder {
    fn default() -> LexiconBuilder {
        LexiconBuilder::with_capacity(0)
    }
}

impl LexiconBuilder {
    /// An empty builder.
    pub fn new() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// An empty builder with room for about `surfaces` stems, so that a large
    /// gazetteer does not rehash its table over and over.
    pub fn with_capacity(surfaces: usize) -> LexiconBuilder {
        LexiconBuilder {
            keys: FxHashMap::with_capacity_and_hasher(surfaces, Default::default()),
            patterns: Vec::with_capacity(surfaces),
            trie_limit: DEFAULT_TRIE_LIMIT,
        }
    }

    /// Sets the most stems compiled into a trie (default [`DEFAULT_TRIE_LIMIT`]); above
    /// it the transducer is used. Tests lower it to run the large-set path on small sets.
    pub fn trie_limit(mut self, limit: usize) -> LexiconBuilder {
        self.trie_limit = limit;
        self
    }

    /// Adds `surface` with `value`. A trailing `*` lets the last word continue (for
    /// suffixed pronouns: «زيارت*» matches «زيارته»). Returns false when the surface
    /// folds to nothing.
    pub fn add(&mut self, surface: &str, value: u32) -> bool {
        match Stem::of(surface) {
            Some(stem) => {
                self.insert(stem, value);
                true
            }
            None => false,
        }
    }

    /// Adds every surface with its value, as [`LexiconBuilder::add`] would one by one,
    /// but folds them in parallel when there are many: folding is most of the work for a
    /// large gazetteer. A smaller one, such as the built-in one, folds on the calling
    /// thread: handing so little work to the pool costs a run's start more than it saves.
    pub fn add_all<S: AsRef<str> + Sync>(&mut self, surfaces: &[(S, u32)]) {
        let stem = |(surface, _): &(S, u32)| Stem::of(surface.as_ref());
        let stems: Vec<Option<Stem>> = if surfaces.len() < PARALLEL_FOLD_SURFACES {
            surfaces.iter().map(stem).collect()
        } else {
            surfaces.par_iter().map(stem).collect()
        };
        for (stem, &(_, value)) in stems.into_iter().zip(surfaces) {
            if let Some(stem) = stem {
                self.insert(stem, value);
            }
        }
    }

    fn insert(&mut self, stem: Stem, value: u32) {
        let Stem {
            text,
            open_end,
            article,
        } = stem;
        let index = *self.keys.entry((text, open_end)).or_insert_with(|| {
            self.patterns.push(Pattern {
                open_end,
                values: Vec::new(),
            });
            self.patterns.len() - 1
        });
        let values = &mut self.patterns[index].values;
        if !values
            .iter()
            .any(|v| v.value == value && v.article == article)
        {
            values.push(Value { value, article });
        }
    }

    /// Number of distinct stems added so far.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Compiles the automaton: a trie up to the trie limit, a transducer above it.
    pub fn build(self) -> Result<Lexicon, GazetteerError> {
        let mut stems = vec![String::new(); self.patterns.len()];
        for ((stem, _), index) in self.keys {
            stems[index] = stem;
        }
        // Past the limits a trie takes too much memory, and its offsets would overflow.
        let automaton = if stems.len() <= self.trie_limit
            && stems.iter().map(String::len).sum::<usize>() <= MAX_TRIE_BYTES
        {
            Automaton::Trie(Arc::new(Trie::build(&stems)))
        } else {
            // Sorted by stem, then index: of equal stems (one with an open end, one
            // without) the first added is kept, as in the trie.
            let mut keys: Vec<(&str, u64)> = stems
                .iter()
                .enumerate()
                .map(|(index, stem)| (stem.as_str(), index as u64))
                .collect();
            keys.par_sort_unstable();
            keys.dedup_by_key(|&mut (stem, _)| stem);
            Automaton::Fst(Arc::new(Transducers::build(&keys)?))
        };
        Ok(Lexicon {
            automaton,
            filter: WordFilter::build(&stems, &self.patterns),
            patterns: self.patterns,
        })
    }
}

/// How the stems are searched: both are walked anchored at each possible match start.
#[derive(Clone)]
enum Automaton {
    /// Trie over characters.
    Trie(Arc<Trie>),
    /// Stem to pattern index.
    Fst(Arc<Transducers>),
}

impl Automaton {
    /// The pattern index and byte length of the longest stem that `text` starts with.
    fn longest(&self, text: &str) -> Option<(usize, usize)> {
        match self {
            Automaton::Trie(trie) => trie.longest(text),
            Automaton::Fst(fsts) => fsts.longest(text),
        }
    }
}

impl fmt::Debug for Automaton {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Automaton::Trie(trie) => trie.fmt(f),
            Automaton::Fst(fsts) => fsts.fmt(f),
        }
    }
}

/// A compiled set of surfaces.
#[derive(Debug, Clone)]
pub struct Lexicon {
    automaton: Automaton,
    filter: WordFilter,
    patterns: Vec<Pattern>,
}

/// Where [`Lexicon::find_all`] stands in a text.
struct Scan<'t> {
    text: &'t str,
    found: Vec<LexMatch>,
    /// No match may start before this: the end of the last one accepted.
    resume: usize,
}

/// One accepted match in folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexMatch {
    /// Start of the word that holds the match (before any proclitic).
    pub word_start: usize,
    /// Start of the reported span: after و and a separate preposition, at the article.
    pub start: usize,
    /// End of the match (exclusive).
    pub end: usize,
    /// The proclitics before the stem.
    pub proclitics: Proclitics,
    /// The values whose article requirement this occurrence meets, in insertion order.
    pub values: Vec<u32>,
}

impl Lexicon {
    /// Every accepted match in a folded text, left to right, not overlapping.
    ///
    /// At each position in turn, the longest stem starting there is tried; an accepted
    /// one moves the scan past it, a rejected one moves it one character on. Only
    /// positions preceded, within their word, by a run of proclitics can be accepted,
    /// so the scan goes from word to word (the words folding found) and skips the rest
    /// of each; a position whose word begins no stem (by a hash of the word) is not
    /// walked at all; and the characters between words are tried only when a stem
    /// starts with such a character.
    pub fn find_all(&self, folded: &Folded) -> Vec<LexMatch> {
        let mut scan = Scan {
            text: &folded.text,
            found: Vec::with_capacity(folded.words.len() / 16),
            resume: 0,
        };
        let mut before: Option<WordSpan> = None;
        for (i, &word) in folded.words.iter().enumerate() {
            if self.filter.starts_outside_words {
                self.scan_gap(&mut scan, before, word.start as usize);
            }
            let next_end = folded.words.get(i + 1).map(|next| next.end as usize);
            self.scan_word(&mut scan, word, next_end);
            before = Some(word);
        }
        if self.filter.starts_outside_words {
            self.scan_gap(&mut scan, before, folded.text.len());
        }
        scan.found
    }

    /// Tries the positions of `word` whose word start and proclitics allow a match,
    /// from where the scan stands (past the word's start only after a match that ended
    /// inside it); `next_end` is where the next word ends, if there is one.
    fn scan_word(&self, scan: &mut Scan<'_>, word: WordSpan, next_end: Option<usize>) {
        let (start, end) = (word.start as usize, word.end as usize);
        let bytes = scan.text.as_bytes();
        for offset in match_offsets(&bytes[start..end]) {
            let at = start + offset;
            // A match that ended inside the word moved `resume` past `at`.
            if at >= scan.resume && self.filter.admits(bytes, at, end, next_end) {
                self.take_match(scan, start, at);
            }
        }
    }

    /// Tries the characters outside words up to `to`, after the word `before` (if any),
    /// for the stems that start with such a character («(داعش)»). The first of them
    /// belongs, as a position, to the word before it, which must then be a run of
    /// proclitics («ال (داعش)» is not, «و(داعش)» is).
    fn scan_gap(&self, scan: &mut Scan<'_>, before: Option<WordSpan>, to: usize) {
        let bytes = scan.text.as_bytes();
        let gap_start = before.map_or(0, |w| w.end as usize);
        let mut at = gap_start.max(scan.resume);
        while at < to {
            let word_start = match before {
                Some(word) if at == gap_start => word.start as usize,
                _ => at,
            };
            if at - word_start <= MAX_PROCLITICS_BYTES
                && (at == word_start || is_proclitic_run(&bytes[word_start..at]))
                && let Some(past) = self.take_match(scan, word_start, at)
            {
                at = past;
                continue;
            }
            at += utf8_len(bytes[at]);
        }
    }

    /// Takes the longest stem at `at`, in the word that starts at `word_start`, when it
    /// is a match: records it, moves the scan past it and returns where it ends.
    #[inline]
    fn take_match(&self, scan: &mut Scan<'_>, word_start: usize, at: usize) -> Option<usize> {
        let (pattern, len) = self.automaton.longest(&scan.text[at..])?;
        let accepted = self.accept_in_word(scan.text, pattern, word_start, at, at + len)?;
        scan.found.push(accepted);
        scan.resume = at + len;
        Some(scan.resume)
    }

    /// Whether the stem of `pattern` at `start..end` is a match, reading its proclitics
    /// from the start of the word that ends at `start`, if any: the reference scan's view.
    #[cfg(test)]
    fn accept(&self, text: &str, pattern: usize, start: usize, end: usize) -> Option<LexMatch> {
        self.accept_in_word(text, pattern, word_start_before(text, start), start, end)
    }

    /// Whether the stem of `pattern` at `start..end` is a match, in the word that starts
    /// at `word_start` (the scan knows it; [`word_start_before`] would find it).
    fn accept_in_word(
        &self,
        text: &str,
        pattern: usize,
        word_start: usize,
        start: usize,
        end: usize,
    ) -> Option<LexMatch> {
        let pattern_info = &self.patterns[pattern];
        if !pattern_info.open_end && text[end..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        debug_assert_eq!(word_start, word_start_before(text, start));
        let proclitics = Proclitics::parse(&text[word_start..start])?;
        let values: Vec<u32> = pattern_info
            .values
            .iter()
            .filter(|v| match v.article {
                Article::Required => proclitics.definite,
                Article::Forbidden => !proclitics.definite,
            })
            .map(|v| v.value)
            .collect();
        if values.is_empty() {
            return None;
        }
        let definite_prefix = if proclitics.definite {
            proclitics.kept
        } else {
            0
        };
        // An open end reports the whole word («زيارته», not «زيارت»).
        let end = if pattern_info.open_end {
            end + text[end..]
                .find(|c: char| !is_word_char(c))
                .unwrap_or(text.len() - end)
        } else {
            end
        };
        Some(LexMatch {
            word_start,
            start: start - definite_prefix,
            end,
            proclitics,
            values,
        })
    }
}

/// Start of the run of word characters that ends at `at`.
fn word_start_before(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(at, |(i, _)| i)
}

/// The length of the UTF-8 sequence that `lead` starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::Folded;
    use aho_corasick::{AhoCorasick, Input, MatchKind};
    use proptest::prelude::*;

    /// The surfaces compiled by each backend: the trie, and the transducer that
    /// gazetteers over the trie limit get.
    fn lexicons(surfaces: &[&str]) -> [Lexicon; 2] {
        [DEFAULT_TRIE_LIMIT, 0].map(|limit| {
            let mut builder = LexiconBuilder::new().trie_limit(limit);
            for (i, s) in surfaces.iter().enumerate() {
                assert!(builder.add(s, i as u32));
            }
            builder.build().unwrap()
        })
    }

    /// (text, expected matched original words with value): one row per clitic form.
    const CLITICS: &[(&str, &[(&str, u32)])] = &[
        ("زيارة السراج للجزائر", &[("السراج", 0), ("للجزائر", 1)]),
        ("لقاء للسراج", &[("للسراج", 0)]),
        ("وللسراج", &[("للسراج", 0)]),
        (
            "بالسراج وكالسراج فالسراج",
            &[("السراج", 0), ("السراج", 0), ("السراج", 0)],
        ),
        ("والجزائر", &[("الجزائر", 1)]),
        ("سراج", &[]),
        ("السراجي", &[]),
        (
            "وليبيا بليبيا لليبيا",
            &[("ليبيا", 2), ("ليبيا", 2), ("ليبيا", 2)],
        ),
        ("الليبيا", &[]),
        ("مع تبون", &[("تبون", 3)]),
        ("وزيرليبيا", &[]),
        (
            "حكومة الوفاق ولحكومة الوفاق",
            &[("حكومة الوفاق", 4), ("حكومة الوفاق", 4)],
        ),
        ("عبدالمجيد", &[]),
        ("والإيطاليين", &[("الإيطاليين", 5)]),
        ("الإيطاليين", &[("الإيطاليين", 5)]),
    ];

    #[test]
    fn clitic_forms_resolve_to_the_name() {
        let lexicons = lexicons(&[
            "السراج",
            "الجزائر",
            "ليبيا",
            "تبون",
            "حكومة الوفاق",
            "الإيطاليين",
            "إيطاليين",
        ]);
        for (lex, (text, expected)) in lexicons
            .iter()
            .flat_map(|l| CLITICS.iter().map(move |c| (l, c)))
        {
            let folded = Folded::new(text);
            let found: Vec<(&str, u32)> = lex
                .find_all(&folded)
                .iter()
                .map(|m| {
                    let (s, e) = folded.original(m.start, m.end);
                    (&text[s..e], m.values[0])
                })
                .collect();
            assert_eq!(found, *expected, "in {text}");
        }
    }

    #[test]
    fn open_end_lets_pronoun_suffixes_through() {
        for lex in lexicons(&["زيارت*"]) {
            let folded = Folded::new("خلال زيارته إلى إيطاليا");
            assert_eq!(lex.find_all(&folded).len(), 1);
        }
    }

    #[test]
    fn rejected_match_does_not_hide_a_later_one() {
        for lex in lexicons(&["مالي", "ليبيا"]) {
            let folded = Folded::new("شماليبيا ليبيا");
            let found = lex.find_all(&folded);
            assert_eq!(found.len(), 1);
            assert_eq!(
                found[0].start,
                folded.text.find("ليبيا ").map(|_| 17).unwrap()
            );
        }
    }

    /// Past [`MAX_TABLE_WIDTH`] distinct characters every node lists its children (a
    /// table per node would be as wide as the alphabet); matching works the same.
    #[test]
    fn a_wide_alphabet_lists_children() {
        let mut surfaces: Vec<String> = ('\u{4E00}'..='\u{4FFF}').map(String::from).collect();
        surfaces.extend(["ليبيا", "لبنان", "ليون"].map(String::from));
        let refs: Vec<&str> = surfaces.iter().map(String::as_str).collect();
        let [trie, _] = lexicons(&refs);
        assert!(format!("{:?}", trie.automaton).contains("518 characters"));
        let folded = Folded::new("زار \u{4E01} لبنان وليبيا");
        let found: Vec<u32> = trie.find_all(&folded).iter().map(|m| m.values[0]).collect();
        assert_eq!(found, [1, 513, 512]);
    }

    #[test]
    fn large_sets_use_the_transducer() {
        let [trie, fst] = lexicons(&["ليبيا"]);
        assert!(matches!(trie.automaton, Automaton::Trie(_)));
        assert!(matches!(fst.automaton, Automaton::Fst(_)));
    }

    /// The scan as first written: an unanchored leftmost-longest Aho-Corasick search
    /// over every position, moving one character on after a rejected match. The
    /// anchored scan skips positions; it must find exactly what this finds.
    fn find_all_unanchored(lex: &Lexicon, ac: &AhoCorasick, text: &str) -> Vec<LexMatch> {
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(m) = ac.find(Input::new(text).span(at..text.len())) {
            match lex.accept(text, m.pattern().as_usize(), m.start(), m.end()) {
                Some(accepted) => {
                    at = m.end();
                    found.push(accepted);
                }
                None => at = m.start() + text[m.start()..].chars().next().unwrap().len_utf8(),
            }
        }
        found
    }

    /// Stems where the longest at a position is rejected and hides a shorter one, where
    /// one stem is both open-ended and not, where stems start with a clitic letter,
    /// punctuation or a space («ال ليبيا» leaves « ليبيا» after the article) or sit in
    /// different shards, and where a stem ends inside a longer one. And stems whose
    /// first word is no stem («رئيس»), with an open second word, and with punctuation
    /// after or between their words («x.», «u.n.»), for the word filter's second table.
    const SURFACES: &[&str] = &[
        "حكومة",
        "حكومة الوفاق",
        "رئيس الوزراء",
        "رئيس الحكومة الليبية",
        "وزير خارجي*",
        "x.",
        "u.n.",
        "u. s",
        "زيارت*",
        "زيارت",
        "مالي",
        "ليبيا",
        "السراج",
        "الوفاق",
        "بنغازي",
        "وادي الربيع",
        "لبنان",
        "أ ب",
        "ب",
        "x",
        "(داعش)",
        "لب",
        "ال ليبيا",
    ];

    /// Clitics, separators and pieces of the stems, to be strung together.
    const TOKENS: &[&str] = &[
        "رئيس",
        "الوزراء",
        "وزير",
        "خارجي",
        "الليبيه",
        ".",
        "u",
        "n",
        "s",
        "و",
        "ف",
        "ب",
        "ل",
        "ك",
        "ال",
        "لل",
        " ",
        "،",
        "حكومة",
        "الوفاق",
        "ي",
        "زيارت",
        "ه",
        "مالي",
        "ليبيا",
        "سراج",
        "بنغازي",
        "وادي",
        "ربيع",
        "لبنان",
        "أ",
        "x",
        "(",
        ")",
        "داعش",
    ];

    /// Both backends, and the unanchored automaton of the same stems, built once.
    static BACKENDS: std::sync::LazyLock<([Lexicon; 2], AhoCorasick)> =
        std::sync::LazyLock::new(|| {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(SURFACES.iter().map(|s| Stem::of(s).unwrap().text))
                .unwrap();
            (lexicons(SURFACES), ac)
        });

    proptest! {
        #![proptest_config(crate::testing::config(20_000))]

        /// Both backends find what the unanchored scan finds.
        #[test]
        fn backends_find_what_the_unanchored_scan_finds(
            text in crate::testing::texts(TOKENS, 11)
        ) {
            let ([trie, fst], ac) = &*BACKENDS;
            let folded = Folded::new(&text);
            let expected = find_all_unanchored(trie, ac, &folded.text);
            prop_assert_eq!(trie.find_all(&folded), expected.clone(), "in {:?}", text);
            prop_assert_eq!(fst.find_all(&folded), expected, "in {:?}", text);
        }
    }

    /// The word filter's second table, case by case: stems of two words and more,
    /// open at their end, and with punctuation after or between their words, each with
    /// how many matches the unanchored scan finds.
    #[test]
    fn the_word_filter_lets_through_every_stem_that_fits() {
        let ([trie, fst], ac) = &*BACKENDS;
        for (text, count) in [
            ("التقى رئيس الوزراء", 1),
            ("ورئيس الوزراء الليبي", 1),
            ("رئيس الحكومة الليبية", 1),
            ("رئيس الحكومة", 0),
            ("رئيس المجلس", 0),
            ("وزير خارجية", 1),
            ("وزير خارجي", 1),
            ("وزير الخارجية", 0),
            ("قال x. ثم", 1),
            ("قال x.y", 0),
            ("قال x.", 1),
            ("u.n. قال", 1),
            ("u.s", 0),
            ("u. s", 1),
            ("u. sa", 0),
        ] {
            let folded = Folded::new(text);
            let expected = find_all_unanchored(trie, ac, &folded.text);
            assert_eq!(expected.len(), count, "{text}");
            assert_eq!(trie.find_all(&folded), expected, "{text}");
            assert_eq!(fst.find_all(&folded), expected, "{text}");
        }
    }
}
