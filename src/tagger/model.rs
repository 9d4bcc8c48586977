//! The tagger's weights, their file format, and Viterbi decoding.
//!
//! The file is little-endian: the magic `AGNER\0\x01\0`, the count of feature keys, the
//! table's capacity (a power of two), then the table's keys (u64, 0 for an empty slot)
//! and each slot's weights (seven i16, scaled by [`SCALE`]), then the hint weights and
//! the transitions (f32). The table is read as it lies: linear probing from the key's
//! low bits, so that loading is a copy and nothing is rebuilt at start-up.

use std::sync::OnceLock;

use super::{Hints, LABELS, Label, Token};

/// The start of every model file, with its version.
const MAGIC: &[u8; 8] = b"AGNER\0\x01\0";

/// Weights are kept as i16 in units of 1/SCALE: far finer than the differences that
/// decide a label, at a quarter of the size.
pub(crate) const SCALE: f32 = 256.0;

/// The offsets at which a token's neighbours' hints are read.
pub(crate) const HINT_OFFSETS: [isize; 3] = [-1, 0, 1];

/// The model compiled into the binary.
static BUILTIN: &[u8] = include_bytes!("../../models/ner.model");

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file does not start as a model does.
    #[error("not an actorgraph name-tagger model (it does not start with the model's magic bytes)")]
    Magic,
    /// The file ends before the part it needs.
    #[error("truncated model: {what} needs {needed} bytes at byte {at}, the file has {len}")]
    Truncated {
        /// The part being read.
        what: &'static str,
        /// Where it starts.
        at: usize,
        /// How many bytes it needs.
        needed: usize,
        /// The file's length.
        len: usize,
    },
    /// The header's counts make no sense.
    #[error("corrupt model: {0}")]
    Corrupt(String),
}

/// Weights of a trained tagger.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Open-addressing table of feature keys as the file holds it; 0 is an empty slot.
    keys: Vec<u64>,
    /// Each slot's weights, in units of 1/[`SCALE`].
    weights: Vec<[i16; LABELS]>,
    /// The same keys and weights as [`Model::weights`] reads them.
    lookup: Lookup,
    /// Weights of each hint bit at each of [`HINT_OFFSETS`].
    hints: Vec<[f32; LABELS]>,
    /// `transitions[previous][label]`; the last row is the start of a sentence.
    transitions: [[f32; LABELS]; LABELS + 1],
}

