//! Actor slots that name nobody the gazetteers know.
//!
//! A rule's trigger says where actors stand: right after a verb or verbal noun
//! («استقبل X», «زيارة X») and after the rule's preposition («التقى ... مع X»). When the
//! words there resolve to no entity, they are most often a name the gazetteers lack.
//! `SlotFinder` finds them in one field; [`UnknownTally`] merges them over a run into
//! `unknown.csv`, so that every run says whom it missed.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::gazetteer::{Date, Shape, Trigger};
use crate::lexicon::LexMatch;
use crate::pipeline::cues::Cues;
use crate::record::{ArticleRecord, RelationKind};
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
    pub fn slots(&self, triggers: &[LexMatch]) -> Vec<Slot> {
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

/// One unknown string over a run, borrowed from the tally.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownRow<'a> {
    /// The string as written.
    pub text: &'a str,
    /// Occurrences.
    pub count: u64,
    /// Articles it occurs in.
    pub articles: u64,
    /// Earliest article date.
    pub first_date: Option<Date>,
    /// Latest article date.
    pub last_date: Option<Date>,
    /// Occurrences per rule, by rule id.
    pub rules: Vec<(&'a str, u64)>,
    /// The least (article id, trigger) it was seen with: an example to look up.
    pub example: (&'a str, &'a str),
}

/// [`UnknownRow`] as kept while a run goes on. A run over a dump meets tens of
/// thousands of these, three in four of them once, and keeps them all until the end:
/// so counts are `u32`, the rules a slice sized to fit, and the key and the example one
/// string.
#[derive(Debug, Clone)]
struct Tally {
    /// The key, then the example's article id, then its trigger.
    strings: Box<str>,
    key_len: u32,
    id_len: u32,
    count: u32,
    articles: u32,
    first_date: Option<Date>,
    last_date: Option<Date>,
    /// (rule index, occurrences).
    rules: Box<[(u32, u32)]>,
}

impl Tally {
    /// A row for `key`, not yet counted.
    fn new(key: &str) -> Tally {
        Tally {
            strings: key.into(),
            key_len: key.len() as u32,
            id_len: 0,
            count: 0,
            articles: 0,
            first_date: None,
            last_date: None,
            rules: Box::default(),
        }
    }

    fn key(&self) -> &str {
        &self.strings[..self.key_len as usize]
    }

    /// The least (article id, trigger) seen so far.
    fn example(&self) -> (&str, &str) {
        self.strings[self.key_len as usize..].split_at(self.id_len as usize)
    }

    fn set_example(&mut self, id: &str, trigger: &str) {
        self.strings = [self.key(), id, trigger].concat().into_boxed_str();
        self.id_len = id.len() as u32;
    }

    fn count_rule(&mut self, rule: u32) {
        match self.rules.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, count)) => *count = count.saturating_add(1),
            None => {
                let mut rules = std::mem::take(&mut self.rules).into_vec();
                rules.push((rule, 1));
                self.rules = rules.into_boxed_slice();
            }
        }
    }
}

/// Unknown slot strings merged over any number of records, order-independently.
#[derive(Debug, Clone, Default)]
pub struct UnknownTally {
    rules: Vec<String>,
    rule_ids: HashMap<Box<str>, u32>,
    /// Indices into `rows`, by the hash of the row's key: four bytes a row, where a map
    /// from keys to rows would hold a whole row in every one of its slots, used or not.
    index: HashTable<u32>,
    rows: Rows,
}

/// The tally's rows, in pages of [`Rows::PAGE`]: a run over a dump meets tens of
/// thousands of strings, and a vector that doubles would hold up to as many empty rows
/// again (and the old rows and the new while it grows).
#[derive(Debug, Clone, Default)]
struct Rows {
    pages: Vec<Vec<Tally>>,
}

impl Rows {
    const PAGE: usize = 1024;

    /// Adds `row` and returns its index.
    fn push(&mut self, row: Tally) -> usize {
        if self
            .pages
            .last()
            .is_none_or(|page| page.len() == Rows::PAGE)
        {
            self.pages.push(Vec::with_capacity(Rows::PAGE));
        }
        let last = self.pages.len() - 1;
        self.pages[last].push(row);
        last * Rows::PAGE + self.pages[last].len() - 1
    }

    fn iter(&self) -> impl Iterator<Item = &Tally> {
        self.pages.iter().flatten()
    }
}

impl std::ops::Index<usize> for Rows {
    type Output = Tally;

    fn index(&self, index: usize) -> &Tally {
        &self.pages[index / Rows::PAGE][index % Rows::PAGE]
    }
}

impl std::ops::IndexMut<usize> for Rows {
    fn index_mut(&mut self, index: usize) -> &mut Tally {
        &mut self.pages[index / Rows::PAGE][index % Rows::PAGE]
    }
}

