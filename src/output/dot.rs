//! Graphviz DOT: a drawing with a caption and a legend.

use std::collections::BTreeMap;

use super::escape::{PDI, RLI, dot_escape, isolate_numbers, xml_escape};
use super::style::{
    COUNTRY_COLOURS, DOT_FONTS, EdgeLabels, Labels, OTHER_COLOUR, country_colours, edge_label,
    kind_ar, kind_style, node_colour, node_label, node_shape, pen_width,
};
use crate::graph::filter::View;
use crate::record::RelationKind;

/// The graph as Graphviz DOT: actors with at least one edge, shaped by type and
/// filled by country; edges coloured and styled by kind, wider with weight, labelled
/// with kind and count, with the strongest evidence as tooltip; a caption (with the
/// filters in words) and a legend.
///
/// Written to `out` piece by piece, so that a large graph is never whole in memory (a
/// writer that fails keeps its own error).
pub fn write_dot(
    out: &mut dyn std::fmt::Write,
    view: &View,
    labels: Labels,
    edge_labels: EdgeLabels,
) {
    let graph = &view.graph;
    let degrees = graph.degrees();
    let colours = country_colours(graph);
    let edges = graph.edges();
    let mut title = format!(
        "actorgraph · {} actors · {} edges",
        degrees.len(),
        edges.len()
    );
    if let Some((first, last)) = graph.date_range() {
        if first == last {
            title.push_str(&format!(" · {first}"));
        } else {
            title.push_str(&format!(" · {first} to {last}"));
        }
    }
    let _ = out.write_str("digraph actorgraph {\n");
    let _ = out.write_fmt(format_args!(
        "  graph [rankdir=LR, ranksep=0.7, nodesep=0.3, fontname=\"{DOT_FONTS}\", fontsize=13, labelloc=t, labeljust=l, label=<{}>, tooltip=\"actorgraph\"];\n",
        caption(view, &title, &colours, labels)
    ));
    let _ = out.write_fmt(format_args!(
        "  node [fontname=\"{DOT_FONTS}\", fontsize=11, color=\"#455a64\", penwidth=1.1, margin=\"0.12,0.05\"];\n  edge [fontname=\"{DOT_FONTS}\", fontsize=9, arrowsize=0.8];\n"
    ));
    for node in graph.nodes() {
        let Some(degree) = degrees.get(node.id.as_str()) else {
            continue;
        };
        let (shape, style) = node_shape(&node.entity_type);
        let mut tooltip = node.label_en.clone();
        if !node.label_ar.is_empty() {
            tooltip.push_str(&format!(" · {}", isolate_numbers(&node.label_ar)));
        }
        tooltip.push_str(&format!(
            "\n{} · {} · {} mention{} · {} edge{}",
            if node.entity_type.is_empty() {
                "?"
            } else {
                &node.entity_type
            },
            if node.country_key().is_empty() {
                "no country"
            } else {
                node.country_key()
            },
            node.mentions,
            if node.mentions == 1 { "" } else { "s" },
            degree,
            if *degree == 1 { "" } else { "s" },
        ));
        let _ = out.write_fmt(format_args!(
            "  \"{}\" [label=\"{}\", shape={shape}, style=\"{style}\", fillcolor=\"{}\", tooltip=\"{}\"];\n",
            dot_escape(&node.id),
            dot_escape(&node_label(node, labels)),
            node_colour(node, &colours),
            dot_escape(&tooltip),
        ));
    }
    for (source, target, edge) in &edges {
        let (colour, style, arrow, _) = kind_style(edge.kind);
        let label = edge_label(edge.kind, edge.weight, labels, edge_labels);
        let mut tooltip = format!("{} ×{}", edge.kind.as_str(), edge.weight);
        match (&edge.first_date, &edge.last_date) {
            (Some(first), Some(last)) if first != last => {
                tooltip.push_str(&format!(" · {first} to {last}"))
            }
            (Some(first), _) => tooltip.push_str(&format!(" · {first}")),
            _ => {}
        }
        let articles = edge.articles.len();
        tooltip.push_str(&format!(
            " · {articles} article{}",
            if articles == 1 { "" } else { "s" }
        ));
        if let Some(e) = &edge.evidence {
            tooltip.push_str(&format!(
                "\n{}{} [{}]: {}",
                e.article(),
                e.date().map(|d| format!(" ({d})")).unwrap_or_default(),
                e.rule(),
                isolate_numbers(e.sentence())
            ));
        }
        let tooltip = dot_escape(&tooltip);
        let _ = out.write_fmt(format_args!(
            "  \"{}\" -> \"{}\" [label=\"{}\", color=\"{colour}\", fontcolor=\"{colour}\", style={style}, arrowhead={arrow}, penwidth={:.2}, weight={}, tooltip=\"{tooltip}\", labeltooltip=\"{tooltip}\"];\n",
            dot_escape(source),
            dot_escape(target),
            dot_escape(&label),
            pen_width(edge.weight),
            edge.weight.min(100),
        ));
    }
    let _ = out.write_str("}\n");
}

