//! GraphML: the graph for networkx, igraph, Cytoscape, yEd and Gephi.
//!
//! One `<graph edgedefault="directed">`: readers such as networkx refuse graphs that
//! mix directed and undirected edges, so every edge is written from source to
//! target and the boolean `directed` attribute says whether the direction means
//! anything (false for `meets` and `allied`, whose source is the smaller id).

use crate::export::{edge_fields, edge_type, xml_escape};
use crate::graph::ActorGraph;

/// The attributes declared as GraphML keys: (id, for, attr.type).
pub const GRAPHML_KEYS: &[(&str, &str, &str)] = &[
    ("label", "node", "string"),
    ("label_ar", "node", "string"),
    ("type", "node", "string"),
    ("country", "node", "string"),
    ("mentions", "node", "long"),
    ("degree", "node", "long"),
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

/// Writes the graph as GraphML, every node (with its attributes) and every edge, to
/// `out` piece by piece, so that a large graph is never whole in memory (a writer that
/// fails keeps its own error).
pub fn write_graphml(out: &mut dyn std::fmt::Write, graph: &ActorGraph) {
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
    for node in graph.nodes() {
        let degree = degrees.get(node.id.as_str()).copied().unwrap_or(0);
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(&node.id));
        let data = [
            ("label", node.label_en.clone()),
            ("label_ar", node.label_ar.clone()),
            ("type", node.entity_type.clone()),
            ("country", node.country.clone()),
            ("mentions", node.mentions.to_string()),
            ("degree", degree.to_string()),
        ];
        for (key, value) in data {
            let _ = writeln!(
                out,
                "      <data key=\"node_{key}\">{}</data>",
                xml_escape(&value)
            );
        }
        let _ = out.write_str("    </node>\n");
    }
    for (index, (source, target, edge)) in graph.edges().into_iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{index}\" source=\"{}\" target=\"{}\">",
            xml_escape(source),
            xml_escape(target)
        );
        let mut data = vec![
            ("label", edge.kind.as_str().to_string()),
            ("directed", (edge_type(edge.kind) == "Directed").to_string()),
            ("weight", edge.weight.to_string()),
        ];
        data.extend(edge_fields(edge));
        for (key, value) in data {
            let _ = writeln!(
                out,
                "      <data key=\"edge_{key}\">{}</data>",
                xml_escape(&value)
            );
        }
        let _ = out.write_str("    </edge>\n");
    }
    let _ = out.write_str("  </graph>\n</graphml>\n");
}
