//! The tagger's features: what a word says about the token it stands at an offset from.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::clusters::Clusters;
use super::{LABELS, Label};
use crate::text::arabic::stem;

/// The offsets, from the token being tagged, at which words are read.
pub(crate) const OFFSETS: [isize; 5] = [-2, -1, 0, 1, 2];

/// What kind of fact about a word a feature is; the kind also says how far it reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
enum Template {
    /// The word itself.
    Word,
    /// The word after its proclitics.
    Stem,
    /// Its first one, two or three letters.
    Prefix(u8),
    /// Its last one, two or three letters.
    Suffix(u8),
    /// Arabic letters, Latin, digits or mixed.
    Shape,
    /// How long it is.
    Length,
    /// Always there: the label's prior.
    Bias,
    // After the first seven, so that those keep the keys of models trained before clusters.
    /// Its cluster at a level (its stem's when the word itself has none), learnt from
    /// unlabelled news: what words like it are.
    Cluster(u8),
    /// Its stem's cluster at a level, when proclitics make the word another: «وسعيد»
    /// reads as «سعيد» does.
    StemCluster(u8),
    /// The first one or two letters of a word with proclitics: «و» opens a new name
    /// after another one («الياس المر واحمد فتفت»).
    Leading(u8),
    /// The labels a first pass gave the same stem elsewhere in the document, as a set,
    /// with the label it gave the token itself.
    Document,
    /// One type of name a first pass gave the same stem elsewhere in the document.
    DocumentKind,
}

/// One feature of a word: its template and a hash of its text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Feature {
    template: Template,
    text: u64,
}

impl Feature {
    fn new(template: Template, text: &str) -> Feature {
        let mut hasher = FxHasher::default();
        text.hash(&mut hasher);
        Feature {
            template,
            text: hasher.finish(),
        }
    }

    /// Whether the feature counts for a token `offset` words away: the word and its stem
    /// at every offset, its affixes and shape next door, its length and the bias only at
    /// the token itself.
    pub(crate) fn reaches(&self, offset: isize) -> bool {
        match self.template {
            Template::Word | Template::Stem | Template::Cluster(_) | Template::StemCluster(_) => {
                true
            }
            Template::Prefix(_) | Template::Suffix(_) | Template::Leading(_) | Template::Shape => {
                offset.abs() <= 1
            }
            Template::Length | Template::Bias | Template::Document | Template::DocumentKind => {
                offset == 0
            }
        }
    }

