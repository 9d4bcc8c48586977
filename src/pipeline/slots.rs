//! Actor slots that name nobody the gazetteers know.
//!
//! A rule's trigger says where actors stand: right after a verb or verbal noun
//! («استقبل X», «زيارة X») and after the rule's preposition («التقى ... مع X»). When the
//! words there resolve to no entity, they are most often a name the gazetteers lack.
//! `SlotFinder` finds them in one field; the graph's `UnknownTally` merges them over a
//! run into `unknown.csv`.

use std::ops::Range;

use crate::gazetteer::{Shape, Trigger};
use crate::lexicon::LexMatch;
use crate::pipeline::cues::Cues;
use crate::record::RelationKind;
use crate::text::arabic::{PRONOUNS, carries_article, is_name_particle};
use crate::text::fold::word_end;

/// Most words kept in one slot: a name is rarely longer («خليفة بلقاسم حفتر»).
const MAX_WORDS: usize = 3;

/// How many words after a trigger its preposition may stand («التقى أمس في القاهرة مع X»).
const MARKER_REACH: usize = 6;

/// What covers a word of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cover {
    /// A resolved mention: the slot names someone known.
    Mention,
    /// A resolved mention that opens with a title («رئيس المجلس الرئاسي»): a name
    /// before it is another person's.
    TitledMention,
    /// A title or nisba that resolved to nobody («الرئيس»): the name may follow it.
    Title,
    /// Nothing known.
    Free,
}

/// One unfilled slot in folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    /// The words in the slot.
    pub span: Range<usize>,
    /// Index of the rule in the gazetteer's triggers.
    pub rule: usize,
    /// The trigger match.
    pub trigger: Range<usize>,
}

/// The next word at or after `from`, across spaces only: punctuation and line breaks
/// end a slot (folding has made every other whitespace run one space).
fn next_word(text: &str, from: usize) -> Option<Range<usize>> {
    let rest = &text[from..];
    let skipped = rest.len() - rest.trim_start_matches(' ').len();
    let start = from + skipped;
    let end = word_end(text, start);
    (end > start).then_some(start..end)
}

/// Finds the unfilled actor slots of one folded field.
pub(crate) struct SlotFinder<'a> {
    /// The folded text.
    pub text: &'a str,
    /// The rules, indexed by a trigger match's values.
    pub rules: &'a [Trigger],
    /// The cue word lists.
    pub cues: &'a Cues,
    /// What covers each stretch of text, sorted by start, not overlapping.
    pub covers: &'a [(Range<usize>, Cover)],
}

