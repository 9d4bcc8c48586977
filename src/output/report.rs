//! The HTML report: one self-contained page that draws the graph with the vendored
//! cytoscape.js and puts every edge's evidence one click away, offline.
//!
//! The page is a template (assets/report/) with the library, the page's own script and
//! style, and the data as JSON inside a `<script type="application/json">`. Every string
//! of the data is escaped so that no record can close that element or start markup
//! (`<`, `>`, `&`, U+2028 and U+2029 become `\uXXXX`), and the page's script writes
//! text with `textContent` only. A Content-Security-Policy of `default-src 'none'` keeps
//! the page from loading anything.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::force::layout;
use super::style::{
    Labels, OTHER_COLOUR, country_colours, kind_ar, kind_style, node_colour, node_label, pen_width,
};
use crate::graph::Node;
use crate::graph::filter::View;
use crate::record::{ArticleRecord, Relation, RelationKind};
use crate::text::fold::fold_surface;

/// The page around the data, with `@@STYLE@@`, `@@LIBRARY@@`, `@@DATA@@` and
/// `@@SCRIPT@@` where the parts go, in that order.
const TEMPLATE: &str = include_str!("../../assets/report/report.html");
/// The page's style.
const STYLE: &str = include_str!("../../assets/report/report.css");
/// The page's script.
const SCRIPT: &str = include_str!("../../assets/report/report.js");
/// cytoscape.js 3.35.0, minified, from the npm registry (assets/vendor/cytoscape/).
const LIBRARY: &str = include_str!("../../assets/vendor/cytoscape/cytoscape.min.js");

/// How the report is made.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Which names label the nodes.
    pub labels: Labels,
    /// The most evidence sentences kept for one edge (the page says how many there are
    /// in all): what keeps a whole corpus's report small enough to open.
    pub evidence_per_edge: usize,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            labels: Labels::Both,
            evidence_per_edge: 20,
        }
    }
}

/// What the gazetteer says of an actor beyond the graph: other names to search by, and
/// the offices it held. The report reads no gazetteer itself; the caller asks it.
#[derive(Debug, Clone, Default)]
pub struct ActorNotes {
    /// Other spellings and names, searched like the labels.
    pub aliases: Vec<String>,
    /// Offices held, in words (`prime_minister of IT 2018-06-01..`).
    pub roles: Vec<String>,
}

#[derive(Serialize)]
struct Data<'a> {
    caption: &'a str,
    labels: &'static str,
    date_range: Option<(&'a str, &'a str)>,
    months: Vec<String>,
    kinds: Vec<KindData>,
    countries: Vec<CountryData>,
    other_colour: &'static str,
    fold: BTreeMap<String, String>,
    nodes: Vec<NodeData<'a>>,
    edges: Vec<EdgeData<'a>>,
}

#[derive(Serialize)]
struct KindData {
    name: &'static str,
    ar: &'static str,
    colour: &'static str,
    line: &'static str,
    arrow: &'static str,
}

#[derive(Serialize)]
struct CountryData {
    code: String,
    label: String,
    colour: &'static str,
}

#[derive(Serialize)]
struct NodeData<'a> {
    id: &'a str,
    en: &'a str,
    ar: &'a str,
    /// The label drawn, for actors with an edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(rename = "type")]
    entity_type: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    country: &'a str,
    mentions: u64,
    #[serde(skip_serializing_if = "is_zero")]
    degree: usize,
    known: bool,
    /// The fill, for actors with an edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    colour: Option<&'static str>,
    /// The layout's position, for actors with an edge (the others are not drawn).
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<(f64, f64)>,
    /// Every name, folded as the command line folds them, a line each.
    key: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<String>,
}

