//! GraphML: the graph for networkx, igraph, Cytoscape, yEd and Gephi.
//!
//! One `<graph edgedefault="directed">`: readers such as networkx refuse graphs that
//! mix directed and undirected edges, so every edge is written from source to
//! target and the boolean `directed` attribute says whether the direction means
//! anything (false for `meets` and `allied`, whose source is the smaller id).

use super::escape::write_xml_escaped;
use super::style::{edge_fields, edge_type};
use crate::graph::ActorGraph;

/// The attributes declared as GraphML keys: (id, for, attr.type).
pub(crate) const GRAPHML_KEYS: &[(&str, &str, &str)] = &[
    ("label", "node", "string"),
    ("label_ar", "node", "string"),
    ("type", "node", "string"),
    ("country", "node", "string"),
    ("mentions", "node", "long"),
    ("degree", "node", "long"),
    ("known", "node", "boolean"),
    ("label", "edge", "string"),
    ("kind", "edge", "string"),
    ("directed", "edge", "boolean"),
    ("weight", "edge", "double"),
    ("first_date", "edge", "string"),
    ("last_date", "edge", "string"),
    ("articles", "edge", "string"),
    ("evidence_article", "edge", "string"),
    ("evidence_rule", "edge", "string"),
    ("evidence", "edge", "string"),
];

/// Writes one `<data>` element: its key (`domain_name`, as [`GRAPHML_KEYS`] declares
/// it) and its escaped value.
fn data(out: &mut dyn std::fmt::Write, domain: &str, name: &str, value: &str) {
    let _ = out.write_str("      <data key=\"");
    let _ = out.write_str(domain);
    let _ = out.write_str("_");
    let _ = out.write_str(name);
    let _ = out.write_str("\">");
    write_xml_escaped(out, value);
    let _ = out.write_str("</data>\n");
}

/// Writes the graph as GraphML, every node (with its attributes) and every edge, to
/// `out` piece by piece, so that a large graph is never whole in memory (a writer that
/// fails keeps its own error).
pub(crate) fn write_graphml(out: &mut dyn std::fmt::Write, graph: &ActorGraph) {
    let _ = out.write_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (name, domain, kind) in GRAPHML_KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{domain}_{name}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        );
    }
    let _ = out.write_str("  <graph id=\"actorgraph\" edgedefault=\"directed\">\n");
    let degrees = graph.degrees();
    let mut number = itoa::Buffer::new();
    for node in graph.nodes() {
        let degree = degrees.get(node.id.as_str()).copied().unwrap_or(0);
        let _ = out.write_str("    <node id=\"");
        write_xml_escaped(out, &node.id);
        let _ = out.write_str("\">\n");
        data(out, "node", "label", &node.label_en);
        data(out, "node", "label_ar", &node.label_ar);
        data(out, "node", "type", &node.entity_type);
        data(out, "node", "country", &node.country);
        data(out, "node", "mentions", number.format(node.mentions));
        data(out, "node", "degree", number.format(degree));
        data(
            out,
            "node",
            "known",
            if node.known { "true" } else { "false" },
        );
        let _ = out.write_str("    </node>\n");
    }
    for (index, (source, target, edge)) in graph.edges().into_iter().enumerate() {
        let _ = write!(out, "    <edge id=\"e{index}\" source=\"");
        write_xml_escaped(out, source);
        let _ = out.write_str("\" target=\"");
        write_xml_escaped(out, target);
        let _ = out.write_str("\">\n");
        data(out, "edge", "label", edge.kind.as_str());
        let directed = edge_type(edge.kind) == "Directed";
        data(
            out,
            "edge",
            "directed",
            if directed { "true" } else { "false" },
        );
        data(out, "edge", "weight", number.format(edge.weight));
        for (name, value) in edge_fields(edge) {
            data(out, "edge", name, &value);
        }
        let _ = out.write_str("    </edge>\n");
    }
    let _ = out.write_str("  </graph>\n</graphml>\n");
}
