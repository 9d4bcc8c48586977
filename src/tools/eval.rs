//! Scoring records against gold annotation (the gold format of docs/CONTRACT.md).
//!
//! Mentions: a prediction is right when it overlaps a gold mention of its type; a gold
//! mention is found when a prediction of its type overlaps it; optional gold neither
//! rewards nor punishes. Relations: kinds agree, each endpoint overlaps a gold mention
//! of the right ref (either order for symmetric kinds), and the trigger, source or
//! target lies in the gold sentence. Negated predictions are not facts and are not
//! scored; hedged predictions inside a gold hedged sentence are ignored, as is anything
//! wholly inside a neutral sentence.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::record::{ArticleRecord, Field, Mention, MentionType, Relation, RelationKind};

/// A code point span of the gold format.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub struct GoldSpan {
    /// Start.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

impl GoldSpan {
    fn contains(&self, start: usize, end: usize) -> bool {
        self.start <= start && end <= self.end
    }
}

/// A gold mention.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GoldEntity {
    /// Start.
    pub start: usize,
    /// End.
    pub end: usize,
    /// Text (for readers).
    #[serde(default)]
    pub text: String,
    /// Type.
    #[serde(rename = "type")]
    pub mention_type: MentionType,
    /// File-local entity name.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Neither rewards nor punishes.
    #[serde(default)]
    pub optional: bool,
}

/// A gold relation.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GoldRelation {
    /// Kind.
    pub kind: RelationKind,
    /// Ref (or `a|b` for either).
    pub source: String,
    /// Ref (or `a|b`).
    pub target: String,
    /// Where the evidence lies.
    pub sentence: GoldSpan,
    /// Neither rewards nor punishes.
    #[serde(default)]
    pub optional: bool,
}

/// One annotated article.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GoldArticle {
    /// Article id.
    pub id: String,
    /// The article text, when the gold carries it (it must then equal the record's).
    #[serde(default)]
    pub text: Option<String>,
    /// Gold mentions.
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    /// Gold relations.
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
    /// Questions and conditions.
    #[serde(default)]
    pub hedged_sentences: Vec<GoldSpan>,
    /// Sentences whose relations are not scored.
    #[serde(default)]
    pub neutral_sentences: Vec<GoldSpan>,
}

/// Counts behind precision and recall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predictions scored.
    pub predicted: usize,
    /// Scored predictions that are right.
    pub correct: usize,
    /// Gold items scored.
    pub gold: usize,
    /// Gold items found.
    pub found: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// Recall (1 when there was nothing to find).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: Counts) {
        self.predicted += other.predicted;
        self.correct += other.correct;
        self.gold += other.gold;
        self.found += other.found;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// A missed or wrong item, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// Article.
    pub article: String,
    /// What it is.
    pub what: String,
}

/// The scores of a set of records against gold.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Gold articles scored.
    pub articles: usize,
    /// Gold articles with no record.
    pub missing_records: Vec<String>,
    /// All mentions.
    pub mentions: Counts,
    /// Mentions by type.
    pub mentions_by_type: BTreeMap<String, Counts>,
    /// All mentions, scored the CoNLL way: right only with the gold span exactly.
    pub mentions_exact: Counts,
    /// Mentions by type, the CoNLL way.
    pub mentions_exact_by_type: BTreeMap<String, Counts>,
    /// Relations.
    pub relations: Counts,
    /// Gold relations not found.
    pub missed_relations: Vec<Miss>,
    /// Predicted relations that match no gold.
    pub wrong_relations: Vec<Miss>,
}

impl Report {
    /// A plain-text table.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let row = |out: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "{name:<10} {:>6.3} {:>6.3} {:>6.3} {:>6} {:>6} {:>6} {:>6}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.correct,
                c.predicted,
                c.found,
                c.gold
            );
        };
        let _ = writeln!(out, "articles: {}", self.articles);
        let _ = writeln!(
            out,
            "{:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "", "P", "R", "F1", "right", "pred", "found", "gold"
        );
        row(&mut out, "mentions", &self.mentions);
        for (name, counts) in &self.mentions_by_type {
            row(&mut out, &format!("  {name}"), counts);
        }
        let _ = writeln!(out, "exact spans (CoNLL):");
        row(&mut out, "mentions", &self.mentions_exact);
        for (name, counts) in &self.mentions_exact_by_type {
            row(&mut out, &format!("  {name}"), counts);
        }
        // CoNLL gold has no relations to score.
        if self.relations != Counts::default() {
            row(&mut out, "relations", &self.relations);
        }
        for miss in &self.missed_relations {
            let _ = writeln!(out, "missed: {}: {}", miss.article, miss.what);
        }
        for wrong in &self.wrong_relations {
            let _ = writeln!(out, "wrong:  {}: {}", wrong.article, wrong.what);
        }
        for id in &self.missing_records {
            let _ = writeln!(out, "no record for gold article {id}");
        }
        out
    }
}

