//! Word-bounded, clitic-aware dictionary matching over folded text.
//!
//! Surfaces are stored once, without the article ال, in one automaton (leftmost-longest).
//! A match is accepted when it ends at a word end and the letters between the word
//! start and the match are a valid run of proclitics: a conjunction (و ف), a preposition
//! (ب ل ك), the article (ال), or ل + ال written لل. Checking the clitics at the match
//! boundary keeps the pattern set small (one pattern per name, not one per prefixed
//! form) and the scan fast.
//!
//! Up to [`DEFAULT_DFA_LIMIT`] stems, the automaton is an Aho-Corasick DFA, the fastest
//! scan. Past that (a user gazetteer of a million names), computing its failure
//! transitions takes many seconds and a gigabyte; the stems then go into a finite state
//! transducer (the `fst` crate), which builds in a fraction of that time and is walked
//! only where an accepted match can start: after a run of proclitics at a word start.
//! Both give the same matches.

use std::fmt;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use fst::raw::{CompiledAddr, Fst, Output};
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use rayon::slice::{ParallelSlice, ParallelSliceMut};
use rustc_hash::FxHashMap;

use crate::error::GazetteerError;
use crate::normalize::{fold_surface, is_word_char};

/// The most stems compiled into a DFA by default; larger sets use the transducer.
pub const DEFAULT_DFA_LIMIT: usize = 20_000;

/// The longest run of proclitics, in bytes: a conjunction, a preposition and ال.
const MAX_PROCLITICS_BYTES: usize = "وبال".len();

/// Whether a surface was written with the article, and so must appear with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    /// «السراج»: the text must carry ال (or لل).
    Required,
    /// «ليبيا»: the text must not carry ال.
    Forbidden,
}

/// The proclitics found before a match, inside its word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proclitics {
    /// و or ف.
    pub conjunction: Option<char>,
    /// ب, ل or ك.
    pub preposition: Option<char>,
    /// The article ال, or the ل + ال fusion لل.
    pub definite: bool,
    /// Bytes of the prefix that belong to the reported mention. The article is part
    /// of a name («السراج»), and so is a fused لل («للسراج»); و and a separate
    /// preposition are not («والإيطاليين» is reported as «الإيطاليين»).
    pub kept: usize,
}

impl Proclitics {
    /// Parses `prefix`, the letters between a word start and a match. `None` when the
    /// letters are not a run of proclitics.
    pub fn parse(prefix: &str) -> Option<Proclitics> {
        let mut rest = prefix;
        let mut clitics = Proclitics::default();
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, 'و' | 'ف')) {
            clitics.conjunction = Some(c);
            rest = &rest[c.len_utf8()..];
        }
        let after_conjunction = prefix.len() - rest.len();
        if let Some(tail) = rest.strip_prefix("لل") {
            if tail.is_empty() {
                clitics.preposition = Some('ل');
                clitics.definite = true;
                clitics.kept = prefix.len() - after_conjunction;
                return Some(clitics);
            }
        }
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, 'ب' | 'ل' | 'ك')) {
            if rest.len() == c.len_utf8() || rest[c.len_utf8()..].starts_with("ال") {
                clitics.preposition = Some(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        match rest {
            "" => Some(clitics),
            "ال" => {
                clitics.definite = true;
                clitics.kept = 2 * 'ا'.len_utf8();
                Some(clitics)
            }
            _ => None,
        }
    }
}

/// A word without the article «ال» (when at least two letters remain): how titles,
/// heads and cue lists are compared with or without it.
pub fn strip_article(word: &str) -> &str {
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => word,
    }
}

/// Whether `word` carries the article after any run of proclitics («الوزير»,
/// «وبالوزير», «للوزير»), as [`Proclitics::parse`] reads them at a match.
pub fn carries_article(word: &str) -> bool {
    word.char_indices().skip(1).take(5).any(|(at, _)| {
        Proclitics::parse(&word[..at]).is_some_and(|p| p.definite)
            && word[at..].chars().count() >= 2
    })
}

