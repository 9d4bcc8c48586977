//! Training: the averaged structured perceptron (Collins 2002). Deterministic: the
//! sentences are visited in an order drawn from the seed, and every sum is taken in the
//! same order, so one command gives the same model bytes every time.

use rustc_hash::FxHashMap;

use super::clusters::Clusters;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::features::{
    DocumentBits, OFFSETS, document_bits, document_keys, pair_keys, stem_hash, word_features,
};
use super::model::{HINT_OFFSETS, SCALE};
use super::{Hints, LABELS, Label, Model, Token};
use crate::text::arabic::stem;

/// One training sentence: its folded words, their hints and their gold labels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainSentence {
    /// The folded words.
    pub words: Vec<String>,
    /// The gazetteers' hits on each word.
    pub hints: Vec<Hints>,
    /// The gold label of each word.
    pub labels: Vec<Label>,
    /// Which document the sentence is part of: consecutive sentences with the same
    /// number are one, whose words' labels the document features read.
    pub document: usize,
}

/// How to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainOptions {
    /// Passes over the training sentences.
    pub epochs: usize,
    /// The seed of the order the sentences are visited in.
    pub seed: u64,
    /// Features whose weights all stay below this (in units of 1/256) are left out of
    /// the model: on held-out news, leaving out all below 3.0 kept F1 and made the
    /// model a sixth of its size.
    pub prune_below: i16,
    /// Whether the model learns the document features: what a first pass said of the
    /// same stem elsewhere in the document ([`super::Tagger::tag_document`]).
    pub documents: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 8,
            seed: 2018,
            prune_below: 768,
            documents: false,
        }
    }
}

/// What training did.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainReport {
    /// Sentences and words trained on.
    pub sentences: usize,
    /// Words trained on.
    pub words: usize,
    /// Per epoch, the share of words the model got wrong before its updates.
    pub errors: Vec<f64>,
    /// Features kept in the model.
    pub features: usize,
}

/// A weight and what averaging needs of it: the sum of each update times the step it
/// came at, so that the average is `value - stepped / steps`.
#[derive(Debug, Clone, Copy, Default)]
struct Averaged {
    value: f32,
    stepped: f64,
}

impl Averaged {
    fn add(&mut self, delta: f32, step: u64) {
        self.value += delta;
        self.stepped += f64::from(delta) * step as f64;
    }

    fn average(&self, steps: u64) -> f32 {
        (f64::from(self.value) - self.stepped / steps as f64) as f32
    }
}

/// The weights while they are learnt.
struct Learning {
    features: FxHashMap<u64, [Averaged; LABELS]>,
    hints: Vec<[Averaged; LABELS]>,
    transitions: [[Averaged; LABELS]; LABELS + 1],
}

/// The feature keys of each word of `words` at each position they reach from.
fn keys_at(words: &[String], clusters: &Clusters) -> Vec<Vec<u64>> {
    let features: Vec<_> = words.iter().map(|w| word_features(w, clusters)).collect();
    let stems: Vec<u64> = words.iter().map(|w| stem_hash(stem(w))).collect();
    (0..words.len())
        .map(|i| {
            let mut keys = Vec::new();
            for &offset in &OFFSETS {
                let Some(j) = i.checked_add_signed(offset).filter(|&j| j < words.len()) else {
                    continue;
                };
                keys.extend(
                    features[j]
                        .iter()
                        .filter(|f| f.reaches(offset))
                        .map(|f| f.hash(offset)),
                );
            }
            keys.extend(pair_keys(&stems, i));
            keys
        })
        .collect()
}

/// The hint rows (offset, bit) that count for each word.
fn hint_rows(hints: &[Hints]) -> Vec<Vec<usize>> {
    (0..hints.len())
        .map(|i| {
            let mut rows = Vec::new();
            for (o, &offset) in HINT_OFFSETS.iter().enumerate() {
                let Some(h) = i.checked_add_signed(offset).and_then(|j| hints.get(j)) else {
                    continue;
                };
                for bit in 0..Hints::BITS {
                    if h.0 >> bit & 1 == 1 {
                        rows.push(o * Hints::BITS + bit);
                    }
                }
            }
            rows
        })
        .collect()
}

/// A small deterministic generator for the visiting order (xorshift64*).
struct Order(u64);

impl Order {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below as u64) as usize
    }
}

/// A sentence's feature keys and hint rows, word by word, computed once for all epochs.
type Prepared = (Vec<Vec<u64>>, Vec<Vec<usize>>);