/// Scores `records` against `gold`.
/// Mentions are scored only for the types the gold annotates somewhere: a set that
/// has no NORP (WikiFANE) says nothing about NORP predictions.
pub fn evaluate(gold: &[GoldArticle], records: &[ArticleRecord]) -> Report {
    let types: Vec<MentionType> = MentionType::ALL
        .into_iter()
        .filter(|t| {
            gold.iter()
                .any(|g| g.entities.iter().any(|e| e.mention_type == *t))
        })
        .collect();
    let by_id: HashMap<&str, &ArticleRecord> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut report = Report::default();
    for article in gold {
        report.articles += 1;
        let Some(record) = by_id.get(article.id.as_str()) else {
            report.missing_records.push(article.id.clone());
            let empty = ArticleRecord {
                id: article.id.clone(),
                date: None,
                fingerprint: None,
                mentions: Vec::new(),
                relations: Vec::new(),
                unknown: Vec::new(),
            };
            score_article(article, &empty, &types, &mut report);
            continue;
        };
        score_article(article, record, &types, &mut report);
    }
    report
}

/// Mentions of one type scored by `matches`: a prediction is right when it matches a
/// gold mention that is not optional, and counts only if it matches none or such a one;
/// a gold mention that is not optional is found when a prediction matches it.
fn mention_counts(
    gold: &[&GoldEntity],
    predicted: &[&Mention],
    matches: impl Fn(&GoldEntity, &Mention) -> bool,
) -> Counts {
    let mut counts = Counts::default();
    for m in predicted {
        let mut matching = gold.iter().filter(|g| matches(g, m)).peekable();
        if matching.peek().is_none() {
            counts.predicted += 1;
        } else if matching.any(|g| !g.optional) {
            counts.predicted += 1;
            counts.correct += 1;
        }
    }
    for g in gold.iter().filter(|g| !g.optional) {
        counts.gold += 1;
        if predicted.iter().any(|m| matches(g, m)) {
            counts.found += 1;
        }
    }
    counts
}

fn score_article(
    gold: &GoldArticle,
    record: &ArticleRecord,
    types: &[MentionType],
    report: &mut Report,
) {
    let overlap = |g: &GoldEntity, m: &Mention| g.start < m.end && m.start < g.end;
    let exact = |g: &GoldEntity, m: &Mention| g.start == m.start && g.end == m.end;
    for &mention_type in types {
        let gold_of_type: Vec<&GoldEntity> = gold
            .entities
            .iter()
            .filter(|g| g.mention_type == mention_type)
            .collect();
        let predicted: Vec<&Mention> = record
            .mentions
            .iter()
            .filter(|m| m.field == Field::Text && m.mention_type == mention_type)
            .collect();
        let name = mention_type.as_str().to_string();
        let counts = mention_counts(&gold_of_type, &predicted, overlap);
        report.mentions.add(counts);
        report
            .mentions_by_type
            .entry(name.clone())
            .or_default()
            .add(counts);
        let counts = mention_counts(&gold_of_type, &predicted, exact);
        report.mentions_exact.add(counts);
        report
            .mentions_exact_by_type
            .entry(name)
            .or_default()
            .add(counts);
    }

    let endpoint_is = |refs: &str, start: usize, end: usize| {
        refs.split('|').any(|r| {
            gold.entities
                .iter()
                .any(|g| g.reference == r && g.start < end && start < g.end)
        })
    };
    let matches = |p: &Relation, g: &GoldRelation| {
        if p.kind != g.kind {
            return false;
        }
        let straight = endpoint_is(&g.source, p.source.start, p.source.end)
            && endpoint_is(&g.target, p.target.start, p.target.end);
        let swapped = p.kind.is_symmetric()
            && endpoint_is(&g.source, p.target.start, p.target.end)
            && endpoint_is(&g.target, p.source.start, p.source.end);
        let in_sentence = g.sentence.contains(p.trigger.start, p.trigger.end)
            || g.sentence.contains(p.source.start, p.source.end)
            || g.sentence.contains(p.target.start, p.target.end);
        (straight || swapped) && in_sentence
    };
    let mut counts = Counts::default();
    let describe = |p: &Relation| {
        format!(
            "{}({}, {}) by {} «{}»",
            p.kind.as_str(),
            p.source.entity,
            p.target.entity,
            p.rule,
            p.trigger.text
        )
    };
    for p in record
        .relations
        .iter()
        .filter(|r| r.field == Field::Text && !r.negated)
    {
        let evidence = [
            (p.trigger.start, p.trigger.end),
            (p.source.start, p.source.end),
            (p.target.start, p.target.end),
        ];
        let within = |spans: &[GoldSpan]| {
            spans
                .iter()
                .any(|s| evidence.iter().all(|&(a, b)| s.contains(a, b)))
        };
        let trigger_in = |spans: &[GoldSpan]| {
            spans
                .iter()
                .any(|s| s.contains(p.trigger.start, p.trigger.end))
        };
        if (p.hedged && trigger_in(&gold.hedged_sentences)) || within(&gold.neutral_sentences) {
            continue;
        }
        let matched: Vec<&GoldRelation> = gold.relations.iter().filter(|g| matches(p, g)).collect();
        if matched.iter().any(|g| !g.optional) {
            counts.predicted += 1;
            counts.correct += 1;
        } else if matched.is_empty() {
            counts.predicted += 1;
            report.wrong_relations.push(Miss {
                article: gold.id.clone(),
                what: describe(p),
            });
        }
    }
    for g in gold.relations.iter().filter(|g| !g.optional) {
        counts.gold += 1;
        let found = record
            .relations
            .iter()
            .filter(|p| p.field == Field::Text && !p.negated)
            .any(|p| matches(p, g));
        if found {
            counts.found += 1;
        } else {
            report.missed_relations.push(Miss {
                article: gold.id.clone(),
                what: format!(
                    "{}({}, {}) in sentence {}..{}",
                    g.kind.as_str(),
                    g.source,
                    g.target,
                    g.sentence.start,
                    g.sentence.end
                ),
            });
        }
    }
    report.relations.add(counts);
}