    /// The key of the feature's weights at `offset`.
    pub(crate) fn hash(&self, offset: isize) -> u64 {
        let mut hasher = FxHasher::default();
        (self.template, offset, self.text).hash(&mut hasher);
        // FxHash's low bits are weak for small inputs: mix them, as the model's table
        // indexes by them.
        let h = hasher.finish();
        (h ^ (h >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// The hash of a word's stem, which the pair features combine.
pub(crate) fn stem_hash(stem: &str) -> u64 {
    let mut hasher = FxHasher::default();
    stem.hash(&mut hasher);
    hasher.finish()
}

/// The keys of the word pairs around token `i` of a sentence whose words' stems hash
/// to `stems` ([`stem_hash`]): (the previous stem, this one) and (this one, the next),
/// with a sentence's edge as the empty stem. The tagger's only features of two words at
/// once: «السيد X» and «X قال» tell a name better than either word alone.
pub(crate) fn pair_keys(stems: &[u64], i: usize) -> [u64; 2] {
    let edge = stem_hash("");
    let at = |j: Option<usize>| j.and_then(|j| stems.get(j)).copied().unwrap_or(edge);
    let key = |side: u64, a: u64, b: u64| {
        let h = a.rotate_left(17) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ side;
        (h ^ (h >> 29)).wrapping_mul(0xD6E8_FEB8_6659_FD93)
    };
    [
        key(0x5041_4952_4c45_4654, at(i.checked_sub(1)), stems[i]),
        key(0x5041_4952_5249_4748, stems[i], at(Some(i + 1))),
    ]
}

/// The labels a first pass gave a stem elsewhere in a document, as bits: bit `l - 1` for
/// label index `l`, outside a name never counted; when any is set, the first pass's label
/// of the token itself in the bits from 8 up. 0 when the stem has no label elsewhere.
pub(crate) type DocumentBits = u16;

/// The keys of the document features of a token whose stem the first pass labelled
/// `bits` elsewhere in its document: the set with the token's own first label, and each
/// type of name in the set. «ليفني» alone
/// after «تسيبي ليفني» reads as a person.
pub(crate) fn document_keys(bits: DocumentBits) -> impl Iterator<Item = u64> {
    let set = (bits != 0).then(|| {
        Feature {
            template: Template::Document,
            text: u64::from(bits),
        }
        .hash(0)
    });
    let kinds = (0..3u16)
        .filter(move |k| bits >> (2 * k) & 0b11 != 0)
        .map(|k| {
            Feature {
                template: Template::DocumentKind,
                text: u64::from(k),
            }
            .hash(0)
        });
    set.into_iter().chain(kinds)
}

/// For each token of a document's sentences (`stems`, their stems' hashes, and `labels`,
/// a first pass's labels, sentence by sentence), the labels the first pass gave its stem
/// at the document's other tokens.
pub(crate) fn document_bits(stems: &[&[u64]], labels: &[&[Label]]) -> Vec<Vec<DocumentBits>> {
    let mut counts: FxHashMap<u64, [u16; LABELS - 1]> = FxHashMap::default();
    for (stems, labels) in stems.iter().zip(labels) {
        for (stem, label) in stems.iter().zip(labels.iter()) {
            if *label != Label::O {
                let c = &mut counts.entry(*stem).or_default()[label.index() - 1];
                *c = c.saturating_add(1);
            }
        }
    }
    stems
        .iter()
        .zip(labels)
        .map(|(stems, labels)| {
            if counts.is_empty() {
                return vec![0; stems.len()];
            }
            stems
                .iter()
                .zip(labels.iter())
                .map(|(stem, label)| {
                    let Some(c) = counts.get(stem) else {
                        return 0;
                    };
                    let mut bits = 0;
                    for (l, &n) in c.iter().enumerate() {
                        let own = u16::from(label.index() == l + 1);
                        if n > own {
                            bits |= 1 << l;
                        }
                    }
                    if bits != 0 {
                        bits |= (label.index() as u16) << 8;
                    }
                    bits
                })
                .collect()
        })
        .collect()
}

/// Every feature of a folded word, `clusters` saying which clusters it is in.
pub(crate) fn word_features(word: &str, clusters: &Clusters) -> Vec<Feature> {
    let mut features = Vec::with_capacity(16);
    features.push(Feature::new(Template::Word, word));
    let stem = stem(word);
    if stem != word {
        features.push(Feature::new(Template::Stem, stem));
    }
    if let Some(path) = clusters.of(word).or_else(|| clusters.of(stem)) {
        for (level, id) in (0u8..).zip(path) {
            features.push(Feature {
                template: Template::Cluster(level),
                text: u64::from(id),
            });
        }
    }
    if stem != word {
        if let Some(path) = clusters.of(stem) {
            for (level, id) in (0u8..).zip(path) {
                features.push(Feature {
                    template: Template::StemCluster(level),
                    text: u64::from(id),
                });
            }
        }
        let letters: Vec<(usize, char)> = word.char_indices().collect();
        for n in 1..=2u8 {
            if let Some(&(cut, _)) = letters.get(usize::from(n)) {
                features.push(Feature::new(Template::Leading(n), &word[..cut]));
            }
        }
    }
    let chars: Vec<(usize, char)> = stem.char_indices().collect();
    for n in 1..=3u8 {
        if chars.len() > usize::from(n) {
            let cut = chars[usize::from(n)].0;
            features.push(Feature::new(Template::Prefix(n), &stem[..cut]));
            let from = chars[chars.len() - usize::from(n)].0;
            features.push(Feature::new(Template::Suffix(n), &stem[from..]));
        }
    }
    features.push(Feature::new(Template::Shape, shape(word)));
    let length = match word.chars().count() {
        0..=2 => "short",
        3..=5 => "medium",
        _ => "long",
    };
    features.push(Feature::new(Template::Length, length));
    features.push(Feature::new(Template::Bias, ""));
    features
}

/// The kind of characters a word is made of.
fn shape(word: &str) -> &'static str {
    let (mut arabic, mut latin, mut digit) = (false, false, false);
    for c in word.chars() {
        match c {
            '0'..='9' => digit = true,
            'a'..='z' | 'A'..='Z' => latin = true,
            '\u{0600}'..='\u{06FF}' => arabic = true,
            _ => {}
        }
    }
    match (arabic, latin, digit) {
        (true, false, false) => "arabic",
        (false, true, false) => "latin",
        (false, false, true) => "digits",
        (false, false, false) => "other",
        _ => "mixed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_and_its_proclitic_form_share_their_stem() {
        let stem_of = |word: &str| {
            word_features(word, &Clusters::default())
                .iter()
                .find(|f| matches!(f.template, Template::Stem | Template::Word) && f.reaches(2))
                .map(|f| f.text)
                .unwrap()
        };
        assert_eq!(stem("وبالسراج"), "سراج");
        assert_eq!(stem("السراج"), "سراج");
        assert_eq!(stem("بلد"), "بلد", "three letters stay a word");
        assert_ne!(
            stem_of("وبالسراج"),
            stem_of("السراج"),
            "the word itself comes first"
        );
        assert_eq!(shape("2018"), "digits");
        assert_eq!(shape("trump"), "latin");
        assert_eq!(shape("ترامب"), "arabic");
        let one = Feature::new(Template::Word, "ترامب");
        assert_ne!(one.hash(-1), one.hash(1), "the offset is part of the key");
    }

    #[test]
    fn a_stem_carries_the_labels_it_has_elsewhere_in_the_document() {
        use Label::*;
        // "Tzipi Livni said ..." then "and Livni added": the first pass found her name
        // in the first sentence only.
        let first = ["قالت", "تسيبي", "ليفني"].map(|w| stem_hash(stem(w)));
        let second = ["واضافت", "وليفني"].map(|w| stem_hash(stem(w)));
        let bits = document_bits(&[&first, &second], &[&[O, BPer, IPer], &[O, O]]);
        assert_eq!(
            bits[1][1], 0b10,
            "«وليفني» reads as «ليفني», inside a person's name"
        );
        assert_eq!(bits[0][2], 0, "a label is never its own evidence");
        assert_eq!(bits[0][0], 0);
        let again = document_bits(&[&first, &second], &[&[O, BPer, IPer], &[O, BPer]]);
        assert_eq!(
            again[0][2],
            0b01 | (u16::from(IPer as u8) << 8),
            "the other occurrence, with the token's own label"
        );
        assert_eq!(document_keys(0).count(), 0);
        assert_eq!(
            document_keys(again[0][2]).count(),
            2,
            "the set and one type"
        );
    }
}
