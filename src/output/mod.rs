//! Outputs: article records, CSV tables, Graphviz DOT, GraphML, GEXF and the HTML report,
//! each written whole or not at all.
//!
//! Every file is written to a temporary file in the output folder and renamed into
//! place only when complete, so an interrupted run leaves the previous outputs (or
//! none), never a truncated table. A device or a pipe given as an output
//! (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: a rename would replace it.

mod atomic;
mod dot;
mod escape;
pub mod explain;
mod force;
mod gexf;
mod graphml;
mod parallel;
mod records;
pub mod report;
mod staging;
mod style;
mod tables;

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::OutputError;
use crate::graph::ActorGraph;
use crate::graph::filter::View;
use crate::text::plural::counted;

pub use atomic::PendingFile;
pub use escape::{join_list, terminal_escape};
pub use records::RecordWriter;
pub use staging::Staging;
pub use style::{EdgeLabels, Labels};
pub use tables::{
    EDGE_COLUMNS, ErrorsCsv, MENTION_COLUMNS, NODE_COLUMNS, RELATION_COLUMNS, UNKNOWN_COLUMNS,
    relations_only, write_relations,
};

pub(crate) use atomic::forget_cached;

use atomic::{FlushedFile, commit_all_on};
use dot::write_dot;
use parallel::{Task, in_parallel};
use style::edge_type;
use tables::fill_table;

/// The file that lists a run's problems in OUTDIR.
pub const ERRORS_CSV: &str = "errors.csv";

/// The files [`RecordWriter`] writes, as the records come.
pub const RECORD_FILES: &[&str] = &["articles.jsonl", "mentions.csv", "relations.csv"];

/// The graph files [`write_view`] writes, in order.
pub const GRAPH_FILES: &[&str] = &[
    "nodes.csv",
    "edges.csv",
    "unknown.csv",
    "graph.dot",
    "graph.graphml",
    "graph.gexf",
];

/// The order in which the graph files are made on several threads, by index into
/// [`GRAPH_FILES`]: the slowest first (graph.dot, graph.gexf, graph.graphml, then
/// unknown.csv, nodes.csv and edges.csv), so that no thread starts a long one when the
/// others are nearly done.
const RENDER_ORDER: [usize; 6] = [3, 5, 4, 2, 0, 1];

/// How the outputs are written.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Node and edge labels in graph.dot.
    pub labels: Labels,
    /// What the edges of graph.dot say.
    pub edge_labels: EdgeLabels,
    /// CSV tables for Excel: a UTF-8 byte-order mark and CRLF line ends, so that Excel
    /// opens Arabic text correctly.
    pub excel: bool,
    /// The most actors graph.dot draws of a graph too large to lay out readably
    /// ([`dot_drawing`]); 0 draws it whole.
    pub dot_top: u64,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            labels: Labels::default(),
            edge_labels: EdgeLabels::default(),
            excel: false,
            dot_top: DOT_TOP,
        }
    }
}

/// How many actors graph.dot draws by default of a graph too large to read: as many as
/// `--top 30 --min-weight 2`, which draws a readable picture of a 3,000-article slice.
pub const DOT_TOP: u64 = 30;

/// A graph renderer that writes its text to any `std::fmt::Write`.
type Render<'a> = Box<dyn Fn(&mut dyn std::fmt::Write) + Send + 'a>;

/// The most actors graph.dot draws before a run warns that Graphviz cannot lay it out
/// readably (a dump's whole graph, hundreds of actors and thousands of edges, runs
/// `dot` for minutes into a hairball).
pub const READABLE_ACTORS: usize = 150;
/// The most edges graph.dot draws before a run warns, as [`READABLE_ACTORS`].
pub const READABLE_EDGES: usize = 400;

/// Whether a drawing of `view`'s actors with an edge is more than Graphviz lays out
/// readably.
fn too_large(view: &View) -> bool {
    view.graph.degrees().len() > READABLE_ACTORS || view.graph.edges().len() > READABLE_EDGES
}

/// What graph.dot draws of `view`: its actors that have an edge, and its edges; or, when
/// that is too large to read and neither `--top` nor `--around` chose the actors, the
/// `options.dot_top` actors [`View::top_drawing`] picks (unless it is 0).
pub fn dot_drawing<'v>(view: &'v View, options: &ExportOptions) -> Cow<'v, View> {
    if options.dot_top > 0 && !view.is_chosen() && too_large(view) {
        Cow::Owned(view.top_drawing(options.dot_top))
    } else {
        Cow::Borrowed(view)
    }
}

/// What a run says on stderr about graph.dot when the graph is too large to draw
/// readably, naming the filters that make a readable picture: a note when graph.dot
/// draws only its top actors ([`dot_drawing`]), a warning when it draws it all; `None`
/// when it is small enough.
pub fn drawing_advice(view: &View, options: &ExportOptions) -> Option<String> {
    if !too_large(view) {
        return None;
    }
    let slices = "--top N --min-weight N, --around ENTITY [--star], --country CODE or --kinds KINDS (`actorgraph graph` slices the records again without extracting); Gephi opens graph.gexf whole";
    let (actors, edges) = (
        counted(view.graph.degrees().len() as u64, "actor"),
        counted(view.graph.edges().len() as u64, "edge"),
    );
    let drawing = dot_drawing(view, options);
    Some(match drawing {
        Cow::Owned(top) => format!(
            "note: the graph has {actors} with edges and {edges}, more than Graphviz lays out readably: graph.dot draws the top {} ({} and {}; its caption says so); for another picture: {slices}; --dot-top 0 draws it all",
            options.dot_top,
            counted(top.graph.degrees().len() as u64, "actor"),
            counted(top.graph.edges().len() as u64, "edge"),
        ),
        Cow::Borrowed(_) => format!(
            "warning: graph.dot draws {actors} and {edges}, more than Graphviz lays out readably (it may run for minutes); for a picture, slice it: --top 30 --min-weight 2, {}",
            &slices["--top N --min-weight N, ".len()..]
        ),
    })
}

