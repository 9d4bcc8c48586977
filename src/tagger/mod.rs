//! A name tagger for the names no gazetteer lists: an averaged structured perceptron over
//! BIO labels (PER, ORG, LOC) with Viterbi decoding, trained on Arabic newswire.
//!
//! The features are chosen so that tagging stays cheap: every feature of a word (its
//! form, its stem after proclitics, its affixes, its shape) is read at a fixed offset
//! from the token being tagged, so the scores a word gives at each offset are a sum the
//! tagger computes once per word type and caches. The rest are the gazetteer's hits
//! around the token ([`Hints`]), looked up in a small table. Per token, tagging is then
//! a cache lookup, a few additions and a 7-by-7 Viterbi step.

mod clusters;
mod features;
mod model;
mod train;

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

pub use clusters::{CLUSTER_LEVELS, Clusters};
pub use model::{Model, ModelError};
pub use train::{TrainOptions, TrainReport, TrainSentence, train};

use features::{OFFSETS, document_bits, document_keys, pair_keys, stem_hash, word_features};

use crate::text::arabic::stem;

/// A token's label: outside a name, or the beginning or inside of one of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// Not part of a name.
    O,
    /// First word of a person's name.
    BPer,
    /// A later word of a person's name.
    IPer,
    /// First word of an organisation's name.
    BOrg,
    /// A later word of an organisation's name.
    IOrg,
    /// First word of a place's name.
    BLoc,
    /// A later word of a place's name.
    ILoc,
}

/// How many labels there are.
pub const LABELS: usize = 7;

impl Label {
    /// Every label, by index.
    pub const ALL: [Label; LABELS] = [
        Label::O,
        Label::BPer,
        Label::IPer,
        Label::BOrg,
        Label::IOrg,
        Label::BLoc,
        Label::ILoc,
    ];

    /// The label's index in score vectors.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The type of name the label is part of, as CoNLL spells it (`PER`, `ORG`, `LOC`).
    pub fn kind(self) -> Option<NameKind> {
        match self {
            Label::O => None,
            Label::BPer | Label::IPer => Some(NameKind::Per),
            Label::BOrg | Label::IOrg => Some(NameKind::Org),
            Label::BLoc | Label::ILoc => Some(NameKind::Loc),
        }
    }

    /// The label for a CoNLL tag (`B-PERS`, `I-ORG`, `B-LOC`...); MISC and anything
    /// unknown is `O`.
    pub fn from_conll(tag: &str) -> Label {
        let tag = tag.trim_matches(|c: char| c.is_whitespace() || c == '\u{200F}');
        let (position, kind) = match tag.split_once('-') {
            Some(split) => split,
            None => return Label::O,
        };
        let kind = match kind {
            "PER" | "PERS" => NameKind::Per,
            "ORG" => NameKind::Org,
            "LOC" | "GPE" => NameKind::Loc,
            _ => return Label::O,
        };
        Label::of(kind, position != "I")
    }

    /// The label of a `kind` name, first word or not.
    pub fn of(kind: NameKind, begins: bool) -> Label {
        match (kind, begins) {
            (NameKind::Per, true) => Label::BPer,
            (NameKind::Per, false) => Label::IPer,
            (NameKind::Org, true) => Label::BOrg,
            (NameKind::Org, false) => Label::IOrg,
            (NameKind::Loc, true) => Label::BLoc,
            (NameKind::Loc, false) => Label::ILoc,
        }
    }

    /// Whether `self` may follow `previous`: a name's later word only after a word of
    /// the same name.
    fn may_follow(self, previous: Option<Label>) -> bool {
        match self {
            Label::IPer | Label::IOrg | Label::ILoc => {
                previous.is_some_and(|p| p.kind() == self.kind())
            }
            _ => true,
        }
    }
}

/// The names in a label sequence, as (first word, one past the last, type): a name's
/// later words continue it while `joined(w)` says word `w` and the next may be one name.
pub fn names(labels: &[Label], joined: impl Fn(usize) -> bool) -> Vec<(usize, usize, NameKind)> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let Some(kind) = labels[i].kind() else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < labels.len() && labels[j] == Label::of(kind, false) && joined(j - 1) {
            j += 1;
        }
        names.push((i, j, kind));
        i = j;
    }
    names
}

