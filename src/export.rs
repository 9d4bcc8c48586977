//! Outputs: article records, CSV tables and Graphviz DOT, each written whole or not at all.
//!
//! Every file is written to a temporary file in the output folder and renamed into
//! place only when complete, so an interrupted run leaves the previous outputs (or
//! none), never a truncated table.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::OutputError;
use crate::graph::ActorGraph;
use crate::record::{ArticleRecord, RelationKind};

/// Column names of mentions.csv.
pub const MENTION_COLUMNS: &[&str] = &[
    "article", "field", "start", "end", "text", "type", "entity", "label",
];
/// Column names of relations.csv.
pub const RELATION_COLUMNS: &[&str] = &[
    "article",
    "date",
    "field",
    "kind",
    "source",
    "source_label",
    "target",
    "target_label",
    "negated",
    "hedged",
    "rule",
    "trigger",
    "trigger_start",
    "trigger_end",
    "source_start",
    "source_end",
    "target_start",
    "target_end",
    "sentence_start",
    "sentence_end",
    "sentence",
];
/// Column names of nodes.csv (Gephi's `Id`, `Label`, then ours).
pub const NODE_COLUMNS: &[&str] = &[
    "Id", "Label", "label_ar", "type", "country", "mentions", "degree",
];
/// Column names of edges.csv (Gephi's `Source`, `Target`, `Type`, `Weight`, `Label`, then ours).
pub const EDGE_COLUMNS: &[&str] = &[
    "Source",
    "Target",
    "Type",
    "Weight",
    "Label",
    "kind",
    "first_date",
    "last_date",
    "articles",
];

/// A file being written; it appears under its name only on [`PendingFile::commit`].
pub struct PendingFile {
    path: PathBuf,
    writer: BufWriter<NamedTempFile>,
}

impl PendingFile {
    /// Starts `dir/name`.
    pub fn create(dir: &Path, name: &str) -> Result<PendingFile, OutputError> {
        let path = dir.join(name);
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| OutputError {
                path: path.clone(),
                source,
            })?;
        Ok(PendingFile {
            path,
            writer: BufWriter::with_capacity(1 << 16, temp),
        })
    }

    fn error(&self, source: std::io::Error) -> OutputError {
        OutputError {
            path: self.path.clone(),
            source,
        }
    }

    /// Flushes, syncs and renames into place.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let path = self.path.clone();
        let temp = self.writer.into_inner().map_err(|e| OutputError {
            path: path.clone(),
            source: e.into_error(),
        })?;
        temp.as_file().sync_all().map_err(|source| OutputError {
            path: path.clone(),
            source,
        })?;
        temp.persist(&path).map_err(|e| OutputError {
            path: path.clone(),
            source: e.error,
        })?;
        Ok(path)
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Writes a CSV table whole: header, rows, commit.
fn write_table<R: IntoIterator<Item = Vec<String>>>(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: R,
) -> Result<PathBuf, OutputError> {
    let file = PendingFile::create(dir, name)?;
    let path = file.path.clone();
    let mut csv = csv::Writer::from_writer(file);
    let csv_error = |e: csv::Error| OutputError {
        path: path.clone(),
        source: std::io::Error::other(e),
    };
    csv.write_record(header).map_err(csv_error)?;
    for row in rows {
        csv.write_record(&row).map_err(csv_error)?;
    }
    let file = csv.into_inner().map_err(|e| OutputError {
        path: path.clone(),
        source: e.into_error(),
    })?;
    file.commit()
}

/// Streams records and their mentions and relations to OUTDIR while a batch runs.
pub struct RecordWriter {
    dir: PathBuf,
    articles: PendingFile,
    mentions: csv::Writer<PendingFile>,
    relations: csv::Writer<PendingFile>,
}