/// Particles inside an Arabic name («تميم بن حمد», «أبو بكر»), as written or folded.
pub fn is_name_particle(word: &str) -> bool {
    matches!(word, "بن" | "بنت" | "ابن" | "ابو" | "أبو")
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
    dfa_limit: usize,
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
            dfa_limit: DEFAULT_DFA_LIMIT,
        }
    }

    /// Sets the most stems compiled into a DFA (default [`DEFAULT_DFA_LIMIT`]); above
    /// it the transducer is used. Tests lower it to run the large-set path on small sets.
    pub fn dfa_limit(mut self, limit: usize) -> LexiconBuilder {
        self.dfa_limit = limit;
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
    /// but folds them in parallel: folding is most of the work for a large gazetteer.
    pub fn add_all<S: AsRef<str> + Sync>(&mut self, surfaces: &[(S, u32)]) {
        let stems: Vec<Option<Stem>> = surfaces
            .par_iter()
            .map(|(surface, _)| Stem::of(surface.as_ref()))
            .collect();
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

    /// Compiles the automaton: a DFA up to the DFA limit, a transducer above it.
    pub fn build(self) -> Result<Lexicon, GazetteerError> {
        let mut stems = vec![String::new(); self.patterns.len()];
        for ((stem, _), index) in self.keys {
            stems[index] = stem;
        }
        let automaton = if stems.len() <= self.dfa_limit {
            Automaton::Dfa(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&stems)?,
            )
        } else {
            // Sorted by stem, then index: of equal stems (one with an open end, one
            // without) the first added is kept, as the DFA reports the first pattern.
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
            patterns: self.patterns,
        })
    }
}

/// How the stems are searched.
#[derive(Clone)]
enum Automaton {
    /// Unanchored leftmost-longest Aho-Corasick DFA.
    Dfa(AhoCorasick),
    /// Stem to pattern index, walked anchored at each possible match start.
    Fst(Arc<Transducers>),
}

impl fmt::Debug for Automaton {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Automaton::Dfa(dfa) => f.debug_tuple("Dfa").field(dfa).finish(),
            Automaton::Fst(fsts) => {
                let stems: usize = fsts.fsts.iter().map(Fst::len).sum();
                write!(f, "Fst({stems} stems)")
            }
        }
    }
}

/// Stems mapped to pattern indices, in one transducer per range of first characters:
/// the `fst` builder is sequential, and takes over a second for a million stems.
struct Transducers {
    /// The first character of each transducer's stems, ascending.
    firsts: Vec<char>,
    fsts: Vec<Fst<Vec<u8>>>,
    /// For every pair of Arabic letters, the walk through its transducer after them:
    /// the first nodes branch over most of the alphabet and are the slowest to search.
    pairs: Vec<Walk>,
}

/// The Arabic letters, from hamza to ya, that [`Transducers`] looks up in pairs.
const LETTERS: std::ops::RangeInclusive<char> = '\u{0621}'..='\u{064A}';
const LETTER_COUNT: usize = *LETTERS.end() as usize - *LETTERS.start() as usize + 1;

/// The index of `c` among [`LETTERS`].
fn letter(c: char) -> Option<usize> {
    LETTERS
        .contains(&c)
        .then(|| c as usize - *LETTERS.start() as usize)
}

/// Where a walk through a transducer stands.
#[derive(Debug, Clone, Copy)]
struct Walk {
    /// The node reached; `None` once a byte had no transition.
    node: Option<CompiledAddr>,
    output: Output,
    /// Bytes consumed.
    depth: usize,
    /// Pattern index and byte length of the longest stem passed.
    longest: Option<(usize, usize)>,
}

impl Walk {
    fn start(fst: &Fst<Vec<u8>>) -> Walk {
        Walk {
            node: Some(fst.root().addr()),
            output: Output::zero(),
            depth: 0,
            longest: None,
        }
    }

    /// Follows `bytes` as far as the transducer goes.
    fn advance(mut self, fst: &Fst<Vec<u8>>, bytes: &[u8]) -> Walk {
        let Some(addr) = self.node else {
            return self;
        };
        let mut node = fst.node(addr);
        for &b in bytes {
            let Some(i) = node.find_input(b) else {
                self.node = None;
                return self;
            };
            let t = node.transition(i);
            self.output = self.output.cat(t.out);
            self.depth += 1;
            node = fst.node(t.addr);
            if node.is_final() {
                let pattern = self.output.cat(node.final_output()).value() as usize;
                self.longest = Some((pattern, self.depth));
            }
        }
        self.node = Some(node.addr());
        self
    }
}