/// The three types of names the tagger finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    /// A person.
    Per,
    /// An organisation.
    Org,
    /// A place or a state.
    Loc,
}

/// What the gazetteers say about a token, as bits: the tagger learns how far to trust
/// them. A token may carry several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Hints(pub u16);

impl Hints {
    /// Part of a known person's name.
    pub const PERSON: u16 = 1 << 0;
    /// Part of a known organisation's name.
    pub const ORGANISATION: u16 = 1 << 1;
    /// Part of a known state's or place's name.
    pub const PLACE: u16 = 1 << 2;
    /// Part of another known name (an event, an operation).
    pub const OTHER: u16 = 1 << 3;
    /// A title or office word («وزير», «الرئيس»).
    pub const TITLE: u16 = 1 << 4;
    /// A nisba of a state («الليبي»).
    pub const NISBA: u16 = 1 << 5;
    /// A relation trigger («استقبل», «زيارة»).
    pub const TRIGGER: u16 = 1 << 6;
    /// The first word of a known name.
    pub const FIRST: u16 = 1 << 7;
    /// A word that begins some known person's name («عبد», «زلماي»), wherever it stands.
    pub const GIVEN_NAME: u16 = 1 << 8;
    /// A word that ends some known person's name, wherever it stands.
    pub const FAMILY_NAME: u16 = 1 << 9;
    /// How many hint bits there are.
    pub const BITS: usize = 10;

    /// Whether `bit` is set.
    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
}

/// One token to tag: its folded form and what the gazetteers say of it.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    /// The word, folded (`text::fold`).
    pub word: &'a str,
    /// The gazetteers' hits on it.
    pub hints: Hints,
}

/// What the tagger keeps of a word type, per thread: the word, the scores its features
/// give each label at each offset, and the hash of its stem for the pair features. The
/// word is kept here, beside the scores the token reads next, rather than as the key of
/// a map, whose separate allocation cost a cache miss a token; and an entry fills
/// three cache lines exactly, never a fourth.
#[repr(align(64))]
struct WordEntry {
    word: Spelling,
    scores: [[f32; LABELS]; OFFSETS.len()],
    stem: u64,
}

/// How many bytes of a word [`Spelling`] holds inline: sixteen Arabic letters folded.
const INLINE_BYTES: usize = 32;

/// A word's bytes: inline when it is short, as nearly all words are, else on the heap.
enum Spelling {
    /// A word of at most [`INLINE_BYTES`] bytes, in the first `len` of `bytes`.
    Short { len: u8, bytes: [u8; INLINE_BYTES] },
    /// A longer word.
    Long(Box<str>),
}

impl Spelling {
    fn new(word: &str) -> Spelling {
        if word.len() <= INLINE_BYTES {
            let mut bytes = [0; INLINE_BYTES];
            bytes[..word.len()].copy_from_slice(word.as_bytes());
            Spelling::Short {
                len: word.len() as u8,
                bytes,
            }
        } else {
            Spelling::Long(word.into())
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Spelling::Short { len, bytes } => &bytes[..usize::from(*len)],
            Spelling::Long(word) => word.as_bytes(),
        }
    }
}

/// Most word types a thread keeps before it starts over.
const CACHE_WORDS: usize = 1 << 17;

/// The most words an index of [`CACHE_WORDS`] buckets holds: hashbrown fills its tables
/// to seven eighths.
const INDEX_WORDS: usize = CACHE_WORDS / 8 * 7;

/// The word types a thread has seen with one model, and the buffers a sentence is tagged
/// in, kept from one sentence to the next.
#[derive(Default)]
struct WordCache {
    /// The tagger the entries were computed with ([`Tagger::id`]), plus one: 0 is none.
    owner: u64,
    /// Where each word's entry is in `entries`, by the word's hash.
    index: HashTable<Place>,
    entries: Vec<WordEntry>,
    /// The sentence's tokens' entries.
    at: Vec<u32>,
    /// The hashes of the sentence's tokens' stems.
    stems: Vec<u64>,
    /// The sentence's tokens' scores.
    emissions: Vec<[f32; LABELS]>,
}