impl RecordWriter {
    /// Creates OUTDIR if needed and starts articles.jsonl, mentions.csv and relations.csv.
    pub fn create(dir: &Path) -> Result<RecordWriter, OutputError> {
        fs::create_dir_all(dir).map_err(|source| OutputError {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut mentions = csv::Writer::from_writer(PendingFile::create(dir, "mentions.csv")?);
        let mut relations = csv::Writer::from_writer(PendingFile::create(dir, "relations.csv")?);
        let header_error = |name: &str, e: csv::Error| OutputError {
            path: dir.join(name),
            source: std::io::Error::other(e),
        };
        mentions
            .write_record(MENTION_COLUMNS)
            .map_err(|e| header_error("mentions.csv", e))?;
        relations
            .write_record(RELATION_COLUMNS)
            .map_err(|e| header_error("relations.csv", e))?;
        Ok(RecordWriter {
            dir: dir.to_path_buf(),
            articles: PendingFile::create(dir, "articles.jsonl")?,
            mentions,
            relations,
        })
    }

    /// Appends one record to the three streams.
    pub fn write(&mut self, record: &ArticleRecord) -> Result<(), OutputError> {
        let error = |name: &str, e: std::io::Error| OutputError {
            path: self.dir.join(name),
            source: e,
        };
        serde_json::to_writer(&mut self.articles, record)
            .map_err(|e| error("articles.jsonl", e.into()))?;
        self.articles
            .write_all(b"\n")
            .map_err(|e| error("articles.jsonl", e))?;
        for m in &record.mentions {
            self.mentions
                .write_record([
                    record.id.as_str(),
                    m.field.as_str(),
                    &m.start.to_string(),
                    &m.end.to_string(),
                    &m.text,
                    m.mention_type.as_str(),
                    &m.entity,
                    &m.label,
                ])
                .map_err(|e| error("mentions.csv", std::io::Error::other(e)))?;
        }
        for r in &record.relations {
            let label = |id: &str| {
                record
                    .mentions
                    .iter()
                    .find(|m| m.entity == id)
                    .map_or_else(|| id.to_string(), |m| m.label.clone())
            };
            self.relations
                .write_record([
                    record.id.as_str(),
                    record.date.as_deref().unwrap_or(""),
                    r.field.as_str(),
                    r.kind.as_str(),
                    &r.source.entity,
                    &label(&r.source.entity),
                    &r.target.entity,
                    &label(&r.target.entity),
                    if r.negated { "true" } else { "false" },
                    if r.hedged { "true" } else { "false" },
                    &r.rule,
                    &r.trigger.text,
                    &r.trigger.start.to_string(),
                    &r.trigger.end.to_string(),
                    &r.source.start.to_string(),
                    &r.source.end.to_string(),
                    &r.target.start.to_string(),
                    &r.target.end.to_string(),
                    &r.sentence.start.to_string(),
                    &r.sentence.end.to_string(),
                    &r.sentence.text,
                ])
                .map_err(|e| error("relations.csv", std::io::Error::other(e)))?;
        }
        Ok(())
    }

    /// Commits the streams and writes the graph files.
    pub fn finish(self, graph: &ActorGraph) -> Result<Vec<PathBuf>, OutputError> {
        let into_file = |w: csv::Writer<PendingFile>, name: &str| {
            w.into_inner().map_err(|e| OutputError {
                path: self.dir.join(name),
                source: e.into_error(),
            })
        };
        let mut written = vec![
            self.articles.commit()?,
            into_file(self.mentions, "mentions.csv")?.commit()?,
            into_file(self.relations, "relations.csv")?.commit()?,
        ];
        written.extend(write_graph(&self.dir, graph)?);
        Ok(written)
    }
}

/// Writes nodes.csv, edges.csv and graph.dot.
pub fn write_graph(dir: &Path, graph: &ActorGraph) -> Result<Vec<PathBuf>, OutputError> {
    fs::create_dir_all(dir).map_err(|source| OutputError {
        path: dir.to_path_buf(),
        source,
    })?;
    let degrees = graph.degrees();
    let nodes = graph.nodes().into_iter().map(|n| {
        vec![
            n.id.clone(),
            n.label_en.clone(),
            n.label_ar.clone(),
            n.entity_type.clone(),
            n.country.clone(),
            n.mentions.to_string(),
            degrees.get(n.id.as_str()).copied().unwrap_or(0).to_string(),
        ]
    });
    let mut written = vec![write_table(dir, "nodes.csv", NODE_COLUMNS, nodes)?];
    let edges = graph.edges().into_iter().map(|(s, t, e)| {
        vec![
            s.to_string(),
            t.to_string(),
            if e.kind.is_symmetric() {
                "Undirected"
            } else {
                "Directed"
            }
            .to_string(),
            e.weight.to_string(),
            e.kind.as_str().to_string(),
            e.kind.as_str().to_string(),
            e.first_date.clone().unwrap_or_default(),
            e.last_date.clone().unwrap_or_default(),
            e.articles.iter().cloned().collect::<Vec<_>>().join(";"),
        ]
    });
    written.push(write_table(dir, "edges.csv", EDGE_COLUMNS, edges)?);
    let mut dot = PendingFile::create(dir, "graph.dot")?;
    let text = render_dot(graph);
    dot.write_all(text.as_bytes()).map_err(|e| dot.error(e))?;
    written.push(dot.commit()?);
    Ok(written)
}

/// Escapes `text` for a double-quoted DOT string: quotes and backslashes escaped,
/// line breaks turned into DOT's `\n`, other control characters dropped.
pub fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn kind_style(kind: RelationKind) -> (&'static str, &'static str) {
    match kind {
        RelationKind::Meets => ("#546e7a", "dashed"),
        RelationKind::Supports => ("#2e7d32", "solid"),
        RelationKind::Allied => ("#1565c0", "bold"),
        RelationKind::Opposes => ("#c62828", "solid"),
    }
}

fn node_style(entity_type: &str) -> (&'static str, &'static str) {
    match entity_type {
        "PER" => ("ellipse", "#fff3e0"),
        "ORG" => ("box", "#e3f2fd"),
        "GPE" => ("hexagon", "#e8f5e9"),
        _ => ("note", "#f5f5f5"),
    }
}

/// The graph as Graphviz DOT: nodes with at least one edge, labelled in English and
/// Arabic; edges coloured by kind, wider with weight, with the evidence as tooltip.
pub fn render_dot(graph: &ActorGraph) -> String {
    let degrees = graph.degrees();
    let mut out = String::from(
        "digraph actorgraph {\n  graph [rankdir=LR, overlap=false, fontname=\"DejaVu Sans\"];\n  node [style=filled, fontname=\"DejaVu Sans\"];\n  edge [fontname=\"DejaVu Sans\", fontsize=10];\n",
    );
    for node in graph.nodes() {
        if !degrees.contains_key(node.id.as_str()) {
            continue;
        }
        let (shape, fill) = node_style(&node.entity_type);
        let label = if node.label_ar.is_empty() {
            node.label_en.clone()
        } else {
            format!("{}\n{}", node.label_en, node.label_ar)
        };
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\", tooltip=\"{}\"];\n",
            dot_escape(&node.id),
            dot_escape(&label),
            dot_escape(&format!("{} ({} mentions)", node.label_en, node.mentions)),
        ));
    }
    for (source, target, edge) in graph.edges() {
        let (color, style) = kind_style(edge.kind);
        let width = 1.0 + (edge.weight as f64).ln().min(4.0);
        let tooltip = edge
            .evidence
            .as_ref()
            .map(|(article, _, sentence)| format!("{article}: {sentence}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{} ×{}\", color=\"{color}\", fontcolor=\"{color}\", style={style}, penwidth={width:.2}{}, tooltip=\"{}\"];\n",
            dot_escape(source),
            dot_escape(target),
            edge.kind.as_str(),
            edge.weight,
            if edge.kind.is_symmetric() { ", dir=none" } else { "" },
            dot_escape(&tooltip),
        ));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_are_escaped() {
        let cases = [
            ("حكومة \"الوفاق\"", "حكومة \\\"الوفاق\\\""),
            ("a\\b", "a\\\\b"),
            ("سطر\nثان", "سطر\\nثان"),
            ("tab\there", "tabhere"),
        ];
        for (raw, escaped) in cases {
            assert_eq!(dot_escape(raw), escaped);
        }
    }

    #[test]
    fn an_uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut file = PendingFile::create(dir.path(), "edges.csv").unwrap();
            file.write_all(b"Source,Target\n").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut file = PendingFile::create(dir.path(), "edges.csv").unwrap();
        file.write_all(b"Source,Target\n").unwrap();
        file.commit().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("edges.csv")).unwrap(),
            "Source,Target\n"
        );
    }
}
