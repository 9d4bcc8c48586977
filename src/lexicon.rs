//! Word-bounded, clitic-aware dictionary matching over folded text.
//!
//! Surfaces are stored once, without the article ال, in one Aho-Corasick automaton
//! (leftmost-longest). A match is accepted when it ends at a word end and the letters
//! between the word start and the match are a valid run of proclitics: a conjunction
//! (و ف), a preposition (ب ل ك), the article (ال), or ل + ال written لل. Checking the
//! clitics at the match boundary keeps the pattern set small (one pattern per name,
//! not one per prefixed form) and the scan fast.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use std::collections::HashMap;

use crate::normalize::{fold_surface, is_word_char};

/// Whether a surface was written with the article, and so must appear with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    /// «السراج»: the text must carry ال (or لل).
    Required,
    /// «ليبيا»: the text must not carry ال.
    Forbidden,
}

/// The proclitics found before a match, inside its word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proclitics {
    /// و or ف.
    pub conjunction: Option<char>,
    /// ب, ل or ك.
    pub preposition: Option<char>,
    /// The article ال, or the ل + ال fusion لل.
    pub definite: bool,
    /// Bytes of the prefix that belong to the reported mention. The article is part
    /// of a name («السراج»), and so is a fused لل («للسراج»); و and a separate
    /// preposition are not («والإيطاليين» is reported as «الإيطاليين»).
    pub kept: usize,
}