/// Where a word's entry is in [`WordCache::entries`], and the high half of the word's
/// hash, which tells most words apart without reading their entries.
#[derive(Debug, Clone, Copy)]
struct Place {
    at: u32,
    check: u32,
}

/// The part of a word's hash a [`Place`] keeps.
fn check_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The place of `word`'s entry (`hash` is its [`word_hash`]), compared in full, made
/// with `entry` if the word is new.
fn find_or_add(
    index: &mut HashTable<Place>,
    entries: &mut Vec<WordEntry>,
    hash: u64,
    word: &str,
    entry: impl FnOnce() -> WordEntry,
) -> u32 {
    let same = |place: &Place| entries[place.at as usize].word.as_bytes() == word.as_bytes();
    if let Some(place) = index.find(hash, same) {
        return place.at;
    }
    let at = entries.len() as u32;
    entries.push(entry());
    let place = Place {
        at,
        check: check_of(hash),
    };
    index.insert_unique(hash, place, |place| {
        word_hash(entries[place.at as usize].word.as_bytes())
    });
    at
}

/// Sets `at` to the places in `entries` of `tokens`' words, adding the entries `entry`
/// makes for the words new to the cache.
///
/// Two passes, so that the cache misses of a sentence's entries overlap rather than
/// follow one another (waiting on them was half of tagging): first each token's likely
/// entry by its word's hash alone, from the index, which stays in the core's cache;
/// then each entry checked against its word. A word new to the cache, or one whose hash
/// matched another word's, takes the full lookup.
fn places(
    index: &mut HashTable<Place>,
    entries: &mut Vec<WordEntry>,
    at: &mut Vec<u32>,
    tokens: &[Token<'_>],
    entry: impl Fn(&str) -> WordEntry,
) {
    at.clear();
    at.extend(tokens.iter().map(|t| {
        let hash = word_hash(t.word.as_bytes());
        match index.find(hash, |place| place.check == check_of(hash)) {
            Some(place) => place.at,
            None => find_or_add(index, entries, hash, t.word, || entry(t.word)),
        }
    }));
    for (place, t) in at.iter_mut().zip(tokens) {
        if entries[*place as usize].word.as_bytes() != t.word.as_bytes() {
            let hash = word_hash(t.word.as_bytes());
            *place = find_or_add(index, entries, hash, t.word, || entry(t.word));
        }
    }
}

/// The hash a word's entry is found by.
fn word_hash(word: &[u8]) -> u64 {
    FxBuildHasher.hash_one(word)
}

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// A trained model, ready to tag.
#[derive(Debug, Clone)]
pub struct Tagger {
    /// The built-in model is borrowed, not copied, at every run's start.
    model: Cow<'static, Model>,
    /// The clusters the model was trained with.
    clusters: Cow<'static, Clusters>,
    /// Which tagger this is, for the thread's word cache: a number no other tagger made
    /// in this run has, where the model's address could be a dropped one's.
    id: u64,
    /// Whether the model has document features: without them a document is tagged
    /// sentence by sentence, at no extra cost.
    documents: bool,
}

/// Whether `model` learnt document features (`ner train --document-features`).
fn has_document_features(model: &Model) -> bool {
    document_keys(0b01_0101).any(|key| model.weights(key).is_some())
}

/// The number of the next tagger made from a model ([`Tagger::id`]); the built-in one
/// is 0.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A number no tagger made before has.
fn new_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

impl Tagger {
    /// A tagger with `model`, trained with the built-in clusters.
    pub fn new(model: Model) -> Tagger {
        Tagger {
            documents: has_document_features(&model),
            model: Cow::Owned(model),
            clusters: Cow::Borrowed(Clusters::builtin()),
            id: new_id(),
        }
    }

    /// A tagger with `model`, trained with `clusters`.
    pub fn with_clusters(model: Model, clusters: Clusters) -> Tagger {
        Tagger {
            documents: has_document_features(&model),
            model: Cow::Owned(model),
            clusters: Cow::Owned(clusters),
            id: new_id(),
        }
    }

    /// The model compiled into the binary (`models/ner.model`, made by `actorgraph ner
    /// train`).
    pub fn builtin() -> Tagger {
        Tagger {
            model: Cow::Borrowed(Model::builtin()),
            clusters: Cow::Borrowed(Clusters::builtin()),
            id: 0,
            documents: has_document_features(Model::builtin()),
        }
    }

    /// The best labels for one sentence's tokens, read alone: without what the rest of
    /// its document says ([`Tagger::tag_document`]).
    pub fn tag(&self, tokens: &[Token<'_>]) -> Vec<Label> {
        if tokens.is_empty() {
            return Vec::new();
        }
        self.with_emissions(tokens, |cache| self.model.viterbi(&cache.emissions))
    }

    /// The best labels for each sentence of a document (an article's text), in two
    /// passes: the second adds, at each word, the labels the first gave its stem
    /// elsewhere in the document, so that «ليفني» alone is read as the person «تسيبي
    /// ليفني» named before. A sentence none of whose words the first pass labelled
    /// elsewhere keeps its first labels.
    pub fn tag_document(&self, sentences: &[Vec<Token<'_>>]) -> Vec<Vec<Label>> {
        if !self.documents {
            return sentences.iter().map(|tokens| self.tag(tokens)).collect();
        }
        let mut stems = Vec::with_capacity(sentences.len());
        let mut emissions = Vec::with_capacity(sentences.len());
        let mut labels = Vec::with_capacity(sentences.len());
        for tokens in sentences {
            if tokens.is_empty() {
                stems.push(Vec::new());
                emissions.push(Vec::new());
                labels.push(Vec::new());
                continue;
            }
            self.with_emissions(tokens, |cache| {
                labels.push(self.model.viterbi(&cache.emissions));
                stems.push(cache.stems.clone());
                emissions.push(cache.emissions.clone());
            });
        }
        if labels.iter().flatten().all(|&l| l == Label::O) {
            return labels;
        }
        let stem_slices: Vec<&[u64]> = stems.iter().map(Vec::as_slice).collect();
        let label_slices: Vec<&[Label]> = labels.iter().map(Vec::as_slice).collect();
        let bits = document_bits(&stem_slices, &label_slices);
        for ((bits, emissions), labels) in bits.iter().zip(&mut emissions).zip(&mut labels) {
            let mut changed = false;
            for (&bits, emission) in bits.iter().zip(emissions.iter_mut()) {
                for key in document_keys(bits) {
                    if let Some(weights) = self.model.weights(key) {
                        for (e, w) in emission.iter_mut().zip(weights) {
                            *e += w;
                        }
                        changed = true;
                    }
                }
            }
            if changed {
                *labels = self.model.viterbi(emissions);
            }
        }
        labels
    }

    /// Runs `then` on the thread's cache once it holds `tokens`' stems' hashes and
    /// their scores from the words around them and the hints (`tokens` not empty).
    fn with_emissions<T>(&self, tokens: &[Token<'_>], then: impl FnOnce(&WordCache) -> T) -> T {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let key = self.id + 1;
            if cache.owner != key || cache.entries.len() > CACHE_WORDS {
                cache.owner = key;
                // Room for a full cache at once: grown by doubling, its moves and copies
                // cost several percent of tagging. Pages no entry fills are never touched.
                // The index is made as large as it would grow to hold a full cache, not
                // twice that, so that more of it stays in the core's cache.
                cache.entries.clear();
                cache.entries.reserve(CACHE_WORDS);
                cache.index = HashTable::with_capacity(INDEX_WORDS);
            }
            let WordCache {
                index,
                entries,
                at,
                stems,
                emissions,
                ..
            } = &mut *cache;
            places(index, entries, at, tokens, |word| self.word_entry(word));
            stems.clear();
            stems.extend(at.iter().map(|&i| entries[i as usize].stem));
            emissions.clear();
            emissions
                .extend((0..tokens.len()).map(|i| self.emission(tokens, entries, at, stems, i)));
            then(&cache)
        })
    }

    /// The scores of `word`'s features at each offset, and its stem's hash.
    fn word_entry(&self, word: &str) -> WordEntry {
        let mut scores = [[0.0; LABELS]; OFFSETS.len()];
        let features = word_features(word, &self.clusters);
        for (o, &offset) in OFFSETS.iter().enumerate() {
            for feature in features.iter().filter(|f| f.reaches(offset)) {
                if let Some(weights) = self.model.weights(feature.hash(offset)) {
                    for (score, weight) in scores[o].iter_mut().zip(weights) {
                        *score += weight;
                    }
                }
            }
        }
        WordEntry {
            word: Spelling::new(word),
            scores,
            stem: stem_hash(stem(word)),
        }
    }

    /// Token `i`'s score for each label, from the words around it (`at`, their places in
    /// `entries`, and `stems`, their stems' hashes) and the hints.
    fn emission(
        &self,
        tokens: &[Token<'_>],
        entries: &[WordEntry],
        at: &[u32],
        stems: &[u64],
        i: usize,
    ) -> [f32; LABELS] {
        let word = |j: usize| &entries[at[j] as usize];
        let mut emission = [0.0; LABELS];
        for key in pair_keys(stems, i) {
            if let Some(weights) = self.model.weights(key) {
                for (e, w) in emission.iter_mut().zip(weights) {
                    *e += w;
                }
            }
        }
        for (o, &offset) in OFFSETS.iter().enumerate() {
            let Some(j) = i.checked_add_signed(offset).filter(|&j| j < tokens.len()) else {
                continue;
            };
            for (e, s) in emission.iter_mut().zip(&word(j).scores[o]) {
                *e += s;
            }
        }
        self.model.add_hints(&mut emission, tokens, i);
        emission
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(word: &str) -> Token<'_> {
        Token {
            word,
            hints: Hints::default(),
        }
    }

    /// An entry for `word`, without scores.
    fn entry(word: &str) -> WordEntry {
        WordEntry {
            word: Spelling::new(word),
            scores: [[0.0; LABELS]; OFFSETS.len()],
            stem: 0,
        }
    }

    #[test]
    fn each_word_finds_its_own_entry_even_when_hashes_meet() {
        let (mut index, mut entries, mut at) = (HashTable::new(), Vec::new(), Vec::new());
        // "And with their strategies": 34 bytes, longer than a spelling keeps inline.
        let long = "وبالاستراتيجياتهم";
        assert!(long.len() > INLINE_BYTES);
        // Al-Sarraj, Tripoli, al-Sarraj.
        let sentence = [
            token("السراج"),
            token("طرابلس"),
            token("السراج"),
            token(long),
        ];
        places(&mut index, &mut entries, &mut at, &sentence, entry);
        assert_eq!(at, [0, 1, 0, 2]);
        assert_eq!(entries.len(), 3);
        // «حفتر» (Haftar) seen first through a place whose hash check matches it but
        // that holds «السراج»'s entry, as two words whose hashes meet would: the entry
        // is checked against the word, and «حفتر» gets an entry of its own.
        let haftar = word_hash("حفتر".as_bytes());
        index.insert_unique(
            haftar,
            Place {
                at: 0,
                check: check_of(haftar),
            },
            |place| word_hash(entries[place.at as usize].word.as_bytes()),
        );
        places(
            &mut index,
            &mut entries,
            &mut at,
            &[token("حفتر"), token("السراج")],
            entry,
        );
        assert_eq!(at, [3, 0]);
        assert_eq!(entries[3].word.as_bytes(), "حفتر".as_bytes());
        places(
            &mut index,
            &mut entries,
            &mut at,
            &[token("حفتر"), token(long)],
            entry,
        );
        assert_eq!(at, [3, 2], "found again, not made twice");
        assert_eq!(entries.len(), 4);
    }

    fn tokens(sentence: &str) -> Vec<Token<'_>> {
        sentence.split(' ').map(token).collect()
    }

    #[test]
    fn a_model_without_document_features_reads_a_document_sentence_by_sentence() {
        let tagger = Tagger::builtin();
        // "The Israeli foreign minister Tzipi Livni said the negotiations go on", then
        // "Livni added that the government will not back down".
        let document = [
            tokens("وقالت وزيرة الخارجية الاسرائيلية تسيبي ليفني ان المفاوضات مستمرة"),
            tokens("واضافت ليفني ان الحكومة لن تتراجع"),
        ];
        let alone: Vec<Vec<Label>> = document.iter().map(|s| tagger.tag(s)).collect();
        assert_eq!(alone[0][4..6], [Label::BPer, Label::IPer]);
        assert_eq!(tagger.tag_document(&document), alone);
        assert_eq!(tagger.tag_document(&[]), Vec::<Vec<Label>>::new());
    }
}
