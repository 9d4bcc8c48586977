//! `actorgraph explain`: each relation shown the way an analyst checks it.
//!
//! ```text
//! seed-article · 2020-06-23 · text 607–698 · rule meets.discussed · fact
//!   Fayez al-Sarraj (sarraj) — meets — Luigi Di Maio (dimaio)
//!   <وناقش> الرئيس [السراج] مع وزير الخارجية الإيطالي {لويدجي دي مايو} في طرابلس خلال الأسبوع الماضي؛
//! ```
//!
//! In the sentence the source is in `[ ]`, the target in `{ }` and the trigger in
//! `< >` (on a terminal they are coloured too). A side named outside the sentence (a
//! subject carried over from an earlier one) is marked `^` after its name in the second
//! line, with where it was named, since the sentence cannot show it. Offsets are code
//! points into the article's text (or title).

use std::io::Write;

use super::escape::terminal_escape;
use crate::graph::filter::View;
use crate::record::{ArticleRecord, Relation};

/// The first line of `explain` output: how to read the rest.
pub const LEGEND: &str = "# [source] {target} <trigger>; ^ a side named before the sentence; a negated or hedged relation is not a fact and draws no edge";

const BOLD_CYAN: &str = "\x1b[1;36m";
const BOLD_MAGENTA: &str = "\x1b[1;35m";
const YELLOW_UNDERLINE: &str = "\x1b[4;33m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