impl Model {
    /// The model compiled into the binary.
    pub fn builtin() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::from_bytes(BUILTIN).expect("the built-in model is valid"))
    }

    /// A model from its parts, the feature weights as (key, weights) pairs.
    pub(crate) fn from_parts(
        features: Vec<(u64, [f32; LABELS])>,
        hints: Vec<[f32; LABELS]>,
        transitions: [[f32; LABELS]; LABELS + 1],
    ) -> Model {
        let capacity = (features.len() * 5 / 4).next_power_of_two().max(16);
        let mut keys = vec![0u64; capacity];
        let mut weights = vec![[0i16; LABELS]; capacity];
        for (key, w) in features {
            let key = key.max(1);
            let mut slot = key as usize & (capacity - 1);
            while keys[slot] != 0 {
                slot = (slot + 1) & (capacity - 1);
            }
            keys[slot] = key;
            weights[slot] = w.map(|x| (x * SCALE).round().clamp(-32767.0, 32767.0) as i16);
        }
        Model {
            lookup: Lookup::new(&keys, &weights),
            keys,
            weights,
            hints,
            transitions,
        }
    }

    /// How many feature keys carry weights.
    pub fn features(&self) -> usize {
        self.keys.iter().filter(|&&k| k != 0).count()
    }

    /// The weights of the feature `key`, if it has any.
    pub(crate) fn weights(&self, key: u64) -> Option<[f32; LABELS]> {
        self.lookup
            .get(key.max(1))
            .map(|weights| weights.map(|w| f32::from(w) / SCALE))
    }

    /// Adds the weights of the hints around token `i` to its emission.
    pub(crate) fn add_hints(&self, emission: &mut [f32; LABELS], tokens: &[Token<'_>], i: usize) {
        for (o, &offset) in HINT_OFFSETS.iter().enumerate() {
            let Some(token) = i.checked_add_signed(offset).and_then(|j| tokens.get(j)) else {
                continue;
            };
            let mut bits = token.hints.0;
            while bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for (e, w) in emission.iter_mut().zip(&self.hints[o * Hints::BITS + bit]) {
                    *e += w;
                }
            }
        }
    }

    /// The best label sequence for these emission scores, with a name's later word only
    /// after a word of the same name (the transitions that break it are left out).
    pub(crate) fn viterbi(&self, emissions: &[[f32; LABELS]]) -> Vec<Label> {
        let n = emissions.len();
        if n == 0 {
            return Vec::new();
        }
        let allowed = self.allowed_transitions();
        let mut score = [0f32; LABELS];
        for l in 0..LABELS {
            score[l] = allowed[LABELS][l] + emissions[0][l];
        }
        let mut back = vec![[0u8; LABELS]; n];
        for i in 1..n {
            let mut next = [0f32; LABELS];
            for l in 0..LABELS {
                let mut best = score[0] + allowed[0][l];
                let mut from = 0u8;
                for p in 1..LABELS {
                    let s = score[p] + allowed[p][l];
                    if s > best {
                        best = s;
                        from = p as u8;
                    }
                }
                next[l] = best + emissions[i][l];
                back[i][l] = from;
            }
            score = next;
        }
        let mut last = 0;
        for l in 1..LABELS {
            if score[l] > score[last] {
                last = l;
            }
        }
        let mut labels = vec![Label::O; n];
        for i in (0..n).rev() {
            labels[i] = Label::ALL[last];
            last = usize::from(back[i][last]);
        }
        labels
    }

    /// The transitions with the ones a name's later word may not take set to minus
    /// infinity, so that decoding needs no test of its own.
    fn allowed_transitions(&self) -> [[f32; LABELS]; LABELS + 1] {
        let mut allowed = self.transitions;
        for (p, row) in allowed.iter_mut().enumerate() {
            let previous = Label::ALL.get(p).copied();
            for label in Label::ALL {
                if !label.may_follow(previous) {
                    row[label.index()] = f32::NEG_INFINITY;
                }
            }
        }
        allowed
    }

    /// The model as a file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.keys.len() * (8 + 2 * LABELS));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.features() as u64).to_le_bytes());
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        for key in &self.keys {
            out.extend_from_slice(&key.to_le_bytes());
        }
        for weights in &self.weights {
            for w in weights {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        for row in self.hints.iter().chain(&self.transitions) {
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model file, checking every count against the bytes there are.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut file = Cursor { bytes, at: 0 };
        if file
            .take("the magic", MAGIC.len())
            .map_err(|_| ModelError::Magic)?
            != MAGIC
        {
            return Err(ModelError::Magic);
        }
        let count = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("eight bytes"));
        let features = count(file.take("the feature count", 8)?);
        let capacity = count(file.take("the table's capacity", 8)?);
        if !capacity.is_power_of_two() || features > capacity || capacity > 1 << 28 {
            return Err(ModelError::Corrupt(format!(
                "a table of {capacity} slots for {features} features"
            )));
        }
        let capacity = capacity as usize;
        let keys: Vec<u64> = file
            .take("the feature keys", capacity * 8)?
            .chunks_exact(8)
            .map(count)
            .collect();
        if keys.iter().filter(|&&k| k != 0).count() as u64 != features {
            return Err(ModelError::Corrupt(
                "the table holds a different count of features than its header".into(),
            ));
        }
        let weights: Vec<[i16; LABELS]> = file
            .take("the feature weights", capacity * LABELS * 2)?
            .chunks_exact(LABELS * 2)
            .map(|row| {
                let mut w = [0i16; LABELS];
                for (x, b) in w.iter_mut().zip(row.chunks_exact(2)) {
                    *x = i16::from_le_bytes([b[0], b[1]]);
                }
                w
            })
            .collect();
        let hints = file.floats("the hint weights", HINT_OFFSETS.len() * Hints::BITS)?;
        let rows = file.floats("the transitions", LABELS + 1)?;
        let mut transitions = [[0f32; LABELS]; LABELS + 1];
        transitions.copy_from_slice(&rows);
        if file.at != bytes.len() {
            return Err(ModelError::Corrupt(format!(
                "{} bytes after the end of the model",
                bytes.len() - file.at
            )));
        }
        Ok(Model {
            lookup: Lookup::new(&keys, &weights),
            keys,
            weights,
            hints,
            transitions,
        })
    }
}

