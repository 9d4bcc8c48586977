//! Scoring records against gold annotation (the gold format of DESIGN.md).
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

use crate::record::{ArticleRecord, Field, MentionType, Relation, RelationKind};

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
        row(&mut out, "relations", &self.relations);
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
pub fn evaluate(gold: &[GoldArticle], records: &[ArticleRecord]) -> Report {
    let by_id: HashMap<&str, &ArticleRecord> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut report = Report::default();
    for article in gold {
        report.articles += 1;
        let Some(record) = by_id.get(article.id.as_str()) else {
            report.missing_records.push(article.id.clone());
            let empty = ArticleRecord {
                id: article.id.clone(),
                date: None,
                mentions: Vec::new(),
                relations: Vec::new(),
            };
            score_article(article, &empty, &mut report);
            continue;
        };
        score_article(article, record, &mut report);
    }
    report
}

fn score_article(gold: &GoldArticle, record: &ArticleRecord, report: &mut Report) {
    for mention_type in MentionType::ALL {
        let mut counts = Counts::default();
        let gold_of_type: Vec<&GoldEntity> = gold
            .entities
            .iter()
            .filter(|g| g.mention_type == mention_type)
            .collect();
        let predicted = record
            .mentions
            .iter()
            .filter(|m| m.field == Field::Text && m.mention_type == mention_type);
        for m in predicted.clone() {
            let overlapping: Vec<&&GoldEntity> = gold_of_type
                .iter()
                .filter(|g| g.start < m.end && m.start < g.end)
                .collect();
            if overlapping.iter().any(|g| !g.optional) {
                counts.predicted += 1;
                counts.correct += 1;
            } else if overlapping.is_empty() {
                counts.predicted += 1;
            }
        }
        for g in gold_of_type.iter().filter(|g| !g.optional) {
            counts.gold += 1;
            if predicted
                .clone()
                .any(|m| g.start < m.end && m.start < g.end)
            {
                counts.found += 1;
            }
        }
        report.mentions.add(counts);
        report
            .mentions_by_type
            .entry(mention_type.as_str().to_string())
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
        if (p.hedged && within(&gold.hedged_sentences)) || within(&gold.neutral_sentences) {
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
