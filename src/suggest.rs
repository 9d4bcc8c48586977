//! Candidate names for the gazetteers: words that Arabic news puts after titles,
//! organisation heads and place words, which the gazetteers do not know yet.
//!
//! [`Suggester`] reads articles one by one; [`Suggester::write_tsv`] writes the
//! candidates in the entity format (gazetteers/README.md), so that the file loads
//! as is with `--gazetteer`, the evidence in its `source` column.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use crate::{Article, Extractor};

/// Title words after which a person's name usually follows, without the article
/// «ال» (matched with or without it); longest first.
const TITLES: &[&[&str]] = &[
    &["رئيس", "الوزراء"],
    &["وزير", "الخارجية"],
    &["متحدث", "باسم"],
    &["رئيس"],
    &["وزير"],
    &["سفير"],
    &["شيخ"],
    &["أمير"],
    &["لواء"],
    &["عقيد"],
    &["قائد"],
    &["زعيم"],
];

/// Heads of organisation names.
const ORG_HEADS: &[&str] = &[
    "حزب",
    "حركة",
    "جماعة",
    "تنظيم",
    "ميليشيا",
    "مجلس",
    "وزارة",
    "هيئة",
];

/// Words before a place name.
const PLACE_WORDS: &[&str] = &["مدينة", "بلدة", "منطقة", "محافظة", "ولاية", "إقليم"];

/// Function words and time words that are never part of a name.
const STOP: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "مع",
    "أن",
    "إن",
    "ان",
    "التي",
    "الذي",
    "الذين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "كان",
    "كانت",
    "قد",
    "لقد",
    "لم",
    "لن",
    "لا",
    "ما",
    "وهو",
    "وهي",
    "هو",
    "هي",
    "أمس",
    "اليوم",
    "غدا",
    "الجديد",
    "الجديدة",
    "السابق",
    "السابقة",
    "الأسبق",
    "الحالي",
    "العام",
    "العامة",
    "الأول",
    "الأولى",
    "إنه",
    "أنه",
    "بعد",
    "قبل",
    "خلال",
    "حول",
    "بين",
    "عند",
    "حيث",
    "كما",
    "أيضا",
    "أيضاً",
    "يوم",
    "منذ",
    "حتى",
    "ثم",
    "أو",
    "أي",
    "كل",
    "بعض",
    "غير",
    "عبر",
    "ضد",
    "لدى",
    "نحو",
    "فيما",
    "بينما",
    "إذ",
    "إذا",
    "قال",
    "وقال",
    "أكد",
    "أعلن",
];

/// Longest example sentence kept, in characters.
const EXAMPLE_CHARS: usize = 200;

/// A proposed entity and its evidence.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The name as first seen.
    pub name: String,
    /// `PER`, `ORG` or `LOC`.
    pub kind: &'static str,
    /// Occurrences.
    pub count: usize,
    /// Ids of the articles it occurs in.
    pub articles: BTreeSet<String>,
    /// Earliest article date.
    pub first: Option<String>,
    /// Latest article date.
    pub last: Option<String>,
    /// Up to two sentences it occurs in.
    pub examples: Vec<String>,
}

/// Collects candidates over many articles.
pub struct Suggester<'a> {
    extractor: &'a Extractor,
    candidates: HashMap<(&'static str, String), Candidate>,
    known: HashMap<String, bool>,
}

fn is_word_char(c: char) -> bool {
    crate::normalize::is_word_char(c) || ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}'
}

/// A word without the proclitic «و».
fn strip_waw(word: &str) -> &str {
    match word.strip_prefix('و') {
        Some(rest) if rest.chars().count() >= 3 => rest,
        _ => word,
    }
}

/// A word without the article «ال», for matching titles and heads.
fn strip_al(word: &str) -> &str {
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest,
        _ => word,
    }
}

/// Whether `word` (maybe with the proclitic «و») is `key`, with or without «ال».
fn same(word: &str, key: &str) -> bool {
    let bare = strip_waw(word);
    word == key || bare == key || strip_al(word) == strip_al(key) || strip_al(bare) == strip_al(key)
}

/// Whether `word` (maybe with the proclitic «و») is the head `key`, as written.
fn is_head(word: &str, heads: &[&str]) -> bool {
    heads.contains(&word) || heads.contains(&strip_waw(word))
}

