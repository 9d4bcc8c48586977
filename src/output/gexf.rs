//! GEXF 1.3 for Gephi, with dates: each edge lives from its first to its last
//! article date, and each actor from its first to its last dated edge, so Gephi's
//! timeline plays the alliances over time.
//!
//! `meets` and `allied` edges are `undirected`, `supports` and `opposes` are
//! `directed`; Gephi reads such a mixed graph as it is. (networkx reads only graphs
//! of one direction: a file whose edges are all of one sort declares it as
//! `defaultedgetype` and so reads there too.) Edges of different kinds between the
//! same two actors stay apart through the edge `kind`.

use std::collections::BTreeMap;

use super::escape::{write_xml_escaped, xml_escape};
use super::style::{OTHER_COLOUR, country_colours, edge_fields};
use crate::graph::filter::View;

/// The node attributes declared in the GEXF: (id, type).
pub(crate) const GEXF_NODE_ATTRIBUTES: &[(&str, &str)] = &[
    ("label_ar", "string"),
    ("type", "string"),
    ("country", "string"),
    ("mentions", "long"),
    ("degree", "long"),
    ("known", "boolean"),
];
/// The edge attributes declared in the GEXF: (id, type).
pub(crate) const GEXF_EDGE_ATTRIBUTES: &[(&str, &str)] = &[
    ("kind", "string"),
    ("first_date", "string"),
    ("last_date", "string"),
    ("articles", "string"),
    ("evidence_article", "string"),
    ("evidence_rule", "string"),
    ("evidence", "string"),
];

fn rgb(hex: &str) -> (u8, u8, u8) {
    let channel =
        |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("cc"), 16).unwrap_or(204);
    (channel(1), channel(3), channel(5))
}

fn attvalues<V: AsRef<str>>(out: &mut dyn std::fmt::Write, values: &[(&str, V)]) {
    let _ = out.write_str("        <attvalues>\n");
    for (key, value) in values {
        let _ = out.write_str("          <attvalue for=\"");
        let _ = out.write_str(key);
        let _ = out.write_str("\" value=\"");
        write_xml_escaped(out, value.as_ref());
        let _ = out.write_str("\"/>\n");
    }
    let _ = out.write_str("        </attvalues>\n");
}

fn spell(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(first), Some(last)) => format!(
            " start=\"{}\" end=\"{}\"",
            xml_escape(first),
            xml_escape(last)
        ),
        _ => String::new(),
    }
}

/// Writes the view's graph as GEXF 1.3 (dynamic when any edge is dated) to `out` piece
/// by piece, so that a large graph is never whole in memory (a writer that fails keeps
/// its own error).
pub(crate) fn write_gexf(out: &mut dyn std::fmt::Write, view: &View) {
    let graph = &view.graph;
    let edges = graph.edges();
    let degrees = graph.degrees();
    let colours = country_colours(graph);
    let dynamic = graph.date_range().is_some();
    let directed = edges.iter().filter(|e| !e.2.kind.is_symmetric()).count();
    let default_type = if directed == 0 && !edges.is_empty() {
        "undirected"
    } else {
        "directed"
    };
    let _ = out.write_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    let mut description = String::from("Actor graph from Arabic news, by actorgraph");
    if !view.caption.is_empty() {
        description.push_str(&format!(" ({})", view.caption));
    }
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>actorgraph {}</creator>\n    <description>{}</description>\n  </meta>",
        env!("CARGO_PKG_VERSION"),
        xml_escape(&description)
    );
    let _ = writeln!(
        out,
        "  <graph defaultedgetype=\"{default_type}\" mode=\"{}\"{}>",
        if dynamic { "dynamic" } else { "static" },
        if dynamic { " timeformat=\"date\"" } else { "" }
    );
    for (class, attributes) in [
        ("node", GEXF_NODE_ATTRIBUTES),
        ("edge", GEXF_EDGE_ATTRIBUTES),
    ] {
        let _ = writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">");
        for (id, kind) in attributes {
            let _ = writeln!(
                out,
                "      <attribute id=\"{id}\" title=\"{id}\" type=\"{kind}\"/>"
            );
        }
        let _ = out.write_str("    </attributes>\n");
    }
    // An actor lives from its first to its last dated edge.
    let mut lifetimes: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for (s, t, e) in &edges {
        if let (Some(first), Some(last)) = (e.first_date.as_deref(), e.last_date.as_deref()) {
            for id in [s, t] {
                let span = lifetimes.entry(id).or_insert((first, last));
                span.0 = span.0.min(first);
                span.1 = span.1.max(last);
            }
        }
    }
    let _ = out.write_str("    <nodes>\n");
    for node in graph.nodes() {
        let life = lifetimes.get(node.id.as_str());
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\"{}>",
            xml_escape(&node.id),
            xml_escape(&node.label_en),
            spell(life.map(|l| l.0), life.map(|l| l.1))
        );
        let (mut mentions, mut degree) = (itoa::Buffer::new(), itoa::Buffer::new());
        attvalues(
            out,
            &[
                ("label_ar", node.label_ar.as_str()),
                ("type", &node.entity_type),
                ("country", &node.country),
                ("mentions", mentions.format(node.mentions)),
                (
                    "degree",
                    degree.format(degrees.get(node.id.as_str()).copied().unwrap_or(0)),
                ),
                ("known", if node.known { "true" } else { "false" }),
            ],
        );
        let (r, g, b) = rgb(colours
            .get(node.country_key())
            .copied()
            .unwrap_or(OTHER_COLOUR));
        let _ = writeln!(out, "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>");
        let _ = out.write_str("      </node>\n");
    }
    let _ = out.write_str("    </nodes>\n    <edges>\n");
    for (index, (source, target, edge)) in edges.iter().enumerate() {
        let kind = edge.kind.as_str();
        let sort = if edge.kind.is_symmetric() {
            "undirected"
        } else {
            "directed"
        };
        let type_attribute = if sort == default_type {
            String::new()
        } else {
            format!(" type=\"{sort}\"")
        };
        let _ = writeln!(
            out,
            "      <edge id=\"{index}\" source=\"{}\" target=\"{}\" label=\"{kind}\" kind=\"{kind}\"{type_attribute} weight=\"{}\"{}>",
            xml_escape(source),
            xml_escape(target),
            edge.weight,
            spell(edge.first_date.as_deref(), edge.last_date.as_deref())
        );
        attvalues(out, &edge_fields(edge));
        let _ = out.write_str("      </edge>\n");
    }
    let _ = out.write_str("    </edges>\n  </graph>\n</gexf>\n");
}
