//! Unknown strings over a run: the actor slots that named nobody known, merged into the
//! rows of unknown.csv, so that every run says whom it missed.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::record::ArticleRecord;
use crate::record::Date;

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
/// thousands of these, most of them once, and keeps them all until the end:
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
    use super::UnknownTally;
    use crate::record::{ArticleRecord, Field, UnknownActor};

    fn record(id: &str, date: Option<&str>, texts: &[&str]) -> ArticleRecord {
        ArticleRecord {
            id: id.into(),
            date: date.map(String::from),
            fingerprint: None,
            mentions: vec![],
            relations: vec![],
            unknown: texts
                .iter()
                .map(|t| UnknownActor {
                    start: 0,
                    end: 1,
                    text: t.to_string(),
                    rule: "meets.met".into(),
                    trigger: "التقى".into(),
                    field: Field::Text,
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
            let mut tally = UnknownTally::new();
            for &i in order {
                tally.add_record(&records[i]);
            }
            format!("{:?}", tally.rows().collect::<Vec<_>>())
        };
        let forward = rows(&[0, 1, 2]);
        assert_eq!(forward, rows(&[2, 1, 0]));
        assert_eq!(forward, rows(&[1, 0, 2]));
        // One row: whitespace runs count as one space; 4 occurrences in 3 articles.
        let mut tally = UnknownTally::new();
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
        let mut tally = UnknownTally::new();
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