/// The output type of a CoNLL tag's type, or `None` for types we do not find
/// (dates, facilities, products ...). Covers Wojood (PERS, GPE, NORP ...) and the
/// fine WikiFANE classes (Politician, Nation, Government ...).
pub fn conll_type(tag_type: &str) -> Option<MentionType> {
    Some(match tag_type {
        "PER" | "PERS" | "PERSON" | "Artist" | "Athlete" | "Businessperson" | "Engineer"
        | "Group" | "Lawyer" | "Other_PER" | "Police" | "Politician" | "Religious_PER"
        | "Scientist" => MentionType::Per,
        "ORG" | "Commercial" | "Educational" | "Entertainment" | "Government" | "Media"
        | "Medical-Science" | "Non-Governmental" | "Religious_ORG" | "Sports" => MentionType::Org,
        "GPE"
        | "LOC"
        | "Continent"
        | "County-or-District"
        | "GPE-Cluster"
        | "Nation"
        | "Population-Center"
        | "State-or-Province"
        | "Land-Region-Natural"
        | "Water-Body"
        | "Celestial" => MentionType::Loc,
        "NORP" => MentionType::Norp,
        "EVENT" => MentionType::Event,
        _ => return None,
    })
}

/// Widens each text mention of `record` to the whole tokens it touches in `text` (tokens
/// are what spaces and line breaks separate, as [`read_conll`] joins them). CoNLL gold
/// labels whole tokens, so «بالرياض» is a place there, proclitic and all, while the
/// pipeline's mention is the smallest name, «الرياض»: scored unwidened, every name
/// written with a proclitic would count as a wrong span.
pub fn widen_to_tokens(record: &mut ArticleRecord, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let is_break = |c: char| c == ' ' || c == '\n';
    for m in record
        .mentions
        .iter_mut()
        .filter(|m| m.field == Field::Text)
    {
        if m.end > chars.len() || m.start >= m.end {
            continue;
        }
        while m.start > 0 && !is_break(chars[m.start - 1]) {
            m.start -= 1;
        }
        while m.end < chars.len() && !is_break(chars[m.end]) {
            m.end += 1;
        }
        m.text = chars[m.start..m.end].iter().collect();
    }
}

