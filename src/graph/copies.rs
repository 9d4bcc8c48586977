//! Copies of one text under several ids, counted once in the edges.
//!
//! A dump often holds one article twice (two sections of a site, a re-crawl). Each
//! copy's relations would add to the same edges, and a visit reported three times in
//! two copies would weigh six. Records carry their text's fingerprint
//! ([`Fingerprint`]); of the records that share one, only the copy with the least id
//! (then the least date) gives edges. Which copy that is does not depend on the order
//! the records come in, so the graph does not either; it takes two passes: every
//! record is [`Copies::observe`]d before any edge is added, which `graph` and `extract`
//! do anyway (their edges join the graph at the end).

use rustc_hash::FxHashMap;

use crate::record::{ArticleRecord, Fingerprint};

/// The copy that counts for each fingerprint, and how many records shared it.
#[derive(Debug, Default)]
pub struct Copies {
    kept: FxHashMap<Fingerprint, Kept>,
}

#[derive(Debug)]
struct Kept {
    id: Box<str>,
    date: Option<Box<str>>,
    /// Records seen with this fingerprint.
    seen: u64,
    /// Whether the kept copy's edges were added: a record read twice (same id, date
    /// and text, from two inputs) counts once too.
    added: bool,
}

impl Copies {
    /// None seen yet.
    pub fn new() -> Copies {
        Copies::default()
    }

    /// Notes `record`'s fingerprint and whether it is the copy to keep so far.
    pub fn observe(&mut self, record: &ArticleRecord) {
        let Some(fingerprint) = record.fingerprint else {
            return;
        };
        let date = record.date.as_deref();
        match self.kept.get_mut(&fingerprint) {
            Some(kept) => {
                kept.seen += 1;
                if (record.id.as_str(), date) < (&*kept.id, kept.date.as_deref()) {
                    kept.id = record.id.as_str().into();
                    kept.date = date.map(Into::into);
                }
            }
            None => {
                self.kept.insert(
                    fingerprint,
                    Kept {
                        id: record.id.as_str().into(),
                        date: date.map(Into::into),
                        seen: 1,
                        added: false,
                    },
                );
            }
        }
    }

    /// Whether `record`'s edges count, once every record was observed: true for a
    /// record without a fingerprint (an empty text, an older release's record) or not
    /// observed, and for the kept copy the first time it comes; false for the others.
    pub fn keeps(&mut self, record: &ArticleRecord) -> bool {
        let Some(kept) = record
            .fingerprint
            .and_then(|fingerprint| self.kept.get_mut(&fingerprint))
        else {
            return true;
        };
        let is_kept = *kept.id == *record.id && kept.date.as_deref() == record.date.as_deref();
        let first = is_kept && !kept.added;
        kept.added |= first;
        first
    }

    /// How many records observed were copies of another's text and give no edges.
    pub fn folded(&self) -> u64 {
        self.kept.values().map(|kept| kept.seen - 1).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, date: Option<&str>, text: &str) -> ArticleRecord {
        ArticleRecord {
            id: id.into(),
            date: date.map(Into::into),
            fingerprint: Fingerprint::of_text(text),
            mentions: Vec::new(),
            relations: Vec::new(),
            unknown: Vec::new(),
        }
    }

    /// The least id keeps its text's edges in any order of the records; a text of its
    /// own, a record without fingerprint and a second reading of the kept copy behave
    /// as they should.
    #[test]
    fn the_least_id_is_kept_in_any_order() {
        let visit = "التقى السراج مع كونتي في روما.";
        let records = [
            record("FR-middleEast-381", Some("2018-04-29"), visit),
            record("FR-internationalNews-997", Some("2018-04-29"), visit),
            record(
                "SK-middleEast-2275",
                Some("2018-06-10"),
                "ندد حفتر بالهجوم.",
            ),
            record("old", None, ""),
        ];
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]] {
            let mut copies = Copies::new();
            for &i in &order {
                copies.observe(&records[i]);
            }
            assert_eq!(copies.folded(), 1);
            let kept: Vec<&str> = order
                .iter()
                .filter(|&&i| copies.keeps(&records[i]))
                .map(|&i| records[i].id.as_str())
                .collect();
            let mut kept = kept;
            kept.sort_unstable();
            assert_eq!(
                kept,
                ["FR-internationalNews-997", "SK-middleEast-2275", "old"]
            );
            assert!(
                !copies.keeps(&records[1]),
                "the kept copy read a second time"
            );
        }
    }
}