#[derive(Serialize)]
struct EdgeData<'a> {
    s: usize,
    t: usize,
    kind: &'static str,
    weight: u64,
    width: f64,
    first: Option<&'a str>,
    last: Option<&'a str>,
    articles: usize,
    /// Relations that are facts, by month: (index into `months`, count).
    months: Vec<(usize, u64)>,
    /// The relations behind the edge and those of its kind between its two actors that
    /// were negated or hedged: facts first, then by date and article.
    evidence: Vec<EvidenceData<'a>>,
    /// How many relations there are in all, before the cap.
    total: usize,
}

#[derive(Serialize)]
struct EvidenceData<'a> {
    article: &'a str,
    date: Option<&'a str>,
    rule: &'a str,
    field: &'static str,
    negated: bool,
    hedged: bool,
    /// The sentence in runs: (text, 0 plain, 1 source, 2 target, 3 trigger).
    parts: Vec<(String, u8)>,
    /// The sides named before this sentence (a subject carried from an earlier one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    earlier: Vec<EarlierSide<'a>>,
}

#[derive(Serialize)]
struct EarlierSide<'a> {
    side: &'static str,
    entity: &'a str,
    text: Option<&'a str>,
    start: usize,
    end: usize,
}

/// Writes the report of `view`: its actors and edges, each edge with the evidence that
/// `records` (in the view's date range; see [`super::relations_only`]) give for it.
/// `notes` tells what the gazetteer says of an actor.
///
/// The data is made whole first (the page's JSON: 12 MB for the whole ANT corpus), then
/// written to `out` with the page around it (a writer that fails keeps its own error).
pub fn write_report(
    out: &mut dyn std::fmt::Write,
    view: &View,
    records: &[ArticleRecord],
    notes: &dyn Fn(&Node) -> ActorNotes,
    options: &ReportOptions,
) {
    let data = report_data(view, records, notes, options);
    let json = serde_json::to_string(&data).expect("the report's data serialises");
    let mut rest = TEMPLATE;
    for marker in ["@@STYLE@@", "@@LIBRARY@@", "@@DATA@@", "@@SCRIPT@@"] {
        let (before, after) = rest
            .split_once(marker)
            .expect("the report template has every marker, in order");
        let _ = out.write_str(before);
        let _ = match marker {
            "@@STYLE@@" => out.write_str(STYLE),
            "@@LIBRARY@@" => out.write_str(LIBRARY),
            "@@DATA@@" => write_script_json(out, &json),
            _ => out.write_str(SCRIPT),
        };
        rest = after;
    }
    let _ = out.write_str(rest);
}

/// Writes `json` so that it can stand inside a `<script>` element: `<`, `>` and `&`
/// (which can only be inside its strings) and the two line separators that old
/// JavaScript forbids in strings become `\uXXXX` escapes, which JSON reads back the same.
fn write_script_json(out: &mut dyn std::fmt::Write, json: &str) -> std::fmt::Result {
    let mut copied = 0;
    for (at, c) in json.char_indices() {
        let escape = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.write_str(&json[copied..at])?;
        out.write_str(escape)?;
        copied = at + c.len_utf8();
    }
    out.write_str(&json[copied..])
}