impl Transducers {
    /// Builds from keys sorted by stem, without duplicate stems, one transducer per
    /// thread; all stems with the same first character go into the same one.
    fn build(keys: &[(&str, u64)]) -> Result<Transducers, fst::Error> {
        let first = |stem: &str| stem.chars().next();
        let shards = rayon::current_num_threads();
        let mut bounds = vec![0];
        for shard in 1..shards {
            let at = (keys.len() * shard / shards).max(bounds[bounds.len() - 1]);
            let Some(&(stem, _)) = keys.get(at) else {
                break;
            };
            let end = at + keys[at..].partition_point(|&(s, _)| first(s) == first(stem));
            if end < keys.len() {
                bounds.push(end);
            }
        }
        bounds.push(keys.len());
        bounds.dedup();
        let fsts = bounds
            .par_windows(2)
            .map(|range| Fst::from_iter_map(keys[range[0]..range[1]].iter().copied()))
            .collect::<Result<Vec<_>, _>>()?;
        let firsts = bounds[..bounds.len() - 1]
            .iter()
            .filter_map(|&at| keys.get(at).and_then(|&(stem, _)| first(stem)))
            .collect();
        let mut transducers = Transducers {
            firsts,
            fsts,
            pairs: Vec::new(),
        };
        let dead = Walk {
            node: None,
            output: Output::zero(),
            depth: 0,
            longest: None,
        };
        transducers.pairs = LETTERS
            .flat_map(|a| LETTERS.map(move |b| [a, b]))
            .map(|pair| match transducers.shard(pair[0]) {
                Some(fst) => Walk::start(fst).advance(fst, String::from_iter(pair).as_bytes()),
                None => dead,
            })
            .collect();
        Ok(transducers)
    }

    /// The transducer that holds the stems starting with `c`, if any.
    fn shard(&self, c: char) -> Option<&Fst<Vec<u8>>> {
        let shard = self.firsts.partition_point(|&f| f <= c).checked_sub(1)?;
        Some(&self.fsts[shard])
    }

    /// The pattern index and byte length of the longest stem that `text` starts with.
    fn longest(&self, text: &str) -> Option<(usize, usize)> {
        let mut chars = text.chars();
        let a = chars.next()?;
        let fst = self.shard(a)?;
        let b = chars.next();
        let walk = match (letter(a), b.and_then(letter)) {
            (Some(i), Some(j)) => {
                let rest = &text.as_bytes()[a.len_utf8() + b.map_or(0, char::len_utf8)..];
                self.pairs[i * LETTER_COUNT + j].advance(fst, rest)
            }
            _ => Walk::start(fst).advance(fst, text.as_bytes()),
        };
        walk.longest
    }
}

/// A compiled set of surfaces.
#[derive(Debug, Clone)]
pub struct Lexicon {
    automaton: Automaton,
    patterns: Vec<Pattern>,
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
    /// Every accepted match in `text` (folded), left to right, not overlapping.
    pub fn find_all(&self, text: &str) -> Vec<LexMatch> {
        match &self.automaton {
            Automaton::Dfa(dfa) => self.find_all_dfa(dfa, text),
            Automaton::Fst(fst) => self.find_all_fst(fst, text),
        }
    }