impl Proclitics {
    /// Parses `prefix`, the letters between a word start and a match. `None` when the
    /// letters are not a run of proclitics.
    pub fn parse(prefix: &str) -> Option<Proclitics> {
        let mut rest = prefix;
        let mut clitics = Proclitics::default();
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, 'و' | 'ف')) {
            clitics.conjunction = Some(c);
            rest = &rest[c.len_utf8()..];
        }
        let after_conjunction = prefix.len() - rest.len();
        if let Some(tail) = rest.strip_prefix("لل") {
            if tail.is_empty() {
                clitics.preposition = Some('ل');
                clitics.definite = true;
                clitics.kept = prefix.len() - after_conjunction;
                return Some(clitics);
            }
        }
        if let Some(c) = rest.chars().next().filter(|c| matches!(c, 'ب' | 'ل' | 'ك')) {
            if rest.len() == c.len_utf8() || rest[c.len_utf8()..].starts_with("ال") {
                clitics.preposition = Some(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        match rest {
            "" => Some(clitics),
            "ال" => {
                clitics.definite = true;
                clitics.kept = 2 * 'ا'.len_utf8();
                Some(clitics)
            }
            _ => None,
        }
    }
}

/// One value attached to a surface, with the article the surface was written with.
#[derive(Debug, Clone, Copy)]
struct Value {
    value: u32,
    article: Article,
}

#[derive(Debug, Clone, Default)]
struct Pattern {
    open_end: bool,
    values: Vec<Value>,
}

/// Collects surfaces, then compiles them into a [`Lexicon`].
#[derive(Debug, Default)]
pub struct LexiconBuilder {
    keys: HashMap<(String, bool), usize>,
    stems: Vec<String>,
    patterns: Vec<Pattern>,
}

impl LexiconBuilder {
    /// An empty builder.
    pub fn new() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// Adds `surface` with `value`. A trailing `*` lets the last word continue (for
    /// suffixed pronouns: «زيارت*» matches «زيارته»). Returns false when the surface
    /// folds to nothing.
    pub fn add(&mut self, surface: &str, value: u32) -> bool {
        let (surface, open_end) = match surface.strip_suffix('*') {
            Some(s) => (s, true),
            None => (surface, false),
        };
        let folded = fold_surface(surface);
        let (stem, article) = match folded.strip_prefix("ال") {
            Some(stem) if stem.chars().count() >= 2 => (stem.to_string(), Article::Required),
            _ => (folded, Article::Forbidden),
        };
        if !stem.chars().any(is_word_char) {
            return false;
        }
        let index = *self
            .keys
            .entry((stem.clone(), open_end))
            .or_insert_with(|| {
                self.stems.push(stem);
                self.patterns.push(Pattern {
                    open_end,
                    values: Vec::new(),
                });
                self.patterns.len() - 1
            });
        let values = &mut self.patterns[index].values;
        if !values
            .iter()
            .any(|v| v.value == value && v.article == article)
        {
            values.push(Value { value, article });
        }
        true
    }

    /// Number of distinct stems added so far.
    pub fn len(&self) -> usize {
        self.stems.len()
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }

    /// Compiles the automaton.
    pub fn build(self) -> Result<Lexicon, aho_corasick::BuildError> {
        // A DFA is fastest for the few thousand built-in stems; beyond that its
        // memory and build time grow too much, and the contiguous NFA is the better trade.
        let kind = if self.stems.len() <= 20_000 {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .build(&self.stems)?;
        Ok(Lexicon {
            automaton,
            patterns: self.patterns,
        })
    }
}

/// A compiled set of surfaces.
#[derive(Debug, Clone)]
pub struct Lexicon {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

/// One accepted match in folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexMatch {
    /// Start of the word that holds the match (before any proclitic).
    pub word_start: usize,
    /// Start of the reported span: after و and a separate preposition, at the article.
    pub start: usize,
    /// End of the match (exclusive).
    pub end: usize,
    /// The proclitics before the stem.
    pub proclitics: Proclitics,
    /// The values whose article requirement this occurrence meets, in insertion order.
    pub values: Vec<u32>,
}

impl Lexicon {
    /// Every accepted match in `text` (folded), left to right, not overlapping.
    pub fn find_all(&self, text: &str) -> Vec<LexMatch> {
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let Some(m) = self.automaton.find(Input::new(text).span(at..text.len())) else {
                break;
            };
            match self.accept(text, m.pattern().as_usize(), m.start(), m.end()) {
                Some(accepted) => {
                    at = m.end();
                    found.push(accepted);
                }
                // A rejected match may hide a real one that starts inside it.
                None => at = next_char(text, m.start()),
            }
        }
        found
    }

    fn accept(&self, text: &str, pattern: usize, start: usize, end: usize) -> Option<LexMatch> {
        let pattern_info = &self.patterns[pattern];
        if !pattern_info.open_end && text[end..].chars().next().is_some_and(is_word_char) {
            return None;
        }
        let word_start = text[..start]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word_char(c))
            .last()
            .map_or(start, |(i, _)| i);
        let proclitics = Proclitics::parse(&text[word_start..start])?;
        let values: Vec<u32> = pattern_info
            .values
            .iter()
            .filter(|v| match v.article {
                Article::Required => proclitics.definite,
                Article::Forbidden => !proclitics.definite,
            })
            .map(|v| v.value)
            .collect();
        if values.is_empty() {
            return None;
        }
        let definite_prefix = if proclitics.definite {
            proclitics.kept
        } else {
            0
        };
        // An open end reports the whole word («زيارته», not «زيارت»).
        let end = if pattern_info.open_end {
            end + text[end..]
                .find(|c: char| !is_word_char(c))
                .unwrap_or(text.len() - end)
        } else {
            end
        };
        Some(LexMatch {
            word_start,
            start: start - definite_prefix,
            end,
            proclitics,
            values,
        })
    }
}

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Folded;

    fn lexicon(surfaces: &[&str]) -> Lexicon {
        let mut builder = LexiconBuilder::new();
        for (i, s) in surfaces.iter().enumerate() {
            assert!(builder.add(s, i as u32));
        }
        builder.build().unwrap()
    }

    /// (text, expected matched original words with value): one row per clitic form.
    const CLITICS: &[(&str, &[(&str, u32)])] = &[
        ("زيارة السراج للجزائر", &[("السراج", 0), ("للجزائر", 1)]),
        ("لقاء للسراج", &[("للسراج", 0)]),
        ("وللسراج", &[("للسراج", 0)]),
        (
            "بالسراج وكالسراج فالسراج",
            &[("السراج", 0), ("السراج", 0), ("السراج", 0)],
        ),
        ("والجزائر", &[("الجزائر", 1)]),
        ("سراج", &[]),
        ("السراجي", &[]),
        (
            "وليبيا بليبيا لليبيا",
            &[("ليبيا", 2), ("ليبيا", 2), ("ليبيا", 2)],
        ),
        ("الليبيا", &[]),
        ("مع تبون", &[("تبون", 3)]),
        ("وزيرليبيا", &[]),
        (
            "حكومة الوفاق ولحكومة الوفاق",
            &[("حكومة الوفاق", 4), ("حكومة الوفاق", 4)],
        ),
        ("عبدالمجيد", &[]),
        ("والإيطاليين", &[("الإيطاليين", 5)]),
        ("الإيطاليين", &[("الإيطاليين", 5)]),
    ];

    #[test]
    fn clitic_forms_resolve_to_the_name() {
        let lex = lexicon(&[
            "السراج",
            "الجزائر",
            "ليبيا",
            "تبون",
            "حكومة الوفاق",
            "الإيطاليين",
            "إيطاليين",
        ]);
        for (text, expected) in CLITICS {
            let folded = Folded::new(text);
            let found: Vec<(&str, u32)> = lex
                .find_all(&folded.text)
                .iter()
                .map(|m| {
                    let (s, e) = folded.original(m.start, m.end);
                    (&text[s..e], m.values[0])
                })
                .collect();
            assert_eq!(found, *expected, "in {text}");
        }
    }

    #[test]
    fn open_end_lets_pronoun_suffixes_through() {
        let lex = lexicon(&["زيارت*"]);
        let folded = Folded::new("خلال زيارته إلى إيطاليا");
        assert_eq!(lex.find_all(&folded.text).len(), 1);
    }

    #[test]
    fn rejected_match_does_not_hide_a_later_one() {
        let lex = lexicon(&["مالي", "ليبيا"]);
        let folded = Folded::new("شماليبيا ليبيا");
        let found = lex.find_all(&folded.text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].start,
            folded.text.find("ليبيا ").map(|_| 17).unwrap()
        );
    }

    #[test]
    fn proclitic_runs_parse() {
        let cases: &[(&str, Option<(bool, usize)>)] = &[
            ("", Some((false, 0))),
            ("و", Some((false, 0))),
            ("وب", Some((false, 0))),
            ("ال", Some((true, 4))),
            ("وال", Some((true, 4))),
            ("بال", Some((true, 4))),
            ("لل", Some((true, 4))),
            ("ولل", Some((true, 4))),
            ("فلل", Some((true, 4))),
            ("س", None),
            ("بب", None),
            ("الو", None),
        ];
        for (prefix, expected) in cases {
            let parsed = Proclitics::parse(prefix).map(|p| (p.definite, p.kept));
            assert_eq!(parsed, *expected, "prefix {prefix:?}");
        }
    }
}