/// Trains a model on `sentences`, reading `clusters` beside each word (the tagger must
/// read the same ones).
pub fn train(
    sentences: &[TrainSentence],
    clusters: &Clusters,
    options: &TrainOptions,
) -> (Model, TrainReport) {
    let mut prepared: Vec<Prepared> = sentences
        .iter()
        .map(|s| (keys_at(&s.words, clusters), hint_rows(&s.hints)))
        .collect();
    if options.documents {
        let bits = first_pass_bits(sentences, clusters, options);
        for ((keys, _), bits) in prepared.iter_mut().zip(bits) {
            for (keys, bits) in keys.iter_mut().zip(bits) {
                keys.extend(document_keys(bits));
            }
        }
    }
    let mut learning = Learning {
        features: FxHashMap::default(),
        hints: vec![[Averaged::default(); LABELS]; HINT_OFFSETS.len() * Hints::BITS],
        transitions: [[Averaged::default(); LABELS]; LABELS + 1],
    };
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut rng = Order(options.seed | 1);
    let mut step = 1u64;
    let mut errors = Vec::new();
    let words: usize = sentences.iter().map(|s| s.words.len()).sum();
    for _ in 0..options.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.next(i + 1));
        }
        let mut wrong = 0usize;
        for &index in &order {
            let sentence = &sentences[index];
            let (keys, rows) = &prepared[index];
            let predicted = predict(&learning, keys, rows);
            if predicted != sentence.labels {
                wrong += predicted
                    .iter()
                    .zip(&sentence.labels)
                    .filter(|(p, g)| p != g)
                    .count();
                update(&mut learning, keys, rows, &sentence.labels, 1.0, step);
                update(&mut learning, keys, rows, &predicted, -1.0, step);
            }
            step += 1;
        }
        errors.push(wrong as f64 / words.max(1) as f64);
    }
    let threshold = f32::from(options.prune_below) / SCALE;
    let mut features: Vec<(u64, [f32; LABELS])> = learning
        .features
        .iter()
        .map(|(&k, w)| (k, w.map(|a| a.average(step))))
        .filter(|(_, w)| w.iter().any(|x| x.abs() >= threshold))
        .collect();
    features.sort_unstable_by_key(|&(k, _)| k);
    let report = TrainReport {
        sentences: sentences.len(),
        words,
        errors,
        features: features.len(),
    };
    let model = Model::from_parts(
        features,
        learning
            .hints
            .iter()
            .map(|w| w.map(|a| a.average(step)))
            .collect(),
        learning.transitions.map(|row| row.map(|a| a.average(step))),
    );
    (model, report)
}

/// How many parts the training data is cut into for the first pass's labels.
const FOLDS: u64 = 4;

/// The ranges of consecutive sentences that are one document.
fn documents(sentences: &[TrainSentence]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for i in 1..=sentences.len() {
        if i == sentences.len() || sentences[i].document != sentences[start].document {
            ranges.push(start..i);
            start = i;
        }
    }
    ranges
}

/// For each word of `sentences`, the labels a first pass gave its stem elsewhere in its
/// document, as the tagger's first pass would on news it never saw: the first pass over
/// each document is a model without document features trained on the other parts of the
/// data (jackknifing), so that the model learns how far such labels are to be trusted.
/// A document's part follows from its first sentence's words, so that a file given
/// twice puts each of its documents in the same part both times.
fn first_pass_bits(
    sentences: &[TrainSentence],
    clusters: &Clusters,
    options: &TrainOptions,
) -> Vec<Vec<DocumentBits>> {
    let documents = documents(sentences);
    let fold_of = |range: &std::ops::Range<usize>| {
        let mut hasher = rustc_hash::FxHasher::default();
        sentences[range.start].words.hash(&mut hasher);
        hasher.finish() % FOLDS
    };
    let folds: Vec<u64> = documents.iter().map(fold_of).collect();
    let first = TrainOptions {
        documents: false,
        ..*options
    };
    let models: Vec<super::Tagger> = (0..FOLDS)
        .into_par_iter()
        .map(|fold| {
            let rest: Vec<TrainSentence> = documents
                .iter()
                .zip(&folds)
                .filter(|&(_, &f)| f != fold)
                .flat_map(|(range, _)| sentences[range.clone()].iter().cloned())
                .collect();
            super::Tagger::with_clusters(train(&rest, clusters, &first).0, clusters.clone())
        })
        .collect();
    // Fold by fold, so that the thread's word cache serves one model at a time.
    let mut labels: Vec<Vec<Label>> = vec![Vec::new(); sentences.len()];
    for (fold, tagger) in (0..FOLDS).zip(&models) {
        for (range, _) in documents.iter().zip(&folds).filter(|&(_, &f)| f == fold) {
            for i in range.clone() {
                labels[i] = tag_sentence(tagger, &sentences[i]);
            }
        }
    }
    let stems: Vec<Vec<u64>> = sentences
        .iter()
        .map(|s| s.words.iter().map(|w| stem_hash(stem(w))).collect())
        .collect();
    let mut bits = Vec::with_capacity(sentences.len());
    for range in &documents {
        let stem_slices: Vec<&[u64]> = stems[range.clone()].iter().map(Vec::as_slice).collect();
        let label_slices: Vec<&[Label]> = labels[range.clone()].iter().map(Vec::as_slice).collect();
        bits.extend(document_bits(&stem_slices, &label_slices));
    }
    bits
}