/// Whether to colour: never when `NO_COLOR` is set, else when `is_terminal`.
pub fn use_colour(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// One relation of a record, as three lines (each ending in a line break).
pub fn explain_relation(record: &ArticleRecord, relation: &Relation, colour: bool) -> String {
    // Every piece from the record is escaped for the terminal: a record is data, and an
    // id or a label could hold an escape sequence or a line break.
    let label = |side: &crate::record::Endpoint| {
        let id = terminal_escape(&side.entity);
        let name = record
            .mentions
            .iter()
            .find(|m| m.entity == side.entity)
            .map_or_else(
                || id.to_string(),
                |m| format!("{} ({id})", terminal_escape(&m.label)),
            );
        // «وزير الداخلية الليبي» with no known holder: the state, through that office.
        let name = match &side.office {
            Some(office) => format!("{name} through its {}", terminal_escape(office)),
            None => name,
        };
        if in_sentence(relation, side) {
            name
        } else {
            format!("{name} ^named before, at {}–{}", side.start, side.end)
        }
    };
    let flags = match (relation.negated, relation.hedged) {
        (false, false) => "fact".to_string(),
        (true, false) => "NEGATED: not a fact".to_string(),
        (false, true) => "HEDGED (question or condition): not a fact".to_string(),
        (true, true) => "NEGATED, HEDGED: not a fact".to_string(),
    };
    let flags = if colour && !relation.is_fact() {
        format!("{RED}{flags}{RESET}")
    } else {
        flags
    };
    let mut out = format!(
        "{}{} · {} {}–{} · rule {} · {flags}\n",
        terminal_escape(&record.id),
        record
            .date
            .as_deref()
            .map(|d| format!(" · {}", terminal_escape(d)))
            .unwrap_or_default(),
        relation.field.as_str(),
        relation.sentence.start,
        relation.sentence.end,
        terminal_escape(&relation.rule),
    );
    let arrow = if relation.kind.is_symmetric() {
        "—"
    } else {
        "→"
    };
    out.push_str(&format!(
        "  {} — {} {arrow} {}\n  ",
        label(&relation.source),
        relation.kind.as_str(),
        label(&relation.target)
    ));
    out.push_str(&mark_sentence(relation, colour));
    out.push('\n');
    out
}

/// Writes [`LEGEND`], then every relation of `records` that `view` keeps, a blank
/// line between them; returns how many.
pub fn write_explanations(
    out: &mut impl Write,
    records: &[ArticleRecord],
    view: &View,
    colour: bool,
) -> std::io::Result<usize> {
    writeln!(out, "{LEGEND}")?;
    let mut count = 0;
    for record in records {
        for relation in record.relations.iter().filter(|r| view.keeps_relation(r)) {
            write!(out, "\n{}", explain_relation(record, relation, colour))?;
            count += 1;
        }
    }
    out.flush()?;
    Ok(count)
}

/// Whether a side of `relation` was named inside its sentence (not carried over from an
/// earlier one).
pub fn in_sentence(relation: &Relation, side: &crate::record::Endpoint) -> bool {
    relation.sentence.start <= side.start && side.end <= relation.sentence.end
}

/// One relation as a JSON object for `explain --json`: the relation as in the record,
/// with its article, date, the sides' labels, whether each side was named in the
/// sentence, and the sentence marked as `explain` prints it.
pub fn relation_json(record: &ArticleRecord, relation: &Relation) -> serde_json::Value {
    let label = |id: &str| {
        record
            .mentions
            .iter()
            .find(|m| m.entity == id)
            .map_or(id, |m| m.label.as_str())
            .to_string()
    };
    let mut value = serde_json::to_value(relation).unwrap_or_default();
    value["article"] = record.id.clone().into();
    value["date"] = record.date.clone().into();
    value["fact"] = relation.is_fact().into();
    value["marked"] = mark_sentence(relation, false).into();
    for (key, side) in [("source", &relation.source), ("target", &relation.target)] {
        value[key]["label"] = label(&side.entity).into();
        value[key]["in_sentence"] = in_sentence(relation, side).into();
    }
    value
}

/// Writes every relation of `records` that `view` keeps as one JSON object a line
/// ([`relation_json`]); returns how many.
pub fn write_explanations_json(
    out: &mut impl Write,
    records: &[ArticleRecord],
    view: &View,
) -> std::io::Result<usize> {
    let mut count = 0;
    for record in records {
        for relation in record.relations.iter().filter(|r| view.keeps_relation(r)) {
            serde_json::to_writer(&mut *out, &relation_json(record, relation))?;
            writeln!(out)?;
            count += 1;
        }
    }
    out.flush()?;
    Ok(count)
}

/// The sentence with source, target and trigger marked.
pub fn mark_sentence(relation: &Relation, colour: bool) -> String {
    let sentence: Vec<char> = relation.sentence.text.chars().collect();
    let base = relation.sentence.start;
    let spans = [
        (
            relation.source.start,
            relation.source.end,
            "[",
            "]",
            BOLD_CYAN,
        ),
        (
            relation.target.start,
            relation.target.end,
            "{",
            "}",
            BOLD_MAGENTA,
        ),
        (
            relation.trigger.start,
            relation.trigger.end,
            "<",
            ">",
            YELLOW_UNDERLINE,
        ),
    ];
    // (position, closes first, text)
    let mut marks: Vec<(usize, u8, String)> = Vec::new();
    for (start, end, open, close, style) in spans {
        let (Some(s), Some(e)) = (start.checked_sub(base), end.checked_sub(base)) else {
            continue;
        };
        if s >= e || e > sentence.len() {
            continue;
        }
        let (open, close) = if colour {
            (format!("{style}{open}"), format!("{close}{RESET}"))
        } else {
            (open.to_string(), close.to_string())
        };
        marks.push((s, 1, open));
        marks.push((e, 0, close));
    }
    marks.sort_by_key(|m| (m.0, m.1));
    let mut out = String::with_capacity(relation.sentence.text.len() + 16);
    let mut next = marks.iter().peekable();
    for (i, c) in sentence.iter().enumerate() {
        while let Some((_, _, text)) = next.next_if(|m| m.0 == i) {
            out.push_str(text);
        }
        if c.is_control() {
            out.push(' ');
        } else {
            out.push_str(&terminal_escape(c.encode_utf8(&mut [0; 4])));
        }
    }
    for (_, _, text) in next {
        out.push_str(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Endpoint, Field, RelationKind, SentenceSpan, TriggerSpan};

    #[test]
    fn actors_and_trigger_are_marked() {
        let text = "وناقش الرئيس السراج مع وزير الخارجية الإيطالي لويدجي دي مايو في طرابلس";
        let at = |needle: &str| {
            let byte = text.find(needle).unwrap();
            let start = 100 + text[..byte].chars().count();
            (start, start + needle.chars().count())
        };
        let (ss, se) = at("السراج");
        let (ts, te) = at("لويدجي دي مايو");
        let (gs, ge) = at("وناقش");
        let relation = Relation {
            kind: RelationKind::Meets,
            source: Endpoint {
                entity: "sarraj".into(),
                start: ss,
                end: se,
                office: None,
            },
            target: Endpoint {
                entity: "dimaio".into(),
                start: ts,
                end: te,
                office: None,
            },
            trigger: TriggerSpan {
                start: gs,
                end: ge,
                text: "وناقش".into(),
            },
            sentence: SentenceSpan {
                start: 100,
                end: 100 + text.chars().count(),
                text: text.into(),
            },
            negated: false,
            hedged: true,
            rule: "meets.discussed".into(),
            field: Field::Text,
        };
        assert_eq!(
            mark_sentence(&relation, false),
            "<وناقش> الرئيس [السراج] مع وزير الخارجية الإيطالي {لويدجي دي مايو} في طرابلس"
        );
        let record = ArticleRecord {
            id: "a1".into(),
            date: Some("2020-06-23".into()),
            fingerprint: None,
            mentions: vec![],
            relations: vec![relation.clone()],
            unknown: vec![],
        };
        let shown = explain_relation(&record, &relation, false);
        assert!(shown.starts_with("a1 · 2020-06-23 · text 100–"), "{shown}");
        assert!(shown.contains("rule meets.discussed · HEDGED"), "{shown}");
        assert!(shown.contains("sarraj — meets — dimaio"), "{shown}");
        // A subject carried over from an earlier sentence is marked, with where it was.
        let mut carried = relation.clone();
        carried.source.start = 40;
        carried.source.end = 46;
        let shown = explain_relation(&record, &carried, false);
        assert!(
            shown.contains("sarraj ^named before, at 40–46 — meets — dimaio"),
            "{shown}"
        );
        let json = relation_json(&record, &carried);
        assert_eq!(json["source"]["in_sentence"], false);
        assert_eq!(json["target"]["in_sentence"], true);
        assert_eq!(json["article"], "a1");
        assert_eq!(json["fact"], false);
    }
}