    fn find_all_dfa(&self, dfa: &AhoCorasick, text: &str) -> Vec<LexMatch> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let Some(m) = dfa.find(Input::new(text).span(at..text.len())) else {
                break;
            };
            match self.accept(text, m.pattern().as_usize(), m.start(), m.end()) {
                Some(accepted) => {
                    at = m.end();
                    found.push(accepted);
                }
                // A rejected match may hide a real one that starts inside it.
                None => at = next_char(text, m.start()),
            }
        }
        found
    }

    /// The same matches as [`Lexicon::find_all_dfa`]: that scan moves one character on
    /// after a rejected match, so trying the longest stem at every position in turn is
    /// equivalent, and positions not preceded by a run of proclitics within their word
    /// can be skipped, as every match there is rejected.
    fn find_all_fst(&self, fsts: &Transducers, text: &str) -> Vec<LexMatch> {
        let mut found = Vec::new();
        let mut word_start = 0;
        let mut at = 0;
        while at < text.len() {
            if at - word_start <= MAX_PROCLITICS_BYTES
                && Proclitics::parse(&text[word_start..at]).is_some()
            {
                if let Some((pattern, end)) = fsts.longest(&text[at..]) {
                    if let Some(accepted) = self.accept(text, pattern, at, at + end) {
                        at += end;
                        word_start = word_start_before(text, at);
                        found.push(accepted);
                        continue;
                    }
                }
            }
            let c = text[at..].chars().next().expect("at is inside the text");
            at += c.len_utf8();
            if !is_word_char(c) {
                word_start = at;
            }
        }
        found
    }

    fn accept(&self, text: &str, pattern: usize, start: usize, end: usize) -> Option<LexMatch> {
        let pattern_info = &self.patterns[pattern];
        if !pattern_info.open_end && text[end..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        let word_start = word_start_before(text, start);
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

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_is_read_after_any_proclitics() {
        let table = [
            ("الوزير", true),
            ("وبالوزير", true),
            ("للسراج", true),
            ("فالمجلس", true),
            ("ليبيا", false),
            // «وكالة» is و + «كالة», not و + ك + «ال»; folded «آل» is no article.
            ("وكالة", false),
            ("ال", false),
        ];
        for (word, expected) in table {
            assert_eq!(carries_article(word), expected, "{word}");
        }
    }
    use crate::normalize::Folded;

    /// The surfaces compiled by each backend: the DFA, and the transducer that
    /// gazetteers over the DFA limit get.
    fn lexicons(surfaces: &[&str]) -> [Lexicon; 2] {
        [DEFAULT_DFA_LIMIT, 0].map(|limit| {
            let mut builder = LexiconBuilder::new().dfa_limit(limit);
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
                .find_all(&folded.text)
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
            assert_eq!(lex.find_all(&folded.text).len(), 1);
        }
    }

    #[test]
    fn rejected_match_does_not_hide_a_later_one() {
        for lex in lexicons(&["مالي", "ليبيا"]) {
            let folded = Folded::new("شماليبيا ليبيا");
            let found = lex.find_all(&folded.text);
            assert_eq!(found.len(), 1);
            assert_eq!(
                found[0].start,
                folded.text.find("ليبيا ").map(|_| 17).unwrap()
            );
        }
    }

    #[test]
    fn large_sets_use_the_transducer() {
        let [dfa, fst] = lexicons(&["ليبيا"]);
        assert!(matches!(dfa.automaton, Automaton::Dfa(_)));
        assert!(matches!(fst.automaton, Automaton::Fst(_)));
    }

    /// Both backends give the same matches, including where the longest stem at a
    /// position is rejected and hides a shorter one, where one stem is both open-ended
    /// and not, and where stems start with a clitic letter or sit in different shards.
    #[test]
    fn backends_find_the_same_matches() {
        let surfaces = [
            "حكومة",
            "حكومة الوفاق",
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
        ];
        let tokens = [
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
        ];
        let [dfa, fst] = lexicons(&surfaces);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next() % 12 {
                text.push_str(tokens[next() % tokens.len()]);
            }
            let folded = Folded::new(&text);
            assert_eq!(
                dfa.find_all(&folded.text),
                fst.find_all(&folded.text),
                "in {text:?}"
            );
        }
    }

    #[test]
    fn proclitic_runs_parse() {
        let cases: &[(&str, Option<(bool, usize)>)] = &[
            ("", Some((false, 0))),
            ("و", Some((false, 0))),
            ("وب", Some((false, 0))),
            ("ال", Some((true, 4))),
            ("وال", Some((true, 4))),
            ("بال", Some((true, 4))),
            ("لل", Some((true, 4))),
            ("ولل", Some((true, 4))),
            ("فلل", Some((true, 4))),
            ("س", None),
            ("بب", None),
            ("الو", None),
        ];
        for (prefix, expected) in cases {
            let parsed = Proclitics::parse(prefix).map(|p| (p.definite, p.kept));
            assert_eq!(parsed, *expected, "prefix {prefix:?}");
        }
    }
}