/// The labels the current weights give a sentence.
fn predict(learning: &Learning, keys: &[Vec<u64>], rows: &[Vec<usize>]) -> Vec<Label> {
    let emissions: Vec<[f32; LABELS]> = keys
        .iter()
        .zip(rows)
        .map(|(keys, rows)| {
            let mut e = [0f32; LABELS];
            for key in keys {
                if let Some(w) = learning.features.get(key) {
                    for (x, a) in e.iter_mut().zip(w) {
                        *x += a.value;
                    }
                }
            }
            for &row in rows {
                for (x, a) in e.iter_mut().zip(&learning.hints[row]) {
                    *x += a.value;
                }
            }
            e
        })
        .collect();
    viterbi_with(
        &learning.transitions.map(|row| row.map(|a| a.value)),
        &emissions,
    )
}

/// Viterbi with the transitions as they are being learnt.
fn viterbi_with(
    transitions: &[[f32; LABELS]; LABELS + 1],
    emissions: &[[f32; LABELS]],
) -> Vec<Label> {
    Model::from_parts(Vec::new(), Vec::new(), *transitions).viterbi(emissions)
}

/// Moves the weights of `labels`' features by `delta`.
fn update(
    learning: &mut Learning,
    keys: &[Vec<u64>],
    rows: &[Vec<usize>],
    labels: &[Label],
    delta: f32,
    step: u64,
) {
    for ((keys, rows), label) in keys.iter().zip(rows).zip(labels) {
        let l = label.index();
        for key in keys {
            learning.features.entry(*key).or_default()[l].add(delta, step);
        }
        for &row in rows {
            learning.hints[row][l].add(delta, step);
        }
    }
    let mut previous = LABELS;
    for label in labels {
        learning.transitions[previous][label.index()].add(delta, step);
        previous = label.index();
    }
}

/// Tags a training sentence with `model`, for scoring held-out data.
pub(crate) fn tag_sentence(tagger: &super::Tagger, sentence: &TrainSentence) -> Vec<Label> {
    let tokens: Vec<Token<'_>> = sentence
        .words
        .iter()
        .zip(&sentence.hints)
        .map(|(word, &hints)| Token { word, hints })
        .collect();
    tagger.tag(&tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(words: &[(&str, Label)]) -> TrainSentence {
        TrainSentence {
            words: words.iter().map(|(w, _)| w.to_string()).collect(),
            hints: vec![Hints::default(); words.len()],
            labels: words.iter().map(|(_, l)| *l).collect(),
            document: 0,
        }
    }

    /// A few sentences are learnt exactly, and the same data and seed give the same bytes.
    #[test]
    fn training_learns_and_is_deterministic() {
        use Label::*;
        let data = vec![
            sentence(&[("استقبل", O), ("الرئيس", O), ("زيد", BPer), ("عمرو", IPer)]),
            sentence(&[("زار", O), ("زيد", BPer), ("عمرو", IPer), ("طرابلس", BLoc)]),
            sentence(&[
                ("في", O),
                ("طرابلس", BLoc),
                ("اجتمع", O),
                ("حزب", BOrg),
                ("الامه", IOrg),
            ]),
        ];
        let options = TrainOptions {
            epochs: 10,
            prune_below: 0,
            ..TrainOptions::default()
        };
        let clusters = Clusters::default();
        let (model, report) = train(&data, &clusters, &options);
        assert_eq!(report.words, 13);
        assert_eq!(*report.errors.last().unwrap(), 0.0);
        let tagger = super::super::Tagger::new(model.clone());
        for s in &data {
            assert_eq!(tag_sentence(&tagger, s), s.labels);
        }
        let (again, _) = train(&data, &clusters, &options);
        assert_eq!(again.to_bytes(), model.to_bytes());
        let documents = TrainOptions {
            documents: true,
            ..options
        };
        let (with, _) = train(&data, &clusters, &documents);
        let (again, _) = train(&data, &clusters, &documents);
        assert_eq!(with.to_bytes(), again.to_bytes());
    }
}