/// The page's data: every actor of the view, the drawn ones placed by the layout, and
/// every edge with its evidence.
fn report_data<'a>(
    view: &'a View,
    records: &'a [ArticleRecord],
    notes: &dyn Fn(&Node) -> ActorNotes,
    options: &ReportOptions,
) -> Data<'a> {
    let graph = &view.graph;
    let degrees = graph.degrees();
    let colours = country_colours(graph);
    let nodes = graph.nodes();
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let edges = graph.edges();
    let edge_index: HashMap<(&str, &str, RelationKind), usize> = edges
        .iter()
        .enumerate()
        .map(|(i, (s, t, e))| ((*s, *t, e.kind), i))
        .collect();

    let mut relations: Vec<Vec<(&ArticleRecord, &Relation)>> = vec![Vec::new(); edges.len()];
    let mut months: BTreeSet<String> = BTreeSet::new();
    for record in records {
        for relation in record.relations.iter().filter(|r| view.keeps_relation(r)) {
            let (mut s, mut t) = (
                relation.source.entity.as_str(),
                relation.target.entity.as_str(),
            );
            if relation.kind.is_symmetric() && t < s {
                std::mem::swap(&mut s, &mut t);
            }
            if let Some(&e) = edge_index.get(&(s, t, relation.kind)) {
                relations[e].push((record, relation));
                if relation.is_fact() {
                    months.extend(month_of(record));
                }
            }
        }
    }
    let months: Vec<String> = months.into_iter().collect();
    let month_index: HashMap<&str, usize> = months
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();

    // The drawn actors (those with an edge), placed by the layout.
    let drawn: Vec<usize> = (0..nodes.len())
        .filter(|&i| degrees.contains_key(nodes[i].id.as_str()))
        .collect();
    let slot: HashMap<usize, usize> = drawn.iter().enumerate().map(|(s, &n)| (n, s)).collect();
    let layout_edges: Vec<(usize, usize, u64)> = edges
        .iter()
        .map(|(s, t, e)| (slot[&index[s]], slot[&index[t]], e.weight))
        .collect();
    let positions = layout(drawn.len(), &layout_edges);

    let node_data = nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let ActorNotes { aliases, roles } = notes(node);
            let mut key = vec![fold_surface(&node.id), fold_surface(&node.label_en)];
            key.push(fold_surface(&node.label_ar));
            key.extend(aliases.iter().map(|a| fold_surface(a)));
            key.dedup();
            let drawn = slot.get(&i);
            NodeData {
                id: &node.id,
                en: &node.label_en,
                ar: &node.label_ar,
                label: drawn.map(|_| node_label(node, options.labels)),
                entity_type: &node.entity_type,
                country: node.country_key(),
                mentions: node.mentions,
                degree: degrees.get(node.id.as_str()).copied().unwrap_or(0),
                known: node.known,
                colour: drawn.map(|_| node_colour(node, &colours)),
                at: drawn.map(|&s| {
                    let (x, y) = positions[s];
                    ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
                }),
                key: key.join("\n"),
                aliases,
                roles,
            }
        })
        .collect();

    let edge_data = edges
        .iter()
        .zip(relations)
        .map(|((s, t, edge), mut found)| {
            let mut by_month: BTreeMap<usize, u64> = BTreeMap::new();
            for (record, relation) in &found {
                if let (true, Some(month)) = (relation.is_fact(), month_of(record)) {
                    *by_month.entry(month_index[month.as_str()]).or_default() += 1;
                }
            }
            found.sort_by(|a, b| {
                (!a.1.is_fact(), &a.0.date, &a.0.id, a.1.sentence.start).cmp(&(
                    !b.1.is_fact(),
                    &b.0.date,
                    &b.0.id,
                    b.1.sentence.start,
                ))
            });
            let total = found.len();
            EdgeData {
                s: index[s],
                t: index[t],
                kind: edge.kind.as_str(),
                weight: edge.weight,
                width: (pen_width(edge.weight) * 100.0).round() / 100.0,
                first: edge.first_date.as_deref(),
                last: edge.last_date.as_deref(),
                articles: edge.articles.len(),
                months: by_month.into_iter().collect(),
                evidence: found
                    .into_iter()
                    .take(options.evidence_per_edge)
                    .map(|(record, relation)| evidence(record, relation, s))
                    .collect(),
                total,
            }
        })
        .collect();

    let kinds = [
        RelationKind::Meets,
        RelationKind::Supports,
        RelationKind::Allied,
        RelationKind::Opposes,
    ]
    .into_iter()
    .map(|kind| {
        let (colour, line, arrow, _) = kind_style(kind);
        KindData {
            name: kind.as_str(),
            ar: kind_ar(kind),
            colour,
            line,
            arrow,
        }
    })
    .collect();
    let countries = colours
        .iter()
        .map(|(code, colour)| CountryData {
            code: code.clone(),
            label: view
                .country(code)
                .map_or_else(|| code.clone(), |n| n.label_en.clone()),
            colour,
        })
        .collect();
    Data {
        caption: &view.caption,
        labels: match options.labels {
            Labels::En => "en",
            Labels::Ar => "ar",
            Labels::Both => "both",
        },
        date_range: graph.date_range(),
        months,
        kinds,
        countries,
        other_colour: OTHER_COLOUR,
        fold: fold_table(),
        nodes: node_data,
        edges: edge_data,
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The month of a record's date, `YYYY-MM`.
fn month_of(record: &ArticleRecord) -> Option<String> {
    let date = record.date.as_deref()?;
    (date.len() >= 7 && date.is_char_boundary(7)).then(|| date[..7].to_string())
}

/// One relation as the page shows it: the sentence in runs, the two sides and the
/// trigger marked. The sides are named as the edge names them (`source` is the edge's
/// source, whose id is `edge_source`): a symmetric relation may have them the other way.
fn evidence<'a>(
    record: &'a ArticleRecord,
    relation: &'a Relation,
    edge_source: &str,
) -> EvidenceData<'a> {
    let sentence: Vec<char> = relation.sentence.text.chars().collect();
    let base = relation.sentence.start;
    let mut class = vec![0u8; sentence.len()];
    let mut earlier = Vec::new();
    let mut sides = [
        (&relation.source, 1, "source"),
        (&relation.target, 2, "target"),
    ];
    if relation.source.entity != edge_source {
        sides = [
            (&relation.target, 1, "source"),
            (&relation.source, 2, "target"),
        ];
    }
    for (side, mark, name) in sides {
        let inside =
            side.start >= base && side.end <= base + sentence.len() && side.start < side.end;
        if inside {
            class[side.start - base..side.end - base].fill(mark);
        } else {
            let text = record
                .mentions
                .iter()
                .find(|m| m.start == side.start && m.end == side.end && m.field == relation.field)
                .map(|m| m.text.as_str());
            earlier.push(EarlierSide {
                side: name,
                entity: &side.entity,
                text,
                start: side.start,
                end: side.end,
            });
        }
    }
    let trigger = &relation.trigger;
    if trigger.start >= base && trigger.end <= base + sentence.len() && trigger.start < trigger.end
    {
        class[trigger.start - base..trigger.end - base].fill(3);
    }
    let mut parts: Vec<(String, u8)> = Vec::new();
    for (c, mark) in sentence.iter().zip(&class) {
        match parts.last_mut() {
            Some((text, last)) if last == mark => text.push(*c),
            _ => parts.push((c.to_string(), *mark)),
        }
    }
    EvidenceData {
        article: &record.id,
        date: record.date.as_deref(),
        rule: &relation.rule,
        field: relation.field.as_str(),
        negated: relation.negated,
        hedged: relation.hedged,
        parts,
        earlier,
    }
}

