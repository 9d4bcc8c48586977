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
//! [`DEFAULT_TRIE_LIMIT`] stems it is a trie over characters: a few hundred kilobytes
//! that stay in cache, built in milliseconds. (An Aho-Corasick DFA of the built-in
//! gazetteer takes 25 MB and 50 ms to build, and its transitions miss the cache.) Past
//! that (a user gazetteer of a million names), the stems go into a finite state
//! transducer (the `fst` crate), which is compact and builds in a fraction of the time
//! a trie would. Both give the same matches.

use std::fmt;
use std::sync::Arc;

use fst::raw::{CompiledAddr, Fst, Output};
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use rayon::slice::{ParallelSlice, ParallelSliceMut};
use rustc_hash::FxHashMap;

use crate::error::GazetteerError;
use crate::text::arabic::{MAX_PROCLITICS_BYTES, Proclitics, is_proclitic_run, match_offsets};
use crate::text::fold::{Folded, WordSpan, fold_surface, is_word_char, word_end};

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
    /// large gazetteer. The built-in one folds in 2 ms on the calling thread, where
    /// handing it to the pool made a run's start slower at two threads.
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
            Automaton::Trie(trie) => {
                write!(
                    f,
                    "Trie({} words, {} characters)",
                    trie.arena.len(),
                    trie.alphabet.len
                )
            }
            Automaton::Fst(fsts) => {
                let stems: usize = fsts.fsts.iter().map(Fst::len).sum();
                write!(f, "Fst({stems} stems)")
            }
        }
    }
}

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
/// fits. Half the walks found nothing when only the first word was looked at: a word
/// such as «مجلس» begins many stems («مجلس النواب», «مجلس الأمن») and is none.
#[derive(Debug, Clone)]
struct WordFilter {
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
    starts_outside_words: bool,
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
    fn build(stems: &[String], patterns: &[Pattern]) -> WordFilter {
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
    fn admits(&self, text: &[u8], at: usize, end: usize, next_end: Option<usize>) -> bool {
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
/// word at every position it tries, and hashing every byte cost a quarter of the
/// matcher. The middle bytes of words longer than sixteen bytes are left out; equal
/// words still hash equal, which is all the filter needs.
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

/// No node or no pattern.
const NONE: u32 = u32::MAX;

/// Nodes with more children than this look them up in a table, not a list.
const DENSE_CHILDREN: usize = 6;

/// The widest table: past this many distinct characters (a gazetteer in many scripts)
/// every node lists its children. The built-in data has 49.
const MAX_TABLE_WIDTH: usize = 256;

/// The most bytes of stems compiled into a trie, whatever their number: each byte
/// makes at most one node, and the arena's offsets are `u32`.
const MAX_TRIE_BYTES: usize = 1 << 24;

/// Numbers for the characters that occur in stems, dense from 0, so that a table of
/// children is as narrow as the alphabet of the gazetteer.
#[derive(Default)]
struct Alphabet {
    /// Number + 1 of each character U+0000..U+06FF (Latin and Arabic), 0 if none.
    table: Vec<u32>,
    /// Numbers of the other characters.
    others: FxHashMap<char, u32>,
    len: usize,
}

impl Alphabet {
    /// The number of `c`, if it occurs in a stem.
    fn get(&self, c: char) -> Option<u32> {
        match self.table.get(c as usize) {
            Some(&slot) => slot.checked_sub(1),
            None => self.others.get(&c).copied(),
        }
    }

    /// The number of `c`, given the next free one if it is new.
    fn add(&mut self, c: char) -> u32 {
        if let Some(n) = self.get(c) {
            return n;
        }
        let n = self.len as u32;
        self.len += 1;
        match self.table.get_mut(c as usize) {
            Some(slot) => *slot = n + 1,
            None => {
                self.others.insert(c, n);
            }
        }
        n
    }
}

/// Marks a node whose children are a table in [`Trie::arena`].
const DENSE: u32 = 1 << 31;

/// Stems in a trie over characters. Characters are numbered by a table (Arabic and
/// ASCII) or a map (the rest). Each node is a run of `u32`s in one arena, in depth-first
/// order: its pattern, then its children, as a list of (number, node) pairs or, for a
/// node with many children (the root, the first letters), a table indexed by number.
/// A step of a walk reads one node, usually within one cache line.
struct Trie {
    alphabet: Alphabet,
    /// The nodes; a node at offset `o` holds: `[o]` the pattern that ends there or
    /// [`NONE`]; `[o + 1]` its number of listed children, or [`DENSE`]; then the list
    /// or the table, whose entries are the children's offsets.
    arena: Vec<u32>,
}

impl Trie {
    /// Builds from stems indexed by pattern; of equal stems the first is kept.
    ///
    /// Characters are numbered in code point order, so that stems sorted by their bytes
    /// (UTF-8 keeps code point order) meet each node's children in the order of their
    /// numbers: the nodes are made in depth-first order in one pass over the sorted
    /// stems, without a list of children per node.
    fn build(stems: &[String]) -> Trie {
        let mut alphabet = Alphabet {
            table: vec![0; 0x700],
            ..Alphabet::default()
        };
        // The characters of the stems in code point order: those the table covers
        // marked in it, the few others sorted (sorting every character of every stem
        // took a twentieth of a run's start).
        let mut seen = vec![false; alphabet.table.len()];
        let mut others = Vec::new();
        for c in stems.iter().flat_map(|s| s.chars()) {
            match seen.get_mut(c as usize) {
                Some(seen) => *seen = true,
                None => others.push(c),
            }
        }
        others.sort_unstable();
        others.dedup();
        let marked = (0..seen.len()).filter(|&i| seen[i]);
        for c in marked
            .filter_map(|i| char::from_u32(i as u32))
            .chain(others)
        {
            alphabet.add(c);
        }
        // By stem, then index: pairs are distinct, so an unstable sort orders them as a
        // stable one would, and without looking each stem up.
        let mut order: Vec<(&str, usize)> = stems
            .iter()
            .enumerate()
            .map(|(index, stem)| (stem.as_str(), index))
            .collect();
        order.sort_unstable();
        // Nodes in depth-first order: each one's parent, character number and pattern.
        let mut parents = vec![NONE];
        let mut numbers = vec![NONE];
        let mut patterns = vec![NONE];
        // The nodes along the previous stem, from the root.
        let mut path: Vec<u32> = vec![0];
        let mut previous = "";
        for (stem, index) in order {
            let shared = stem
                .chars()
                .zip(previous.chars())
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(shared + 1);
            for c in stem.chars().skip(shared) {
                let n = alphabet
                    .get(c)
                    .expect("every character of a stem is numbered");
                parents.push(path[path.len() - 1]);
                numbers.push(n);
                patterns.push(NONE);
                path.push(patterns.len() as u32 - 1);
            }
            let node = path[path.len() - 1] as usize;
            if patterns[node] == NONE {
                patterns[node] = index as u32;
            }
            previous = stem;
        }
        let mut counts = vec![0u32; patterns.len()];
        for &parent in &parents[1..] {
            counts[parent as usize] += 1;
        }
        let width = alphabet.len;
        let dense = |count: u32| count as usize > DENSE_CHILDREN && width <= MAX_TABLE_WIDTH;
        let mut offsets = Vec::with_capacity(patterns.len());
        let mut len = 0;
        for &count in &counts {
            offsets.push(len as u32);
            len += 2 + if dense(count) {
                width
            } else {
                2 * count as usize
            };
        }
        let mut arena = vec![NONE; len];
        // Where the next child of each listing node goes.
        let mut next_slot: Vec<u32> = offsets.iter().map(|&o| o + 2).collect();
        for node in 0..patterns.len() {
            let at = offsets[node] as usize;
            arena[at] = patterns[node];
            arena[at + 1] = if dense(counts[node]) {
                DENSE
            } else {
                counts[node]
            };
            if node == 0 {
                continue;
            }
            let parent = parents[node] as usize;
            let row = offsets[parent] as usize + 2;
            if dense(counts[parent]) {
                arena[row + numbers[node] as usize] = offsets[node];
            } else {
                let slot = next_slot[parent] as usize;
                arena[slot] = numbers[node];
                arena[slot + 1] = offsets[node];
                next_slot[parent] += 2;
            }
        }
        Trie { alphabet, arena }
    }

    /// The offset of the child of the node at `node` for character number `n`.
    fn child(&self, node: usize, n: u32) -> Option<usize> {
        let kind = self.arena[node + 1];
        let child = if kind == DENSE {
            self.arena[node + 2 + n as usize]
        } else {
            let list = &self.arena[node + 2..node + 2 + 2 * kind as usize];
            list.chunks_exact(2).find(|pair| pair[0] == n)?[1]
        };
        (child != NONE).then_some(child as usize)
    }

    /// The pattern index and byte length of the longest stem that `text` starts with.
    fn longest(&self, text: &str) -> Option<(usize, usize)> {
        let mut node = 0;
        let mut longest = None;
        for (at, c) in text.char_indices() {
            let Some(next) = self.alphabet.get(c).and_then(|n| self.child(node, n)) else {
                break;
            };
            node = next;
            let pattern = self.arena[node];
            if pattern != NONE {
                longest = Some((pattern as usize, at + c.len_utf8()));
            }
        }
        longest
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
