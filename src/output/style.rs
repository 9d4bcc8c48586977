//! How the graph looks, shared by every drawing format: shapes by type, fills by country,
//! colours and arrows by kind, widths by weight, labels by language.

use std::collections::BTreeMap;

use super::escape::{LRI, PDI, isolate_numbers};
use crate::graph::{ActorGraph, Edge, Node};
use crate::record::RelationKind;

/// Which names label the nodes (and edges) of graph.dot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Labels {
    /// English labels; edges read `supports ×3`.
    En,
    /// Arabic names (English where there is none); edges read `دعم ×3`.
    Ar,
    /// English above Arabic; edges in English.
    #[default]
    Both,
}

/// What the edges of graph.dot say: a dense picture reads better with less.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EdgeLabels {
    /// No label: colour and style show the kind, width the weight.
    None,
    /// The weight alone: `×3`.
    Weight,
    /// The kind alone: `supports`.
    Kind,
    /// Kind and weight: `supports ×3`.
    #[default]
    Both,
}

/// The label of an edge of `kind` and `weight`, in the language of `labels`.
pub fn edge_label(kind: RelationKind, weight: u64, labels: Labels, shown: EdgeLabels) -> String {
    let name = match labels {
        Labels::Ar => kind_ar(kind),
        _ => kind.as_str(),
    };
    // Arabic text around a number: the number is isolated so it reads left to right.
    let times = match labels {
        Labels::Ar => format!("{LRI}×{weight}{PDI}"),
        _ => format!("×{weight}"),
    };
    match shown {
        EdgeLabels::None => String::new(),
        EdgeLabels::Weight => format!("×{weight}"),
        EdgeLabels::Kind => name.to_string(),
        EdgeLabels::Both => format!("{name} {times}"),
    }
}

/// Gephi's edge `Type`: `Undirected` for meets and allied, `Directed` otherwise.
pub fn edge_type(kind: RelationKind) -> &'static str {
    if kind.is_symmetric() {
        "Undirected"
    } else {
        "Directed"
    }
}

/// An edge's attributes shared by the XML exports (GraphML and GEXF): kind, dates,
/// article ids and the strongest evidence.
pub fn edge_fields(edge: &Edge) -> Vec<(&'static str, String)> {
    let evidence = edge.evidence.as_ref();
    vec![
        ("kind", edge.kind.as_str().to_string()),
        ("first_date", edge.first_date.clone().unwrap_or_default()),
        ("last_date", edge.last_date.clone().unwrap_or_default()),
        ("articles", super::join_list(edge.articles.iter())),
        (
            "evidence_article",
            evidence
                .map(|e| e.article().to_string())
                .unwrap_or_default(),
        ),
        (
            "evidence_rule",
            evidence.map(|e| e.rule().to_string()).unwrap_or_default(),
        ),
        (
            "evidence",
            evidence
                .map(|e| e.sentence().to_string())
                .unwrap_or_default(),
        ),
    ]
}

/// The fonts asked of Graphviz, first found first: DejaVu Sans (installed with
/// Graphviz on Debian, and it has Arabic glyphs), then common Arabic-capable fonts.
pub const DOT_FONTS: &str =
    "DejaVu Sans,Noto Sans Arabic,Noto Naskh Arabic,Arial,Tahoma,sans-serif";

/// Fill colours for countries (ColorBrewer Set3), given out by how many actors each
/// country has in the drawing; further countries share [`OTHER_COLOUR`].
pub const COUNTRY_COLOURS: &[&str] = &[
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#bc80bd", "#ccebc5", "#ffed6f",
];
/// Fill colour of actors without a country, or of a country past the palette.
pub const OTHER_COLOUR: &str = "#eceff1";

/// The colour of each country that has actors drawn (nodes with an edge): the
/// countries with the most actors first, then by code.
pub fn country_colours(graph: &ActorGraph) -> BTreeMap<String, &'static str> {
    let degrees = graph.degrees();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for node in graph.nodes() {
        if degrees.contains_key(node.id.as_str()) && !node.country_key().is_empty() {
            *count.entry(node.country_key()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = count.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .zip(COUNTRY_COLOURS)
        .map(|((code, _), colour)| (code.to_string(), *colour))
        .collect()
}

/// A node's fill colour.
pub(super) fn node_colour(node: &Node, colours: &BTreeMap<String, &'static str>) -> &'static str {
    colours
        .get(node.country_key())
        .copied()
        .unwrap_or(OTHER_COLOUR)
}

/// The Arabic word for a kind, for Arabic labels.
pub fn kind_ar(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Meets => "لقاء",
        RelationKind::Supports => "دعم",
        RelationKind::Allied => "تحالف",
        RelationKind::Opposes => "معارضة",
    }
}

/// Colour, line style, arrowhead and legend sample of a kind.
pub(super) fn kind_style(
    kind: RelationKind,
) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        RelationKind::Meets => ("#607d8b", "dashed", "none", "╌╌╌"),
        RelationKind::Supports => ("#2e7d32", "solid", "normal", "━━▶"),
        RelationKind::Allied => ("#1565c0", "bold", "none", "━━━"),
        RelationKind::Opposes => ("#c62828", "solid", "tee", "━━┫"),
    }
}

/// Shape and extra style of a node type: a person is an ellipse, an organisation a
/// rounded box, a state or place a hexagon, an event a note.
pub(super) fn node_shape(entity_type: &str) -> (&'static str, &'static str) {
    match entity_type {
        "PER" => ("ellipse", "filled"),
        "ORG" => ("box", "filled,rounded"),
        "GPE" | "LOC" => ("hexagon", "filled"),
        "EVENT" => ("note", "filled"),
        _ => ("box", "filled,dashed"),
    }
}

/// A node's label in the chosen language(s).
pub fn node_label(node: &Node, labels: Labels) -> String {
    let ar = isolate_numbers(&node.label_ar);
    match labels {
        Labels::En => node.label_en.clone(),
        Labels::Ar if !ar.is_empty() => ar,
        Labels::Ar => node.label_en.clone(),
        Labels::Both if ar.is_empty() || ar == node.label_en => node.label_en.clone(),
        Labels::Both => format!("{}\n{ar}", node.label_en),
    }
}

/// Pen width for an edge of this weight: 1 for one relation, growing with the
/// logarithm, at most 7.
pub fn pen_width(weight: u64) -> f64 {
    (1.0 + 1.5 * (weight.max(1) as f64).ln()).min(7.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pen_width_grows_with_weight() {
        assert_eq!(pen_width(1), 1.0);
        assert!(pen_width(2) < pen_width(5));
        assert_eq!(pen_width(1_000_000), 7.0);
    }
}
