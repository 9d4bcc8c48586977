//! Training and scoring the name tagger on CoNLL data (`actorgraph ner train`).
//!
//! The tagger reads the pipeline's words (runs of word characters in the folded text),
//! not the data's tokens, so each CoNLL sentence is joined, folded and split as an
//! article would be, and each word takes the tag of the token it lies in (a token's later
//! words continue its name).

use std::collections::BTreeMap;

use crate::pipeline::extract::Extractor;
use crate::tagger::{Label, NameKind, Tagger, Token, TrainSentence, names};
use crate::text::fold::Folded;

/// One CoNLL sentence: its tokens and their labels.
pub type ConllSentence = Vec<(String, Label)>;

/// Fine tags and the type each stands for (`PER`, `ORG`, `LOC`, `GPE` or `O`), for data
/// tagged with finer types than the tagger's.
pub type TagMap = BTreeMap<String, String>;

/// Reads a tag map: `fine<TAB>coarse` a line, after a header; `#` lines are comments.
pub fn read_tag_map(text: &str, name: &str) -> Result<TagMap, String> {
    let mut map = TagMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("fine\t") {
            continue;
        }
        let Some((fine, coarse)) = line.split_once('\t') else {
            return Err(format!(
                "{name}:{}: expected fine<TAB>coarse, found `{line}`",
                index + 1
            ));
        };
        map.insert(fine.trim().to_string(), coarse.trim().to_string());
    }
    Ok(map)
}

/// The label of `tag`, through `map` when its type is a fine one the map knows.
fn label_of(tag: &str, map: Option<&TagMap>) -> Label {
    if let (Some(map), Some((position, fine))) = (map, tag.split_once('-'))
        && let Some(coarse) = map.get(fine)
    {
        return Label::from_conll(&format!("{position}-{coarse}"));
    }
    Label::from_conll(tag)
}

/// The sentences of a CoNLL file: a token and its tag a line (further columns ignored),
/// a blank line between sentences, `-DOCSTART-` lines skipped; fine tags through `map`.
pub fn conll_sentences(
    text: &str,
    name: &str,
    map: Option<&TagMap>,
) -> Result<Vec<ConllSentence>, String> {
    let mut sentences = Vec::new();
    let mut sentence = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sentence.is_empty() {
                sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        let mut fields = line.split(['\t', ' ']).filter(|f| !f.is_empty());
        let (Some(token), Some(tag)) = (fields.next(), fields.next()) else {
            // A line with a tag and no token (the data has a few): nothing to read.
            if line.split_whitespace().count() == 1 && line.starts_with(char::is_whitespace) {
                continue;
            }
            return Err(format!(
                "{name}:{}: expected a token and a BIO tag, found `{line}`",
                index + 1
            ));
        };
        sentence.push((token.to_string(), label_of(tag, map)));
    }
    if !sentence.is_empty() {
        sentences.push(sentence);
    }
    Ok(sentences)
}

/// A CoNLL sentence as the tagger reads it: the pipeline's words, their gazetteer hints,
/// and each word's label from the token it lies in.
pub fn training_sentence(extractor: &Extractor, sentence: &ConllSentence) -> TrainSentence {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(sentence.len());
    for (token, _) in sentence {
        if !text.is_empty() {
            text.push(' ');
        }
        starts.push(text.len());
        text.push_str(token);
    }
    let folded = Folded::new(&text);
    let hints = extractor.word_hints(&folded);
    let mut words = Vec::with_capacity(folded.words.len());
    let mut labels = Vec::with_capacity(folded.words.len());
    let mut previous_token = usize::MAX;
    for word in &folded.words {
        let (start, end) = (word.start as usize, word.end as usize);
        let (original, _) = folded.original(start, end);
        let token = starts.partition_point(|&s| s <= original).saturating_sub(1);
        let label = sentence[token].1;
        labels.push(match label.kind() {
            Some(kind) if token == previous_token => Label::of(kind, false),
            _ => label,
        });
        previous_token = token;
        words.push(folded.text[start..end].to_string());
    }
    TrainSentence {
        words,
        hints,
        labels,
        document: 0,
    }
}

/// Exact-span counts of one name type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanCounts {
    /// Names found with the right span and type.
    pub correct: usize,
    /// Names found.
    pub found: usize,
    /// Names in the gold labels.
    pub gold: usize,
}