fn hash(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

/// The key a string is counted under: as written, with every whitespace run (a line
/// break, a no-break space) one space. Folding each occurrence would cost more than the
/// spelling variants it would merge.
fn key(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(|c: char| c.is_whitespace() && c != ' ') || text.contains("  ") {
        text.split_whitespace().collect::<Vec<_>>().join(" ").into()
    } else {
        text.into()
    }
}

impl UnknownTally {
    /// An empty tally.
    pub fn new() -> UnknownTally {
        UnknownTally::default()
    }

    fn rule_index(&mut self, rule: &str) -> u32 {
        if let Some(&index) = self.rule_ids.get(rule) {
            return index;
        }
        let index = self.rules.len() as u32;
        self.rules.push(rule.to_string());
        self.rule_ids.insert(rule.into(), index);
        index
    }

    /// Adds the unknown slots of one record.
    pub fn add_record(&mut self, record: &ArticleRecord) {
        let date = record.date.as_deref().and_then(Date::parse);
        let mut in_this_article: HashSet<std::borrow::Cow<'_, str>> = HashSet::new();
        for unknown in &record.unknown {
            let rule = self.rule_index(&unknown.rule);
            let text = key(&unknown.text);
            let UnknownTally { index, rows, .. } = self;
            let text_hash = hash(&text);
            let at = match index.find(text_hash, |&i| rows[i as usize].key() == text) {
                Some(&i) => i as usize,
                None => {
                    let at = rows.push(Tally::new(&text));
                    index.insert_unique(text_hash, at as u32, |&i| hash(rows[i as usize].key()));
                    at
                }
            };
            let row = &mut rows[at];
            let first = row.count == 0;
            row.count = row.count.saturating_add(1);
            if in_this_article.insert(text) {
                row.articles = row.articles.saturating_add(1);
            }
            if let Some(date) = date {
                row.first_date = Some(row.first_date.map_or(date, |d| d.min(date)));
                row.last_date = Some(row.last_date.map_or(date, |d| d.max(date)));
            }
            row.count_rule(rule);
            let example = (record.id.as_str(), unknown.trigger.as_str());
            if first || example < row.example() {
                row.set_example(example.0, example.1);
            }
        }
    }

    /// The rows, most frequent first. They are made one at a time as they are read, so
    /// that writing `unknown.csv` does not hold a second copy of the tally.
    pub fn rows(&self) -> impl Iterator<Item = UnknownRow<'_>> {
        let mut order: Vec<&Tally> = self.rows.iter().collect();
        order.sort_unstable_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(b.articles.cmp(&a.articles))
                .then(a.key().cmp(b.key()))
        });
        order.into_iter().map(|t| {
            let mut rules: Vec<(&str, u64)> = t
                .rules
                .iter()
                .map(|&(r, n)| (self.rules[r as usize].as_str(), u64::from(n)))
                .collect();
            rules.sort_unstable();
            UnknownRow {
                text: t.key(),
                count: u64::from(t.count),
                articles: u64::from(t.articles),
                first_date: t.first_date,
                last_date: t.last_date,
                rules,
                example: t.example(),
            }
        })
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

    fn record(id: &str, date: Option<&str>, texts: &[&str]) -> crate::ArticleRecord {
        crate::ArticleRecord {
            id: id.into(),
            date: date.map(String::from),
            mentions: vec![],
            relations: vec![],
            unknown: texts
                .iter()
                .map(|t| crate::record::UnknownActor {
                    start: 0,
                    end: 1,
                    text: t.to_string(),
                    rule: "meets.met".into(),
                    trigger: "التقى".into(),
                    field: crate::record::Field::Text,
                })
                .collect(),
        }
    }

    #[test]
    fn the_tally_does_not_depend_on_the_order_of_records() {
        let records = [
            record("", None, &["كريستوفر هيل"]),
            record("b", Some("2020-03-02"), &["كريستوفر  هيل", "كريستوفر هيل"]),
            record("a", Some("2020-01-02"), &["كريستوفر\nهيل"]),
        ];
        let rows = |order: &[usize]| {
            let mut tally = super::UnknownTally::new();
            for &i in order {
                tally.add_record(&records[i]);
            }
            format!("{:?}", tally.rows().collect::<Vec<_>>())
        };
        let forward = rows(&[0, 1, 2]);
        assert_eq!(forward, rows(&[2, 1, 0]));
        assert_eq!(forward, rows(&[1, 0, 2]));
        // One row: whitespace runs count as one space; 4 occurrences in 3 articles.
        let mut tally = super::UnknownTally::new();
        records.iter().for_each(|r| tally.add_record(r));
        let all: Vec<_> = tally.rows().collect();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!((all[0].count, all[0].articles), (4, 3));
        assert_eq!(all[0].first_date.unwrap().to_string(), "2020-01-02");
        assert_eq!(all[0].last_date.unwrap().to_string(), "2020-03-02");
    }

    /// Rows are kept in pages: strings met before and after a page fills are found
    /// again and counted on the same row.
    #[test]
    fn rows_are_found_again_across_pages() {
        let names: Vec<String> = (0..2 * super::Rows::PAGE + 5)
            .map(|i| format!("name {i}"))
            .collect();
        let texts: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut tally = super::UnknownTally::new();
        tally.add_record(&record("a", None, &texts));
        tally.add_record(&record("b", None, &texts[..3]));
        tally.add_record(&record("c", None, &texts[texts.len() - 2..]));
        let rows: Vec<_> = tally.rows().collect();
        assert_eq!(rows.len(), names.len());
        let count = |name: &str| rows.iter().find(|r| r.text == name).unwrap().count;
        assert_eq!(count("name 0"), 2);
        assert_eq!(count("name 1024"), 1);
        assert_eq!(count(&names[names.len() - 1]), 2);
    }
}