/// What folding does to each character it changes, for the page's search: a character
/// to its folded form, `""` when it is dropped, `" "` when it is a space. Made from
/// [`fold_surface`] itself, so the page folds a query exactly as the command line does.
/// Folding changes characters of the Basic Multilingual Plane only.
fn fold_table() -> BTreeMap<String, String> {
    let mut table = BTreeMap::new();
    for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
        let folded = fold_surface(&format!("a{c}a"));
        let middle = &folded[1..folded.len() - 1];
        if middle != c.to_string() {
            table.insert(c.to_string(), middle.to_string());
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element() {
        let mut out = String::new();
        let json = serde_json::to_string("</script><!-- & \u{2028}\u{2029} x").unwrap();
        write_script_json(&mut out, &json).unwrap();
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('&'));
        assert!(!out.contains('\u{2028}') && !out.contains('\u{2029}'));
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "</script><!-- & \u{2028}\u{2029} x");
    }

    /// A record of two sentences whose second says «والتقى بكونتي» of a subject the
    /// first named: the carried side is reported with its words, and the marks follow
    /// the edge's sides, whichever way the relation ran.
    #[test]
    fn evidence_marks_the_edge_sides_and_an_earlier_subject() {
        let text = "وصل السراج إلى روما. والتقى بكونتي.";
        let chars: Vec<char> = text.chars().collect();
        let find = |word: &str| {
            let at = text.find(word).unwrap();
            let start = text[..at].chars().count();
            (start, start + word.chars().count())
        };
        let (sarraj_start, sarraj_end) = find("السراج");
        let (conte_start, conte_end) = find("كونتي");
        let (trigger_start, trigger_end) = find("والتقى");
        let sentence_start = trigger_start;
        let record: ArticleRecord = serde_json::from_value(serde_json::json!({
            "id": "a1", "date": "2018-06-20",
            "mentions": [
                {"start": sarraj_start, "end": sarraj_end, "text": "السراج", "type": "PER",
                 "entity": "sarraj", "label": "Fayez al-Sarraj"},
                {"start": conte_start, "end": conte_end, "text": "كونتي", "type": "PER",
                 "entity": "conte", "label": "Giuseppe Conte"}
            ],
            "relations": [{
                "kind": "meets",
                "source": {"entity": "sarraj", "start": sarraj_start, "end": sarraj_end},
                "target": {"entity": "conte", "start": conte_start, "end": conte_end},
                "trigger": {"start": trigger_start, "end": trigger_end, "text": "والتقى"},
                "sentence": {"start": sentence_start, "end": chars.len(),
                             "text": chars[sentence_start..].iter().collect::<String>()},
                "negated": false, "hedged": false, "rule": "meets.met"
            }]
        }))
        .unwrap();
        // The edge runs from conte, the smaller id: conte is its source.
        let shown = evidence(&record, &record.relations[0], "conte");
        let marked: Vec<(&str, u8)> = shown
            .parts
            .iter()
            .filter(|(_, mark)| *mark != 0)
            .map(|(text, mark)| (text.as_str(), *mark))
            .collect();
        assert_eq!(marked, [("والتقى", 3), ("كونتي", 1)]);
        assert_eq!(shown.earlier.len(), 1);
        let earlier = &shown.earlier[0];
        assert_eq!((earlier.side, earlier.entity), ("target", "sarraj"));
        assert_eq!(earlier.text, Some("السراج"));
        assert_eq!((earlier.start, earlier.end), (sarraj_start, sarraj_end));
        let joined: String = shown.parts.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(joined, "والتقى بكونتي.");
    }

    /// A graph with nothing in it still makes a whole page, its three scripts in place.
    #[test]
    fn an_empty_graph_makes_a_whole_page() {
        let mut page = String::new();
        write_report(
            &mut page,
            &View::default(),
            &[],
            &|_| ActorNotes::default(),
            &ReportOptions::default(),
        );
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.trim_end().ends_with("</html>"));
        assert_eq!(page.matches("<script").count(), 3);
        assert!(page.contains("\"nodes\":[],\"edges\":[]"));
        assert!(!page.contains("@@DATA@@") && !page.contains("@@SCRIPT@@"));
    }

    /// The page's fold table, applied a character at a time with spaces collapsed, folds
    /// Arabic spellings as the command line does.
    #[test]
    fn the_fold_table_folds_as_the_command_line() {
        let table = fold_table();
        let fold = |text: &str| {
            let mapped: String = text
                .chars()
                .map(|c| table.get(&c.to_string()).cloned().unwrap_or(c.to_string()))
                .collect();
            mapped
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for text in [
            "فائز السرّاج",
            "إيطاليا",
            "  مصطفى\u{200F}  أبو\tشاقور ",
            "Fayez AL-SARRAJ",
            "٢٠١٨ ـــ ة",
        ] {
            assert_eq!(fold(text), fold_surface(text), "{text}");
        }
        assert_eq!(table.get("أ").map(String::as_str), Some("ا"));
        assert_eq!(table.get("\u{064E}").map(String::as_str), Some(""));
    }
}