impl SpanCounts {
    /// Precision, recall and F1.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = self.correct as f64 / self.found.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// The names of a label sequence: (first word, one past the last, type).
fn spans(labels: &[Label]) -> Vec<(usize, usize, NameKind)> {
    names(labels, |_| true)
}

/// How many consecutive sentences of a CoNLL file are read as one document (CoNLL data
/// has no article boundaries): as many as `actorgraph eval` puts in one gold article.
pub const DOCUMENT_SENTENCES: usize = 50;

/// Numbers `sentences`, read in order from one file, by document: each
/// [`DOCUMENT_SENTENCES`] consecutive ones are one, numbered on from `first`. Returns the
/// number after the last.
pub fn number_documents(sentences: &mut [TrainSentence], first: usize) -> usize {
    for (i, sentence) in sentences.iter_mut().enumerate() {
        sentence.document = first + i / DOCUMENT_SENTENCES;
    }
    first + sentences.len().div_ceil(DOCUMENT_SENTENCES)
}

/// Tags `sentences` document by document and counts exact spans per type, the CoNLL way.
pub fn score(tagger: &Tagger, sentences: &[TrainSentence]) -> BTreeMap<NameKind, SpanCounts> {
    let mut counts: BTreeMap<NameKind, SpanCounts> = BTreeMap::new();
    let mut tagged = Vec::with_capacity(sentences.len());
    for document in sentences.chunk_by(|a, b| a.document == b.document) {
        let tokens: Vec<Vec<Token<'_>>> = document
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .zip(&s.hints)
                    .map(|(word, &hints)| Token { word, hints })
                    .collect()
            })
            .collect();
        tagged.extend(tagger.tag_document(&tokens));
    }
    for (sentence, labels) in sentences.iter().zip(&tagged) {
        let gold = spans(&sentence.labels);
        let found = spans(labels);
        for &(_, _, kind) in &gold {
            counts.entry(kind).or_default().gold += 1;
        }
        for span in &found {
            let entry = counts.entry(span.2).or_default();
            entry.found += 1;
            if gold.contains(span) {
                entry.correct += 1;
            }
        }
    }
    counts
}

/// The micro-average of per-type counts.
pub fn micro(counts: &BTreeMap<NameKind, SpanCounts>) -> SpanCounts {
    counts
        .values()
        .fold(SpanCounts::default(), |a, c| SpanCounts {
            correct: a.correct + c.correct,
            found: a.found + c.found,
            gold: a.gold + c.gold,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::extract::test_extractor;

    #[test]
    fn conll_tokens_become_the_pipelines_words() {
        let conll = "-DOCSTART- -X- O\n\nاستقبل O\nفائز B-PERS\nالسراج I-PERS\n، O\nاعتداءات11 O\n سبتمبر O\n\nفي O\nليبيا B-LOC\n";
        let sentences = conll_sentences(conll, "t.txt", None).unwrap();
        assert_eq!(sentences.len(), 2);
        let first = training_sentence(test_extractor(), &sentences[0]);
        assert_eq!(
            first.words,
            ["استقبل", "فائز", "السراج", "اعتداءات11", "سبتمبر"]
        );
        assert_eq!(
            first.labels,
            [Label::O, Label::BPer, Label::IPer, Label::O, Label::O]
        );
        // The gazetteer knows al-Sarraj: the tagger is told.
        assert!(first.hints[1].has(crate::tagger::Hints::PERSON));
        assert!(
            conll_sentences("كلمة\n", "t.txt", None)
                .unwrap_err()
                .contains("t.txt:1")
        );
        let map = read_tag_map("fine\tcoarse\nNation\tGPE\nGroup\tO\n", "m.tsv").unwrap();
        let fine = conll_sentences(
            "جنوب\tB-Nation\nالسودان\tI-Nation\nالعرب\tB-Group\n",
            "f",
            Some(&map),
        );
        assert_eq!(
            fine.unwrap()[0].iter().map(|t| t.1).collect::<Vec<_>>(),
            [Label::BLoc, Label::ILoc, Label::O]
        );
    }

    #[test]
    fn spans_count_only_exact_matches() {
        use Label::*;
        assert_eq!(
            spans(&[O, BPer, IPer, BLoc, BLoc, O]),
            [
                (1, 3, NameKind::Per),
                (3, 4, NameKind::Loc),
                (4, 5, NameKind::Loc)
            ]
        );
        let c = SpanCounts {
            correct: 1,
            found: 2,
            gold: 4,
        };
        assert_eq!(c.prf(), (0.5, 0.25, 1.0 / 3.0));
    }
}