/// Writes the graph files of the whole graph with the default options.
pub fn write_graph(dir: &Path, graph: &ActorGraph) -> Result<Vec<PathBuf>, OutputError> {
    write_view(dir, &View::whole(graph.clone()), &ExportOptions::default())
}

/// A text writer over a [`PendingFile`] that keeps the first I/O error, for the
/// renderers, which write with `std::fmt::Write`.
struct TextSink {
    file: PendingFile,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for TextSink {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.file.write_all(text.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Writes [`GRAPH_FILES`]: nodes.csv, edges.csv, unknown.csv, graph.dot, graph.graphml
/// and graph.gexf.
pub fn write_view(
    dir: &Path,
    view: &View,
    options: &ExportOptions,
) -> Result<Vec<PathBuf>, OutputError> {
    fs::create_dir_all(dir).map_err(|source| OutputError {
        path: dir.to_path_buf(),
        source,
    })?;
    commit_all_on(view_files(dir, view, options, 1)?, 1)
}

/// [`GRAPH_FILES`], written on up to `threads` threads, to be committed.
fn view_files(
    dir: &Path,
    view: &View,
    options: &ExportOptions,
    threads: usize,
) -> Result<Vec<FlushedFile>, OutputError> {
    let graph = &view.graph;
    let nodes: Task<'_, Result<PendingFile, OutputError>> = Box::new(move || {
        let degrees = graph.degrees();
        let rows = graph.nodes().into_iter().map(|n| {
            vec![
                n.id.clone(),
                n.label_en.clone(),
                n.label_ar.clone(),
                n.entity_type.clone(),
                n.country.clone(),
                n.mentions.to_string(),
                degrees.get(n.id.as_str()).copied().unwrap_or(0).to_string(),
                n.known.to_string(),
            ]
        });
        fill_table(dir, "nodes.csv", NODE_COLUMNS, rows, options)
    });
    let edges: Task<'_, Result<PendingFile, OutputError>> = Box::new(move || {
        let rows = graph.edges().into_iter().map(|(s, t, e)| {
            vec![
                s.to_string(),
                t.to_string(),
                edge_type(e.kind).to_string(),
                e.weight.to_string(),
                e.kind.as_str().to_string(),
                e.kind.as_str().to_string(),
                e.first_date.clone().unwrap_or_default(),
                e.last_date.clone().unwrap_or_default(),
                join_list(e.articles.iter()),
            ]
        });
        fill_table(dir, "edges.csv", EDGE_COLUMNS, rows, options)
    });
    let unknown: Task<'_, Result<PendingFile, OutputError>> = Box::new(move || {
        let rows = graph.unknown().rows().map(|row| {
            let rules: Vec<String> = row
                .rules
                .iter()
                .map(|(rule, count)| format!("{rule}:{count}"))
                .collect();
            let rules = join_list(rules.iter().map(String::as_str));
            vec![
                row.text.to_string(),
                row.count.to_string(),
                row.articles.to_string(),
                row.first_date.map(|d| d.to_string()).unwrap_or_default(),
                row.last_date.map(|d| d.to_string()).unwrap_or_default(),
                rules,
                row.example.0.to_string(),
                row.example.1.to_string(),
            ]
        });
        fill_table(dir, "unknown.csv", UNKNOWN_COLUMNS, rows, options)
    });
    let mut tasks = vec![nodes, edges, unknown];
    // Rendered straight into the files: on a large graph each text is megabytes.
    let renderers: [Render<'_>; 3] = [
        Box::new(move |out| {
            write_dot(
                out,
                &dot_drawing(view, options),
                options.labels,
                options.edge_labels,
            )
        }),
        Box::new(move |out| graphml::write_graphml(out, graph)),
        Box::new(move |out| gexf::write_gexf(out, view)),
    ];
    for (name, render) in GRAPH_FILES[3..].iter().zip(renderers) {
        tasks.push(Box::new(move || {
            let mut sink = TextSink {
                file: PendingFile::create(dir, name)?,
                error: None,
            };
            render(&mut sink);
            match sink.error {
                Some(e) => Err(sink.file.error(e)),
                None => Ok(sink.file),
            }
        }));
    }
    // Each file is flushed as soon as it is written, so that its buffer is free for the
    // next one: one run's peak memory is at this end, with the whole graph.
    let mut flushing: Vec<(usize, Task<'_, Result<FlushedFile, OutputError>>)> = tasks
        .into_iter()
        .map(|task| -> Task<'_, Result<FlushedFile, OutputError>> {
            Box::new(move || task()?.flushed())
        })
        .enumerate()
        .collect();
    flushing.sort_by_key(|&(file, _)| RENDER_ORDER.iter().position(|&f| f == file));
    let (files, flushing): (Vec<usize>, Vec<_>) = flushing.into_iter().unzip();
    let mut made: Vec<_> = files
        .into_iter()
        .zip(in_parallel(flushing, threads))
        .collect();
    made.sort_unstable_by_key(|&(file, _)| file);
    made.into_iter().map(|(_, file)| file).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The graph files are all made, each once, whatever order they are made in.
    #[test]
    fn the_render_order_makes_every_graph_file_once() {
        let mut order = RENDER_ORDER.to_vec();
        order.sort_unstable();
        assert_eq!(order, (0..GRAPH_FILES.len()).collect::<Vec<_>>());
    }
}