/// Particles inside a person's name: «تميم بن حمد».
const NAME_PARTICLES: &[&str] = &["بن", "بنت", "أبو", "ابن"];

/// Splits a sentence into clauses (at punctuation) of words.
fn clauses(sentence: &str) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let mut word = String::new();
    let push = |word: &mut String, out: &mut Vec<Vec<String>>| {
        if !word.is_empty() {
            out.last_mut().expect("one clause").push(word.clone());
            word.clear();
        }
    };
    for c in sentence.chars() {
        if is_word_char(c) {
            word.push(c);
        } else {
            push(&mut word, &mut out);
            if !c.is_whitespace() {
                out.push(Vec::new());
            }
        }
    }
    push(&mut word, &mut out);
    out.retain(|c| !c.is_empty());
    out
}

/// Sentences of a text, split at . ! ? ؟ and line breaks.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', '؟', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn is_stop(word: &str) -> bool {
    word.chars().count() < 3
        || word.chars().any(|c| c.is_numeric())
        || STOP.contains(&word)
        || STOP.contains(&strip_waw(word))
        || ORG_HEADS.iter().any(|h| same(word, h))
        || PLACE_WORDS.iter().any(|h| same(word, h))
        || TITLES.iter().any(|t| same(word, t[0]))
}

/// Text without TABs, line breaks or other control characters, spaces collapsed.
fn flat(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`flat`] text of at most `EXAMPLE_CHARS` characters.
fn clean(text: &str) -> String {
    let flat = flat(text);
    if flat.chars().count() > EXAMPLE_CHARS {
        let cut: String = flat.chars().take(EXAMPLE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

impl<'a> Suggester<'a> {
    /// A suggester that skips what `extractor` already finds.
    pub fn new(extractor: &'a Extractor) -> Suggester<'a> {
        Suggester {
            extractor,
            candidates: HashMap::new(),
            known: HashMap::new(),
        }
    }

    /// Whether the extractor finds any mention in `text` alone.
    fn knows(&mut self, text: &str) -> bool {
        if let Some(&known) = self.known.get(text) {
            return known;
        }
        let record = self.extractor.extract(&Article {
            id: String::new(),
            date: None,
            title: None,
            text: text.to_string(),
        });
        let known = !record.mentions.is_empty();
        self.known.insert(text.to_string(), known);
        known
    }

    /// Up to `max` name words from `words[at..]`: stops at a stop word or a known word.
    fn name_words(&mut self, words: &[String], at: usize, max: usize) -> Vec<String> {
        let mut out = Vec::new();
        for (n, word) in words.iter().skip(at).take(max).enumerate() {
            let particle = n > 0 && NAME_PARTICLES.contains(&word.as_str());
            if !particle && (is_stop(word) || self.knows(word)) {
                break;
            }
            out.push(word.clone());
        }
        // A name does not end in a particle.
        while out
            .last()
            .is_some_and(|w| NAME_PARTICLES.contains(&w.as_str()))
        {
            out.pop();
        }
        out
    }

    /// Collects the candidates of one article.
    pub fn add(&mut self, article: &Article) {
        let mut texts = Vec::new();
        if let Some(title) = &article.title {
            texts.push(title.as_str());
        }
        texts.push(article.text.as_str());
        for text in texts {
            for sentence in sentences(text) {
                for words in clauses(sentence) {
                    self.add_clause(&words, sentence, article);
                }
            }
        }
    }

    fn add_clause(&mut self, words: &[String], sentence: &str, article: &Article) {
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            // A head in construct state has no article: «حركة النجباء», not «الحركة».
            if is_head(word, ORG_HEADS) {
                let rest = self.name_words(words, i + 1, 2);
                if !rest.is_empty() {
                    let head = if ORG_HEADS.contains(&word.as_str()) {
                        word
                    } else {
                        strip_waw(word)
                    };
                    let name = format!("{} {}", head, rest.join(" "));
                    self.propose(name, "ORG", sentence, article);
                }
            } else if is_head(word, PLACE_WORDS) {
                let rest = self.name_words(words, i + 1, 1);
                if let Some(place) = rest.into_iter().next() {
                    self.propose(place, "LOC", sentence, article);
                }
            } else if let Some(title) = TITLES.iter().find(|t| {
                t.len() <= words.len() - i && t.iter().zip(&words[i..]).all(|(k, w)| same(w, k))
            }) {
                let mut at = i + title.len();
                // Skip what the gazetteers know right after the title: a nisba, a country.
                while at < words.len() && !is_stop(&words[at]) && self.knows(&words[at]) {
                    at += 1;
                }
                let rest = self.name_words(words, at, 3);
                // A name that runs on into a known one («إيمانويل ماكرون») is that one.
                // So is one that runs on through a particle («لويدجي دي مايو»).
                let next = at + rest.len();
                let runs_on = rest.len() < 3
                    && match words.get(next) {
                        Some(w) if !is_stop(w) => self.knows(w),
                        Some(w) if w.chars().count() < 3 && !STOP.contains(&w.as_str()) => {
                            let end = (next + 2).min(words.len());
                            self.knows(&words[at..end].join(" "))
                        }
                        _ => false,
                    };
                // «رئيس الجمهورية» is a title, not a name; a first name has no article.
                let article_first = rest.first().is_some_and(|w| {
                    ["ال", "وال", "بال", "فال", "كال", "لل"]
                        .iter()
                        .any(|p| w.starts_with(p))
                });
                if !rest.is_empty() && !runs_on && !article_first {
                    self.propose(rest.join(" "), "PER", sentence, article);
                }
                i += title.len();
                continue;
            }
            i += 1;
        }
    }

    fn propose(&mut self, name: String, kind: &'static str, sentence: &str, article: &Article) {
        if self.knows(&name) {
            return;
        }
        let key = (kind, crate::normalize::fold_surface(&name));
        let candidate = self.candidates.entry(key).or_insert_with(|| Candidate {
            name,
            kind,
            count: 0,
            articles: BTreeSet::new(),
            first: None,
            last: None,
            examples: Vec::new(),
        });
        candidate.count += 1;
        candidate.articles.insert(article.id.clone());
        if let Some(date) = &article.date {
            if candidate.first.as_ref().is_none_or(|d| date < d) {
                candidate.first = Some(date.clone());
            }
            if candidate.last.as_ref().is_none_or(|d| date > d) {
                candidate.last = Some(date.clone());
            }
        }
        let example = clean(sentence);
        if candidate.examples.len() < 2 && !candidate.examples.contains(&example) {
            candidate.examples.push(example);
        }
    }

    /// The candidates seen at least `min_count` times, most articles first, then most
    /// occurrences.
    pub fn ranked(&self, min_count: usize) -> Vec<&Candidate> {
        let mut out: Vec<&Candidate> = self
            .candidates
            .values()
            .filter(|c| c.count >= min_count)
            .collect();
        out.sort_by(|a, b| {
            b.articles
                .len()
                .cmp(&a.articles.len())
                .then(b.count.cmp(&a.count))
                .then(a.kind.cmp(b.kind))
                .then(a.name.cmp(&b.name))
        });
        out
    }

    /// Writes the ranked candidates as an entity file: ids `sug_N`, evidence in `source`.
    pub fn write_tsv(&self, out: &mut impl Write, min_count: usize) -> std::io::Result<usize> {
        writeln!(
            out,
            "# Suggested by `actorgraph gazetteer suggest`: check each row, give it a real id,\n\
             # label_en and country, and move it into a gazetteer file."
        )?;
        writeln!(out, "id\ttype\tname_ar\tlabel_en\tcountry\taliases\tsource")?;
        let ranked = self.ranked(min_count);
        for (n, c) in ranked.iter().enumerate() {
            let id = format!("sug_{}", n + 1);
            let dates = match (&c.first, &c.last) {
                (Some(first), Some(last)) => format!("{first}..{last}"),
                _ => "no date".to_string(),
            };
            let examples: Vec<String> = c.examples.iter().map(|e| format!("«{e}»")).collect();
            let source = flat(&format!(
                "suggested: {}× in {} articles, {dates}; e.g. {}",
                c.count,
                c.articles.len(),
                examples.join(" ")
            ));
            writeln!(
                out,
                "{id}\t{}\t{}\t{id}\t\t\t{source}",
                c.kind,
                clean(&c.name)
            )?;
        }
        Ok(ranked.len())
    }
}