/// One slot of [`Lookup`]: a key beside its weights, aligned so that two slots fill a
/// cache line and none straddles two.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(C, align(32))]
struct Slot {
    /// The feature's key; 0 is an empty slot.
    key: u64,
    /// Its weights, in units of 1/[`SCALE`].
    weights: [i16; LABELS],
}

/// The feature weights as tagging reads them, rebuilt from the file's table when a model
/// is made. Tagging looks up some thirty keys for each new word and two for each token,
/// and two in three are absent (a word's features at most offsets carry no weight). In
/// the file's table, filled to three quarters, an absent key walks about ten slots, and
/// a present one costs a cache miss for its key and another for its weights. Here a
/// small filter, which stays in the core's cache, turns nearly every absent key away
/// before the table is read; the table is at most half full, and a key and its weights
/// share a cache line. It holds the same keys with the same weights, so every lookup
/// answers as the file's table would.
#[derive(Debug, Clone, PartialEq)]
struct Lookup {
    /// A blocked Bloom filter: each key sets two bits of the one word its high bits
    /// pick, so that a key none set is absent, for the price of one read.
    filter: Vec<u64>,
    /// Open-addressing table, linear probing from the key's low bits.
    slots: Vec<Slot>,
}

impl Lookup {
    /// The table of the file's `keys` (0 for an empty slot) and their `weights`.
    fn new(keys: &[u64], weights: &[[i16; LABELS]]) -> Lookup {
        let count = keys.iter().filter(|&&k| k != 0).count();
        let capacity = (count * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); capacity];
        // About twenty bits a key: one absent key in a hundred gets past.
        let mut filter = vec![0u64; (count / 3).next_power_of_two()];
        for (&key, &weights) in keys.iter().zip(weights).filter(|(k, _)| **k != 0) {
            let (word, bits) = Lookup::filter_bits(key, filter.len());
            filter[word] |= bits;
            let mut slot = key as usize & (capacity - 1);
            while slots[slot].key != 0 && slots[slot].key != key {
                slot = (slot + 1) & (capacity - 1);
            }
            // A key a hand-made file holds twice keeps its first copy.
            if slots[slot].key == 0 {
                slots[slot] = Slot { key, weights };
            }
        }
        Lookup { filter, slots }
    }

    /// The filter's word for `key` in a filter of `words` words (a power of two), and
    /// the two bits the key sets in it: from bits of the key that the table's slot,
    /// which its low bits pick, does not use.
    fn filter_bits(key: u64, words: usize) -> (usize, u64) {
        let word = (key >> 32) as usize & (words - 1);
        let bits = 1 << ((key >> 20) & 63) | 1 << ((key >> 26) & 63);
        (word, bits)
    }

    /// The weights of `key` (never 0), if it has any.
    fn get(&self, key: u64) -> Option<[i16; LABELS]> {
        let (word, bits) = Lookup::filter_bits(key, self.filter.len());
        if self.filter[word] & bits != bits {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut slot = key as usize & mask;
        loop {
            let Slot { key: k, weights } = self.slots[slot];
            if k == key {
                return Some(weights);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// A model file being read, front to back.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// The next `needed` bytes, which hold `what`.
    fn take(&mut self, what: &'static str, needed: usize) -> Result<&'a [u8], ModelError> {
        let piece = self
            .bytes
            .get(self.at..self.at.saturating_add(needed))
            .ok_or(ModelError::Truncated {
                what,
                at: self.at,
                needed,
                len: self.bytes.len(),
            })?;
        self.at += needed;
        Ok(piece)
    }

    /// The next `rows` rows of f32 weights.
    fn floats(
        &mut self,
        what: &'static str,
        rows: usize,
    ) -> Result<Vec<[f32; LABELS]>, ModelError> {
        Ok(self
            .take(what, rows * LABELS * 4)?
            .chunks_exact(LABELS * 4)
            .map(|row| {
                let mut w = [0f32; LABELS];
                for (x, b) in w.iter_mut().zip(row.chunks_exact(4)) {
                    *x = f32::from_le_bytes(b.try_into().expect("four bytes"));
                }
                w
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Model {
        let mut transitions = [[0.0; LABELS]; LABELS + 1];
        transitions[Label::BPer.index()][Label::IPer.index()] = 1.5;
        Model::from_parts(
            vec![
                (7, [1.0, -2.0, 0.5, 0.0, 0.0, 0.0, 0.25]),
                (7 + 64, [0.0; LABELS]),
            ],
            vec![[0.125; LABELS]; HINT_OFFSETS.len() * Hints::BITS],
            transitions,
        )
    }

    #[test]
    fn a_model_reads_back_what_it_wrote() {
        let model = small();
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).unwrap(), model);
        assert_eq!(model.weights(7).unwrap()[1], -2.0);
        assert_eq!(model.weights(8), None);
        assert_eq!(model.features(), 2);
    }

    /// Every way a file can be cut or bent is an error that says what, never a panic.
    #[test]
    fn a_broken_model_file_is_an_error() {
        let bytes = small().to_bytes();
        for len in 0..bytes.len() {
            let err = Model::from_bytes(&bytes[..len]).unwrap_err().to_string();
            assert!(
                err.contains("truncated") || err.contains("magic"),
                "{len} bytes: {err}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(
            Model::from_bytes(&longer)
                .unwrap_err()
                .to_string()
                .contains("after the end")
        );
        let mut bent = bytes.clone();
        bent[16] = 3;
        assert!(
            Model::from_bytes(&bent)
                .unwrap_err()
                .to_string()
                .contains("corrupt")
        );
        assert!(matches!(
            Model::from_bytes(b"{\"id\": 1}\n"),
            Err(ModelError::Magic)
        ));
    }

    #[test]
    fn viterbi_never_starts_a_name_inside() {
        let model = small();
        // The inside label scores best alone, but may not open a sentence or follow O.
        let emissions = [[0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0]; 2];
        let labels = model.viterbi(&emissions);
        assert!(labels.iter().all(|&l| l != Label::IPer) || labels[0] == Label::BPer);
        assert_eq!(model.viterbi(&[]), Vec::<Label>::new());
    }

    /// The lookup table answers every key as the file's table does: each key's own
    /// weights, and none for a key the model lacks, past the filter and the probing.
    #[test]
    fn lookups_answer_as_the_file_does() {
        let key = |i: u64| (i ^ (i >> 7)).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let features: Vec<(u64, [f32; LABELS])> = (0..5000u64)
            .map(|i| (key(i), [(i % 97) as f32 / SCALE; LABELS]))
            .collect();
        let hints = vec![[0.0; LABELS]; HINT_OFFSETS.len() * Hints::BITS];
        let model = Model::from_parts(features.clone(), hints, [[0.0; LABELS]; LABELS + 1]);
        let read = Model::from_bytes(&model.to_bytes()).unwrap();
        for (k, weights) in &features {
            assert_eq!(model.weights(*k), Some(*weights));
            assert_eq!(read.weights(*k), Some(*weights));
        }
        let absent = (5000..25000u64)
            .filter(|&i| read.weights(key(i)).is_some())
            .count();
        assert_eq!(absent, 0, "keys the model lacks have no weights");
    }

    #[test]
    fn the_builtin_model_loads() {
        assert!(Model::builtin().features() > 1000);
    }
}