/// Reads CoNLL-style gold (a token and one or more BIO tags a line, a blank line
/// between sentences) into gold articles of up to `sentences_per_article` sentences,
/// tokens joined by spaces and sentences by line breaks. Every tag column is read,
/// so nested annotation (Wojood) yields nested gold mentions.
pub fn read_conll(
    text: &str,
    name: &str,
    sentences_per_article: usize,
) -> Result<Vec<GoldArticle>, String> {
    /// A mention being read in one tag column: start, end, type.
    type Open = (usize, usize, Option<MentionType>);
    fn close(open: &mut Option<Open>, article: &mut GoldArticle) {
        if let Some((start, end, Some(mention_type))) = open.take() {
            let text = article.text.as_deref().unwrap_or("");
            article.entities.push(GoldEntity {
                start,
                end,
                text: text.chars().skip(start).take(end - start).collect(),
                mention_type,
                reference: String::new(),
                optional: false,
            });
        }
    }
    let new_article = |n: usize| GoldArticle {
        id: format!("{name}#{n}"),
        text: Some(String::new()),
        entities: Vec::new(),
        relations: Vec::new(),
        hedged_sentences: Vec::new(),
        neutral_sentences: Vec::new(),
    };
    let mut articles = Vec::new();
    let mut article = new_article(1);
    let mut chars = 0usize;
    let mut sentences = 0usize;
    let mut open: Vec<Option<Open>> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            open.iter_mut().for_each(|o| close(o, &mut article));
            if chars > 0 && !article.text.as_deref().unwrap_or("").ends_with('\n') {
                sentences += 1;
                if sentences % sentences_per_article == 0 {
                    let next = new_article(articles.len() + 2);
                    articles.push(std::mem::replace(&mut article, next));
                    chars = 0;
                } else {
                    article.text.get_or_insert_with(String::new).push('\n');
                    chars += 1;
                }
            }
            continue;
        }
        let mut fields = line.split(['\t', ' ']).filter(|f| !f.is_empty());
        let token = fields.next().unwrap_or("");
        let tags: Vec<&str> = fields.collect();
        if tags.is_empty() {
            return Err(format!(
                "{name}:{}: expected a token and a BIO tag, found `{line}`",
                index + 1
            ));
        }
        let body = article.text.get_or_insert_with(String::new);
        if chars > 0 && !body.ends_with('\n') {
            body.push(' ');
            chars += 1;
        }
        let start = chars;
        body.push_str(token);
        chars += token.chars().count();
        if open.len() < tags.len() {
            open.resize(tags.len(), None);
        }
        for (column, slot) in open.iter_mut().enumerate() {
            let tag = tags.get(column).copied().unwrap_or("O");
            let (prefix, tag_type) = tag.split_once('-').unwrap_or((tag, ""));
            let mention_type = conll_type(tag_type);
            if prefix == "I" && slot.as_ref().is_some_and(|o| o.2 == mention_type) {
                if let Some(o) = slot.as_mut() {
                    o.1 = chars;
                }
                continue;
            }
            close(slot, &mut article);
            if prefix == "B" || prefix == "I" {
                *slot = Some((start, chars, mention_type));
            }
        }
    }
    open.iter_mut().for_each(|o| close(o, &mut article));
    if chars > 0 {
        articles.push(article);
    }
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_inside_a_token_is_widened_to_the_token() {
        let text = "توفي بالقاهرة عام 1406\nوزار ودمشق";
        let mention = |start, end| Mention {
            start,
            end,
            text: String::new(),
            mention_type: MentionType::Loc,
            entity: "x".into(),
            label: "x".into(),
            field: Field::Text,
            known: true,
            country: None,
        };
        let mut record = ArticleRecord {
            id: "a".into(),
            date: None,
            fingerprint: None,
            mentions: vec![mention(6, 13), mention(29, 33)],
            relations: Vec::new(),
            unknown: Vec::new(),
        };
        widen_to_tokens(&mut record, text);
        let spans: Vec<(usize, usize, &str)> = record
            .mentions
            .iter()
            .map(|m| (m.start, m.end, m.text.as_str()))
            .collect();
        assert_eq!(spans, [(5, 13, "بالقاهرة"), (28, 33, "ودمشق")]);
    }

    #[test]
    fn conll_bio_becomes_spans_over_joined_tokens() {
        let conll = "جمهورية\tB-Nation\nجنوب\tI-Nation\nالسودان\tI-Nation\nفي\tO\nافريقيا\tB-Continent\n\n\
                     فلسطين\tI-ORG\tB-GPE\nاليوم\tO\tO\n";
        let articles = read_conll(conll, "x.txt", 10).unwrap();
        assert_eq!(articles.len(), 1);
        let text = articles[0].text.clone().unwrap();
        assert_eq!(text, "جمهورية جنوب السودان في افريقيا\nفلسطين اليوم");
        let found: Vec<(&str, MentionType)> = articles[0]
            .entities
            .iter()
            .map(|e| (e.text.as_str(), e.mention_type))
            .collect();
        assert_eq!(
            found,
            vec![
                ("جمهورية جنوب السودان", MentionType::Loc),
                ("افريقيا", MentionType::Loc),
                ("فلسطين", MentionType::Org),
                ("فلسطين", MentionType::Loc),
            ]
        );
    }

    #[test]
    fn a_line_without_a_tag_is_an_error_with_its_line() {
        assert_eq!(
            read_conll("كلمة\n", "g.txt", 5).unwrap_err(),
            "g.txt:1: expected a token and a BIO tag, found `كلمة`"
        );
    }
}