/// The graph's caption, as a Graphviz HTML label: the title, the filters, and a
/// legend of the edge kinds drawn, the node shapes and the country colours.
fn caption(
    view: &View,
    title: &str,
    colours: &BTreeMap<String, &'static str>,
    labels: Labels,
) -> String {
    let graph = &view.graph;
    let mut rows = vec![format!(
        "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"13\">{}</FONT></TD></TR>",
        xml_escape(title)
    )];
    if !view.caption.is_empty() {
        rows.push(format!(
            "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"11\">{}</FONT></TD></TR>",
            xml_escape(&view.caption)
        ));
    }
    let edges = graph.edges();
    if edges.is_empty() {
        return table(&rows, 0);
    }
    let kinds: std::collections::BTreeSet<RelationKind> = edges.iter().map(|e| e.2.kind).collect();
    let mut key = String::new();
    for kind in kinds {
        let (colour, _, _, sample) = kind_style(kind);
        // Arabic words are isolated so that the text after them (in the same span)
        // stays on their right.
        let name = match labels {
            Labels::En => kind.as_str().to_string(),
            Labels::Ar => format!("{RLI}{}{PDI}", kind_ar(kind)),
            Labels::Both => format!("{} {RLI}{}{PDI}", kind.as_str(), kind_ar(kind)),
        };
        key.push_str(&format!(
            "<FONT COLOR=\"{colour}\">{sample}</FONT> {}     ",
            xml_escape(&name)
        ));
    }
    // In its own span: a span is laid out in the direction of its first letter.
    key.push_str(
        "<FONT COLOR=\"#37474f\">ellipse: person · box: organisation · hexagon: place</FONT>",
    );
    rows.push(format!(
        "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">{key}</FONT></TD></TR>"
    ));
    let degrees = graph.degrees();
    let other = graph
        .nodes()
        .iter()
        .any(|n| degrees.contains_key(n.id.as_str()) && !colours.contains_key(n.country_key()));
    let mut by_colour: Vec<(&String, &&str)> = colours.iter().collect();
    by_colour.sort_by_key(|(code, colour)| {
        (
            COUNTRY_COLOURS.iter().position(|c| c == *colour),
            code.as_str(),
        )
    });
    let mut swatches: Vec<(String, &str)> = by_colour
        .into_iter()
        .map(|(code, colour)| {
            let name = match view.country(code) {
                Some(node) => node_label(node, labels).replace('\n', " "),
                None => code.clone(),
            };
            (name, *colour)
        })
        .collect();
    if other {
        swatches.push(("other or none".to_string(), OTHER_COLOUR));
    }
    let country_rows: Vec<String> = swatches
        .chunks(6)
        .map(|chunk| {
            let cells: Vec<String> = chunk
                .iter()
                .map(|(name, colour)| {
                    format!(
                        "<TD BGCOLOR=\"{colour}\" BORDER=\"1\" COLOR=\"#455a64\" WIDTH=\"14\"> </TD><TD ALIGN=\"LEFT\">{}   </TD>",
                        xml_escape(name)
                    )
                })
                .collect();
            format!("<TR>{}</TR>", cells.join(""))
        })
        .collect();
    rows.push(format!(
        "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">{}</FONT></TD></TR>",
        table(&country_rows, 1)
    ));
    table(&rows, 0)
}

/// A borderless HTML table of `rows`.
fn table(rows: &[String], spacing: u8) -> String {
    format!(
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"{spacing}\" CELLPADDING=\"2\">{}</TABLE>",
        rows.concat()
    )
}