impl SlotFinder<'_> {
    fn cover(&self, word: &Range<usize>) -> Cover {
        let after = self.covers.partition_point(|(r, _)| r.end <= word.start);
        self.covers[after..]
            .iter()
            .take_while(|(r, _)| r.start < word.end)
            .map(|&(_, cover)| cover)
            .min_by_key(|cover| match cover {
                Cover::Mention | Cover::TitledMention => 0,
                Cover::Title => 1,
                Cover::Free => 2,
            })
            .unwrap_or(Cover::Free)
    }

    /// The unknown name starting at `from`, if the slot there holds one.
    fn collect(&self, from: usize, allow_definite: bool) -> Option<Range<usize>> {
        let mut at = from;
        let mut words: Vec<Range<usize>> = Vec::new();
        let mut skipped = 0;
        while let Some(word) = next_word(self.text, at) {
            let text = &self.text[word.clone()];
            // Inside a name, a word with the conjunction و starts the next clause or
            // the next actor («كريستوفر هيل والسراج», «... وينذر»).
            if !words.is_empty() && text.starts_with('و') {
                break;
            }
            let cover = self.cover(&word);
            // A name that runs into a known one («فايز» before «السراج») is that one.
            match cover {
                Cover::Mention => return None,
                Cover::TitledMention if words.is_empty() => return None,
                Cover::TitledMention => break,
                _ => {}
            }
            if words.is_empty()
                && skipped < MAX_WORDS
                && (cover == Cover::Title || self.cues.is_honorific(text))
            {
                skipped += 1;
                at = word.end;
                continue;
            }
            if cover == Cover::Title {
                break;
            }
            // A pronoun suffix makes a word no name («قيمتها», «بينهم»). A final ه is
            // left alone: folding writes ة as ه.
            if text.chars().count() > 3 && PRONOUNS.iter().any(|p| text.ends_with(p)) {
                break;
            }
            // «بن زايد» after a trigger continues a name left unsaid.
            if words.is_empty() && is_name_particle(text) {
                return None;
            }
            let particle = !words.is_empty() && is_name_particle(text);
            if !particle
                && (self.cues.ends_name(text)
                    || text.chars().any(char::is_numeric)
                    || text.chars().count() < 2)
            {
                break;
            }
            at = word.end;
            words.push(word);
            if words.len() == MAX_WORDS {
                break;
            }
        }
        while words
            .last()
            .is_some_and(|w| is_name_particle(&self.text[w.clone()]))
        {
            words.pop();
        }
        let (first, last) = (words.first()?, words.last()?);
        if !allow_definite && carries_article(&self.text[first.clone()]) {
            return None;
        }
        Some(first.start..last.end)
    }

    /// The slots of every rule at every trigger, in text order, each span once.
    pub(crate) fn slots(&self, triggers: &[LexMatch]) -> Vec<Slot> {
        let mut found: Vec<Slot> = Vec::new();
        for trigger in triggers {
            for &rule_index in &trigger.values {
                let rule = &self.rules[rule_index as usize];
                // A meeting's other side is a person whatever its form («استقبل
                // السراج»); after other triggers a definite word is mostly a common
                // noun («دعم الاقتصاد», «أدان الهجوم»).
                let allow_definite = rule.kind == RelationKind::Meets && rule.shape == Shape::Verb;
                let mut push = |span: Range<usize>| {
                    found.push(Slot {
                        span,
                        rule: rule_index as usize,
                        trigger: trigger.word_start..trigger.end,
                    });
                };
                // After a verb stands its subject or object; after a verbal noun as
                // often an adjective («معارك عنيفة», «زيارة رسمية»), so only the
                // preposition's slot counts there.
                if rule.shape == Shape::Verb
                    && let Some(span) = self.collect(trigger.end, allow_definite)
                {
                    push(span);
                }
                if let Some(marker_end) = self.marker_after(trigger.end, rule)
                    && let Some(span) = self.collect(marker_end, allow_definite)
                {
                    push(span);
                }
            }
        }
        // Each span once, for the first trigger that reached it (the sort is stable).
        found.sort_by_key(|s| (s.span.start, s.span.end));
        found.dedup_by(|later, first| later.span == first.span);
        found
    }

    /// The end of the first separate-word preposition of `rule` within reach.
    fn marker_after(&self, from: usize, rule: &Trigger) -> Option<usize> {
        let mut at = from;
        for _ in 0..MARKER_REACH {
            let word = next_word(self.text, at)?;
            let text = &self.text[word.clone()];
            if text.chars().count() > 1 && rule.markers.iter().any(|m| m == text) {
                return Some(word.end);
            }
            at = word.end;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::extract::test_run;

    fn unknown(text: &str) -> Vec<(String, String)> {
        test_run(text)
            .unknown
            .into_iter()
            .map(|u| (u.text, u.rule))
            .collect()
    }

    #[test]
    fn slots_report_what_no_entry_names() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // An unknown guest after a meeting verb, and after the rule's preposition.
            (
                "استقبل كريستوفر هيل رئيس المجلس الرئاسي فايز السراج في طرابلس.",
                &[("كريستوفر هيل", "meets.received")],
            ),
            (
                "التقى أمس في روما مع زعيم قبيلة محلية.",
                &[("زعيم قبيلة محلية", "meets.met")],
            ),
            // A title that names nobody is skipped; the name after it is reported.
            (
                "استقبل الرئيس بيدرو سانشيز.",
                &[("بيدرو سانشيز", "meets.received")],
            ),
            // Known actors fill the slots, and a first name runs into a known
            // surname: nothing to report.
            ("استقبل فايز السراج وزير الخارجية الإيطالي.", &[]),
            // A definite common noun after a non-meeting trigger is no name.
            ("دعم الاقتصاد الليبي.", &[]),
            // A known actor joined with و ends the unknown one.
            (
                "استقبل كريستوفر هيل والسراج في طرابلس.",
                &[("كريستوفر هيل", "meets.received")],
            ),
            // A slot ends at a line break, and «بن» opens no name.
            ("استقبل\nكريستوفر هيل", &[]),
            ("استقبل بن زايد الوفد", &[]),
            // A stop word ends the slot before it begins.
            ("التقى أمس بالوفد.", &[]),
        ];
        for (text, expected) in table {
            let found = unknown(text);
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(t, r)| (t.to_string(), r.to_string()))
                .collect();
            assert_eq!(found, expected, "{text}");
        }
    }
}
