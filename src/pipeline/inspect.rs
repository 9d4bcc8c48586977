//! Why a name was missed: what a dictionary match that resolved to nothing could have
//! named, and the rule that kept it from naming it (for `gazetteer show`).

use crate::gazetteer::{CueKind, TitleKind};
use crate::record::Date;
use std::ops::Range;

use crate::pipeline::extract::Extractor;
use crate::pipeline::resolve::{NameValue, Resolution};
use crate::text::fold::Folded;

/// One text as the pipeline reads it, for `gazetteer show`: what the names resolved
/// to, and the dictionary matches that resolved to nothing, which are the usual reason
/// a name is missed.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The folded text, with its map back to the original.
    pub folded: Folded,
    /// Mentions (with the role row behind each office) and actors.
    pub resolution: Resolution,
    /// Name matches that no mention or actor took, in text order.
    pub unresolved: Vec<UnresolvedMatch>,
}

/// A surface the lexicon found but resolution dropped: a gated alias outside its
/// states, a surname before its full name, a title with no holder.
#[derive(Debug, Clone)]
pub struct UnresolvedMatch {
    /// Folded byte range.
    pub span: Range<usize>,
    /// Everything the surface could have named.
    pub values: Vec<NameValue>,
}

/// One value of an unresolved match, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueExplanation {
    /// What it could have named: `PER sarraj`, `title minister_foreign`, `demonym of LY`.
    pub what: String,
    /// Where that is defined (`file:line`).
    pub origin: String,
    /// Why it named nothing here, when the rules say.
    pub reason: Option<String>,
}

impl Inspection {
    /// What `value`, one of the values of `unresolved`, could have named, where that is
    /// defined, and why it named nothing here, when the rules say. `date` is the one the
    /// text was inspected at.
    pub fn explain(
        &self,
        extractor: &Extractor,
        unresolved: &UnresolvedMatch,
        value: NameValue,
        date: Option<Date>,
    ) -> ValueExplanation {
        let inspection = self;
        let gazetteer = extractor.gazetteer();
        let describe = |key| {
            let entity = gazetteer.entity(key);
            let what = format!("{} {}", entity.entity_type.as_str(), entity.id);
            (what, entity.origin.to_string())
        };
        match value {
            NameValue::Entity { key, partial } => {
                let (what, origin) = describe(key);
                let reason = partial.then(|| {
                    format!(
                        "a surname, counted only after the full name «{}» in the same text",
                        gazetteer.entity(key).name_ar
                    )
                });
                ValueExplanation {
                    what,
                    origin,
                    reason,
                }
            }
            NameValue::Gated { key, gate } => {
                let (what, origin) = describe(key);
                let states: Vec<&str> = extractor
                    .gate(gate)
                    .iter()
                    .map(|&state| gazetteer.entity(state).id.as_str())
                    .collect();
                let reason = format!(
                    "a gated alias, counted only in a text that names {}",
                    states.join(" or ")
                );
                ValueExplanation {
                    what,
                    origin,
                    reason: Some(reason),
                }
            }
            NameValue::Demonym(key) => {
                let origin = gazetteer
                    .demonyms
                    .iter()
                    .find(|d| d.entity == key)
                    .map_or_else(|| "-".to_string(), |d| d.origin.to_string());
                let what = format!("demonym of {}", gazetteer.entity(key).id);
                ValueExplanation {
                    what,
                    origin,
                    reason: None,
                }
            }
            NameValue::HisCountry => {
                let origin = gazetteer
                    .cues
                    .iter()
                    .find(|c| c.kind == CueKind::HisCountry)
                    .map_or_else(|| "-".to_string(), |c| c.origin.to_string());
                let reason = "no person named before it".to_string();
                ValueExplanation {
                    what: "his_country cue".to_string(),
                    origin,
                    reason: Some(reason),
                }
            }
            NameValue::Trigger(_) => unreachable!("triggers are split off before resolution"),
            NameValue::Title(key) => {
                let title = &gazetteer.titles[key.0 as usize];
                // The body the title went with, if it acts: the actor that starts there.
                let body = inspection
                    .resolution
                    .actors
                    .iter()
                    .find(|a| a.phrase.start == unresolved.span.start)
                    .map(|a| a.entity);
                let reason = match (title.kind, date, body) {
                    (TitleKind::State, ..) => {
                        "a state word names a state only with a nisba right after it".to_string()
                    }
                    (TitleKind::Shared, ..) => {
                        "a shared office: the title alone names none of its holders".to_string()
                    }
                    (_, None, _) => "no --date, so no office holder".to_string(),
                    (_, Some(date), Some(body)) => {
                        let body_id = &gazetteer.entity(body).id;
                        if gazetteer.office_holder(key, Some(body), date).is_some() {
                            "after a deputy word: a deputy, not the office holder".to_string()
                        } else {
                            format!(
                                "no holder of {} of {body_id} on {date} in the roles; {body_id} stands for the office",
                                title.id
                            )
                        }
                    }
                    (TitleKind::Office, Some(date), None) => format!(
                        "no single holder of {} on {date} whose state the text names",
                        title.id
                    ),
                    (TitleKind::Person, Some(_), None) => {
                        "no name, nisba, state or organisation right after it".to_string()
                    }
                };
                ValueExplanation {
                    what: format!("title {}", title.id),
                    origin: title.origin.to_string(),
                    reason: Some(reason),
                }
            }
        }
    }
}
