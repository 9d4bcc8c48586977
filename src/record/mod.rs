//! The article record: what the pipeline produces for one article, as JSON Lines.
//!
//! Field names and offsets follow the output contract (docs/CONTRACT.md): offsets are
//! Unicode code points into the article's `text` (or `title`), end exclusive.

pub(crate) mod encode;
mod fingerprint;

pub use fingerprint::Fingerprint;

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar date, `YYYY-MM-DD`, comparable: an article's date as read, and the bounds
/// of a role's tenure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, digits only, a day the month has; `None` for anything else
    /// («+018-+6-+1», «2018-02-31»).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        if !(digits(0..4) && digits(5..7) && digits(8..10)) {
            return None;
        }
        let year: u16 = text[0..4].parse().ok()?;
        let month: u8 = text[5..7].parse().ok()?;
        let day: u8 = text[8..10].parse().ok()?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Whether `text` is a bound of a date filter: `YYYY`, `YYYY-MM` with a month 01–12,
    /// or a day [`Date::parse`] reads («2018-13» and «2018-99-99» are not).
    pub fn is_bound(text: &str) -> bool {
        match text.len() {
            4 => text.bytes().all(|b| b.is_ascii_digit()),
            7 => Date::parse(&format!("{text}-01")).is_some(),
            10 => Date::parse(text).is_some(),
            _ => false,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One news article: what the pipeline reads (`Extractor::extract`), as the readers
/// of run/ make it from any input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Id, unique in the batch (a .txt file's name without extension).
    pub id: String,
    /// Date, `YYYY-MM-DD`, when known: titles resolve to office holders by it.
    pub date: Option<String>,
    /// Headline, when separate from the text.
    pub title: Option<String>,
    /// Body.
    pub text: String,
}

/// The mention types of the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MentionType {
    /// A person.
    #[serde(rename = "PER")]
    Per,
    /// An organisation.
    #[serde(rename = "ORG")]
    Org,
    /// A country, city or region.
    #[serde(rename = "LOC")]
    Loc,
    /// A demonym; its entity is the country.
    #[serde(rename = "NORP")]
    Norp,
    /// A named event.
    #[serde(rename = "EVENT")]
    Event,
}

impl MentionType {
    /// Every type, in report order.
    pub const ALL: [MentionType; 5] = [
        MentionType::Per,
        MentionType::Org,
        MentionType::Loc,
        MentionType::Norp,
        MentionType::Event,
    ];

    /// The contract's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionType::Per => "PER",
            MentionType::Org => "ORG",
            MentionType::Loc => "LOC",
            MentionType::Norp => "NORP",
            MentionType::Event => "EVENT",
        }
    }
}

/// The relation kinds of docs/CONTRACT.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationKind {
    /// Met, visited, talked (symmetric).
    Meets,
    /// Source supports target.
    Supports,
    /// Allied (symmetric).
    Allied,
    /// Source opposes target.
    Opposes,
}

impl RelationKind {
    /// Parses a kind name.
    pub fn parse(text: &str) -> Option<RelationKind> {
        Some(match text {
            "meets" => RelationKind::Meets,
            "supports" => RelationKind::Supports,
            "allied" => RelationKind::Allied,
            "opposes" => RelationKind::Opposes,
            _ => return None,
        })
    }

    /// The name in files and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Meets => "meets",
            RelationKind::Supports => "supports",
            RelationKind::Allied => "allied",
            RelationKind::Opposes => "opposes",
        }
    }

    /// Whether source and target play the same part.
    pub fn is_symmetric(self) -> bool {
        matches!(self, RelationKind::Meets | RelationKind::Allied)
    }
}

/// Which field of the article an offset points into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The article's `text` (the default, not written out).
    #[default]
    Text,
    /// The article's `title`.
    Title,
}

impl Field {
    /// True for `text`, which the records leave implicit.
    pub fn is_text(&self) -> bool {
        *self == Field::Text
    }

    /// The name in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Title => "title",
        }
    }
}

/// A name found in the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The original text at those offsets.
    pub text: String,
    /// Mention type.
    #[serde(rename = "type")]
    pub mention_type: MentionType,
    /// Entity id.
    pub entity: String,
    /// The entity's English label.
    pub label: String,
    /// Field, when not `text`.
    #[serde(default, skip_serializing_if = "Field::is_text")]
    pub field: Field,
    /// False for a name the tagger found that no gazetteer entry holds (an unknown
    /// actor, its id made from its folded name); written only when false.
    #[serde(default = "known_default", skip_serializing_if = "is_known")]
    pub known: bool,
    /// For an unknown person, the state whose office or nisba stands right before the
    /// name («رئيس الوزراء الباكستاني عمران خان»: `PK`); written only when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

fn known_default() -> bool {
    true
}

fn is_known(known: &bool) -> bool {
    *known
}

/// One side of a relation: the entity and the span that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Entity id.
    pub entity: String,
    /// First code point of the name (or of the title that stands for it).
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// For a state named by one of its offices whose holder the gazetteers do not know
    /// on the article's date («وزير الداخلية الليبي», Libya): the office's title id
    /// (`interior_minister`). The state stands for an unknown office holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
}

/// The word that triggered a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The original text.
    pub text: String,
}

/// The sentence that carries the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The original sentence, so records explain themselves without the article.
    #[serde(default)]
    pub text: String,
}

/// A relation with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Kind.
    pub kind: RelationKind,
    /// Who acts (for symmetric kinds, one side).
    pub source: Endpoint,
    /// Who is acted upon (for symmetric kinds, the other side).
    pub target: Endpoint,
    /// The trigger word.
    pub trigger: TriggerSpan,
    /// The sentence.
    pub sentence: SentenceSpan,
    /// Under a negation: not a fact.
    pub negated: bool,
    /// In a question or condition: not a fact.
    pub hedged: bool,
    /// The rule id (gazetteers/triggers.tsv).
    pub rule: String,
    /// Field, when not `text`.
    #[serde(default, skip_serializing_if = "Field::is_text")]
    pub field: Field,
}

impl Relation {
    /// Whether the relation is asserted as a fact (draws a graph edge).
    pub fn is_fact(&self) -> bool {
        !self.negated && !self.hedged
    }
}

/// A string in an actor slot of a rule that names no entity the gazetteers know: the
/// words right after a trigger («استقبل X») or after its preposition («التقى ... مع X»).
/// Collected so that every run says who the gazetteers miss (`unknown.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownActor {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The original text at those offsets.
    pub text: String,
    /// The rule whose slot it stood in.
    pub rule: String,
    /// The trigger word, as written.
    pub trigger: String,
    /// Field, when not `text`.
    #[serde(default, skip_serializing_if = "Field::is_text")]
    pub field: Field,
}

/// Everything found in one article: the unit that is stored, shipped and merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// Article id.
    pub id: String,
    /// Article date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The fingerprint of the article's text, by which copies of one text under two ids
    /// count once in the graph; none for an empty text and in records of older releases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Fingerprint>,
    /// Mentions, in text order (title first).
    pub mentions: Vec<Mention>,
    /// Relations, in text order.
    pub relations: Vec<Relation>,
    /// Actor slots that named nothing known, in text order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownActor>,
}
