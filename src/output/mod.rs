//! Outputs: article records, CSV tables, Graphviz DOT, GraphML and GEXF, each written
//! whole or not at all.
//!
//! Every file is written to a temporary file in the output folder and renamed into
//! place only when complete, so an interrupted run leaves the previous outputs (or
//! none), never a truncated table. A device or a pipe given as an output
//! (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: a rename would replace it.

pub mod explain;
pub mod gexf;
pub mod graphml;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::OutputError;
use crate::graph::filter::View;
use crate::graph::{ActorGraph, Edge, Node};
use crate::record::encode;
use crate::record::{ArticleRecord, Relation, RelationKind};

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

/// Column names of unknown.csv: strings in actor slots that named nothing known.
pub const UNKNOWN_COLUMNS: &[&str] = &[
    "text",
    "count",
    "articles",
    "first_date",
    "last_date",
    "rules",
    "example_article",
    "example_trigger",
];

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
/// [`GRAPH_FILES`]: the slowest first (on the slice, graph.dot 2.4 ms, graph.gexf 2.3,
/// graph.graphml 2.0, unknown.csv 1.3, nodes.csv 0.6, edges.csv 0.3), so that no thread
/// starts a long one when the others are nearly done.
const RENDER_ORDER: [usize; 6] = [3, 5, 4, 2, 0, 1];

/// Which names label the nodes (and edges) of graph.dot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Labels {
    /// English labels; edges read `supports ×3`.
    En,
    /// Arabic names (English where there is none); edges read `دعم ×3`.
    Ar,
    /// English above Arabic; edges in English.
    #[default]
    Both,
}

/// How the outputs are written: the `--labels` and `--excel` options.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Output")]
pub struct ExportOptions {
    /// Node and edge labels in graph.dot: en, ar or both.
    #[arg(long, value_enum, value_name = "LANG", default_value_t = Labels::Both)]
    pub labels: Labels,
    /// Write the CSV tables for Excel: a UTF-8 byte-order mark and CRLF line ends,
    /// so that Excel opens Arabic text correctly.
    #[arg(long)]
    pub excel: bool,
}

/// A file being written; it appears under its name only on [`PendingFile::commit`].
pub struct PendingFile {
    path: PathBuf,
    writer: BufWriter<Writeback>,
}

/// A temporary file that asks the kernel to start writing it out every few megabytes,
/// so that the disk works while the batch does, and the sync at the end waits for the
/// last few megabytes only (measured: the time after the batch on the slice, 42 -> 31 ms
/// at two threads, 46 -> 36 ms at one).
///
/// On Linux, `POSIX_FADV_DONTNEED` starts the write-out of a range's dirty pages without
/// waiting for it (and drops only the pages already clean); elsewhere nothing is asked,
/// and the sync does all the work as before.
struct Writeback {
    file: Destination,
    written: u64,
    /// How much of the file the kernel has been asked to write out.
    started: u64,
}

/// How many new bytes make [`Writeback`] ask the kernel to write them out.
const WRITEBACK_BYTES: u64 = 2 << 20;

/// Where a [`PendingFile`]'s bytes go.
enum Destination {
    /// A temporary file beside the target, renamed over it on commit.
    Temporary(NamedTempFile),
    /// The target itself: a device or a pipe, which a rename would replace (as root,
    /// `/dev/null` would become a regular file that every later program writes to and
    /// reads back) rather than write to. Nothing is left half-written in it that a
    /// later run could take for a whole output.
    InPlace(fs::File),
}

impl Destination {
    /// Opens the destination for `path`.
    fn open(dir: &Path, name: &str, path: &Path) -> std::io::Result<Destination> {
        match fs::metadata(path) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map(Destination::InPlace),
            _ => {
                let mut builder = tempfile::Builder::new();
                // An ordinary new file's permissions, as the umask says, where a
                // temporary file would otherwise be private (0600).
                #[cfg(unix)]
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
                builder
                    .prefix(&format!(".{name}."))
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .map(Destination::Temporary)
                    .map_err(|e| match fs::metadata(dir) {
                        // The error would name the temporary file, which the user
                        // never asked for: name what is missing instead.
                        Err(_) => {
                            std::io::Error::new(e.kind(), format!("no folder {}", dir.display()))
                        }
                        Ok(_) => e,
                    })
            }
        }
    }

    /// The file the bytes go to, temporary or the target.
    fn file_mut(&mut self) -> &mut fs::File {
        match self {
            Destination::Temporary(temp) => temp.as_file_mut(),
            Destination::InPlace(file) => file,
        }
    }
}

impl Writeback {
    /// Asks the kernel to start writing out what it has not been asked to yet.
    fn start(&mut self) {
        #[cfg(target_os = "linux")]
        let _ = rustix::fs::fadvise(
            &*self.file.file_mut(),
            self.started,
            std::num::NonZeroU64::new(self.written - self.started),
            rustix::fs::Advice::DontNeed,
        );
        self.started = self.written;
    }
}

impl Write for Writeback {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.file_mut().write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= WRITEBACK_BYTES {
            self.start();
        }
        Ok(n)
    }

    /// Also asks the kernel to start writing out the rest of the file: the sync at the
    /// commit then waits for less.
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.file_mut().flush()?;
        self.start();
        Ok(())
    }
}

/// Asks the kernel to drop the cached pages of the file at `path`, if there is one:
/// replacing a file makes the kernel free its cached pages during the rename, and a
/// previous run's outputs are cached whole. Nothing is asked off Linux.
pub fn forget_cached(path: &Path) {
    // Only a regular file: opening a FIFO to read would wait for a writer.
    #[cfg(target_os = "linux")]
    if fs::metadata(path).is_ok_and(|meta| meta.is_file()) {
        if let Ok(file) = fs::File::open(path) {
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

impl PendingFile {
    /// Starts `dir/name`.
    pub fn create(dir: &Path, name: &str) -> Result<PendingFile, OutputError> {
        let path = dir.join(name);
        let file = Destination::open(dir, name, &path).map_err(|source| OutputError {
            path: path.clone(),
            source,
        })?;
        Ok(PendingFile {
            path,
            writer: BufWriter::with_capacity(
                1 << 16,
                Writeback {
                    file,
                    written: 0,
                    started: 0,
                },
            ),
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
        commit_all(vec![self]).map(|mut paths| paths.remove(0))
    }

    /// Flushes the buffer into the file, and frees it.
    fn flushed(self) -> Result<FlushedFile, OutputError> {
        let writeback = self.writer.into_inner().map_err(|e| OutputError {
            path: self.path.clone(),
            source: e.into_error(),
        })?;
        Ok(FlushedFile {
            path: self.path,
            file: writeback.file,
        })
    }
}

/// A [`PendingFile`] whose text is all in its file: what waits for the
/// others to be done before they are committed together, without a buffer.
struct FlushedFile {
    path: PathBuf,
    file: Destination,
}

/// Commits `files`: flushes them all, then syncs each to disk, then renames each into
/// place, so that no file appears under its name before every one is safely on disk.
fn commit_all(files: Vec<PendingFile>) -> Result<Vec<PathBuf>, OutputError> {
    let flushed = files
        .into_iter()
        .map(PendingFile::flushed)
        .collect::<Result<Vec<_>, _>>()?;
    commit_all_on(flushed, 1)
}

/// [`commit_all`], syncing on up to `threads` threads: writing a file out is work for
/// the kernel on the thread that asks, so two files go out at once on two cores.
fn commit_all_on(flushed: Vec<FlushedFile>, threads: usize) -> Result<Vec<PathBuf>, OutputError> {
    let syncs: Vec<Task<'_, Result<(), OutputError>>> = flushed
        .iter()
        .map(
            |FlushedFile { path, file }| -> Task<'_, Result<(), OutputError>> {
                Box::new(move || match file {
                    Destination::Temporary(temp) => {
                        temp.as_file().sync_all().map_err(|source| OutputError {
                            path: path.clone(),
                            source,
                        })
                    }
                    Destination::InPlace(_) => Ok(()),
                })
            },
        )
        .collect();
    in_parallel(syncs, threads)
        .into_iter()
        .collect::<Result<(), _>>()?;
    flushed
        .into_iter()
        .map(|FlushedFile { path, file }| {
            if let Destination::Temporary(temp) = file {
                temp.persist(&path).map_err(|e| OutputError {
                    path: path.clone(),
                    source: e.error,
                })?;
            }
            Ok(path)
        })
        .collect()
}

/// A graph renderer that writes its text to any `std::fmt::Write`.
type Render<'a> = Box<dyn Fn(&mut dyn std::fmt::Write) + Send + 'a>;

/// A piece of work for [`in_parallel`].
type Task<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `tasks` on up to `threads` threads, the calling one and threads of rayon's
/// global pool, and returns their results in the order of `tasks`. Each thread takes
/// the next task as soon as it is free, so `tasks` should come heaviest first.
///
/// The global pool's threads are warm (their allocator arenas already hold memory),
/// where a pool built for the call started cold threads: the graph files of the slice
/// took 7.9 ms on two such threads (9.5 ms on one), and take 5.4 ms this way.
fn in_parallel<T: Send>(tasks: Vec<Task<'_, T>>, threads: usize) -> Vec<T> {
    let helpers = threads.min(tasks.len()).saturating_sub(1);
    if helpers == 0 {
        return tasks.into_iter().map(|task| task()).collect();
    }
    let count = tasks.len();
    let queue = std::sync::Mutex::new(tasks.into_iter().enumerate());
    let done = std::sync::Mutex::new(Vec::with_capacity(count));
    let work = || {
        loop {
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((index, task)) = next else { break };
            let result = task();
            done.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((index, result));
        }
    };
    rayon::in_place_scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(|_| work());
        }
        work();
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|&(index, _)| index);
    done.into_iter().map(|(_, result)| result).collect()
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    /// The buffer's own `write_all`, which copies a piece that fits in one step: the
    /// default loops over `write`, and the graph files are written in about 100,000
    /// pieces.
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Starts a CSV table in `dir/name` and writes its header: for Excel, after a
/// byte-order mark and with CRLF line ends.
pub fn csv_table(
    dir: &Path,
    name: &str,
    header: &[&str],
    options: &ExportOptions,
) -> Result<csv::Writer<PendingFile>, OutputError> {
    let mut file = PendingFile::create(dir, name)?;
    let mut builder = csv::WriterBuilder::new();
    if options.excel {
        file.write_all("\u{feff}".as_bytes())
            .map_err(|e| file.error(e))?;
        builder.terminator(csv::Terminator::CRLF);
    }
    let mut csv = builder.from_writer(file);
    csv.write_record(header).map_err(|e| OutputError {
        path: dir.join(name),
        source: std::io::Error::other(e),
    })?;
    Ok(csv)
}

/// The file under a CSV table, its rows written, to be committed.
fn table_file(csv: csv::Writer<PendingFile>, path: PathBuf) -> Result<PendingFile, OutputError> {
    csv.into_inner().map_err(|e| OutputError {
        path,
        source: e.into_error(),
    })
}

/// Writes a CSV table, header and rows, into a file still to be committed.
fn fill_table<R: IntoIterator<Item = Vec<String>>>(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: R,
    options: &ExportOptions,
) -> Result<PendingFile, OutputError> {
    let mut csv = csv_table(dir, name, header, options)?;
    for row in rows {
        csv.write_record(&row).map_err(|e| OutputError {
            path: dir.join(name),
            source: std::io::Error::other(e),
        })?;
    }
    table_file(csv, dir.join(name))
}

/// One row of relations.csv (see [`RELATION_COLUMNS`]).
pub fn relation_row(record: &ArticleRecord, r: &Relation) -> Vec<String> {
    let label = |id: &str| {
        record
            .mentions
            .iter()
            .find(|m| m.entity == id)
            .map_or_else(|| id.to_string(), |m| m.label.clone())
    };
    vec![
        record.id.clone(),
        record.date.clone().unwrap_or_default(),
        r.field.as_str().to_string(),
        r.kind.as_str().to_string(),
        r.source.entity.clone(),
        label(&r.source.entity),
        r.target.entity.clone(),
        label(&r.target.entity),
        r.negated.to_string(),
        r.hedged.to_string(),
        r.rule.clone(),
        r.trigger.text.clone(),
        r.trigger.start.to_string(),
        r.trigger.end.to_string(),
        r.source.start.to_string(),
        r.source.end.to_string(),
        r.target.start.to_string(),
        r.target.end.to_string(),
        r.sentence.start.to_string(),
        r.sentence.end.to_string(),
        r.sentence.text.clone(),
    ]
}

/// The part of a record that relations.csv and `explain` need: its relations, and
/// one mention of each entity they name (for its label). Records without relations
/// give `None`.
pub fn relations_only(record: ArticleRecord) -> Option<ArticleRecord> {
    if record.relations.is_empty() {
        return None;
    }
    let mut record = record;
    let mut mentions = Vec::new();
    for m in std::mem::take(&mut record.mentions) {
        let named = record
            .relations
            .iter()
            .any(|r| r.source.entity == m.entity || r.target.entity == m.entity);
        if named
            && !mentions
                .iter()
                .any(|k: &crate::record::Mention| k.entity == m.entity)
        {
            mentions.push(m);
        }
    }
    record.mentions = mentions;
    Some(record)
}

/// Writes relations.csv: the relations of `records` that the view keeps.
pub fn write_relations(
    dir: &Path,
    records: &[ArticleRecord],
    view: &View,
    options: &ExportOptions,
) -> Result<PathBuf, OutputError> {
    let rows = records.iter().flat_map(|record| {
        record
            .relations
            .iter()
            .filter(|r| view.keeps_relation(r))
            .map(|r| relation_row(record, r))
    });
    fill_table(dir, "relations.csv", RELATION_COLUMNS, rows, options)?.commit()
}

/// Streams records and their mentions and relations to OUTDIR while a batch runs.
pub struct RecordWriter {
    dir: PathBuf,
    options: ExportOptions,
    articles: PendingFile,
    /// Its header written by the csv crate, its rows by [`encode::mention_rows`].
    mentions: PendingFile,
    relations: csv::Writer<PendingFile>,
    /// The line end of mentions.csv: CRLF for Excel.
    terminator: &'static [u8],
    /// One record's JSON or rows, written to the file in one call.
    line: Vec<u8>,
}

impl RecordWriter {
    /// Creates OUTDIR if needed and starts articles.jsonl, mentions.csv and relations.csv.
    pub fn create(dir: &Path) -> Result<RecordWriter, OutputError> {
        RecordWriter::create_with(dir, &ExportOptions::default())
    }

    /// [`RecordWriter::create`], with the given options for every table.
    pub fn create_with(dir: &Path, options: &ExportOptions) -> Result<RecordWriter, OutputError> {
        fs::create_dir_all(dir).map_err(|source| OutputError {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(RecordWriter {
            dir: dir.to_path_buf(),
            options: options.clone(),
            mentions: table_file(
                csv_table(dir, "mentions.csv", MENTION_COLUMNS, options)?,
                dir.join("mentions.csv"),
            )?,
            relations: csv_table(dir, "relations.csv", RELATION_COLUMNS, options)?,
            articles: PendingFile::create(dir, "articles.jsonl")?,
            terminator: if options.excel { b"\r\n" } else { b"\n" },
            line: Vec::new(),
        })
    }

    /// Appends one record to the three streams.
    pub fn write(&mut self, record: &ArticleRecord) -> Result<(), OutputError> {
        let error = |name: &str, e: std::io::Error| OutputError {
            path: self.dir.join(name),
            source: e,
        };
        self.line.clear();
        encode::article_json(record, &mut self.line)
            .map_err(|e| error("articles.jsonl", e.into()))?;
        self.line.push(b'\n');
        self.articles
            .write_all(&self.line)
            .map_err(|e| error("articles.jsonl", e))?;
        self.line.clear();
        encode::mention_rows(record, self.terminator, &mut self.line);
        self.mentions
            .write_all(&self.line)
            .map_err(|e| error("mentions.csv", e))?;
        for r in &record.relations {
            self.relations
                .write_record(relation_row(record, r))
                .map_err(|e| error("relations.csv", std::io::Error::other(e)))?;
        }
        Ok(())
    }

    /// Asks the kernel to start writing out the rest of the three streams, once the
    /// last record is written: the graph is made and its files written meanwhile, and
    /// the sync at the commit waits for less (on the slice, about 1.3 ms at one thread
    /// and at two).
    pub fn start_writeback(&mut self) -> Result<(), OutputError> {
        let error = |name: &str, source| OutputError {
            path: self.dir.join(name),
            source,
        };
        self.articles
            .flush()
            .map_err(|e| error("articles.jsonl", e))?;
        self.mentions
            .flush()
            .map_err(|e| error("mentions.csv", e))?;
        self.relations
            .flush()
            .map_err(|e| error("relations.csv", e))
    }

    /// Commits the streams and writes the graph files of the whole graph.
    pub fn finish(self, graph: &ActorGraph) -> Result<Vec<PathBuf>, OutputError> {
        self.finish_view(&View::whole(graph.clone()))
    }

    /// Commits the streams and writes the graph files of a filtered view.
    pub fn finish_view(self, view: &View) -> Result<Vec<PathBuf>, OutputError> {
        self.finish_view_on(view, 1)
    }

    /// [`RecordWriter::finish_view`] on up to `threads` threads: the graph files are
    /// made at once, and the files synced at once. This is the end of a batch, when
    /// nothing else runs.
    pub fn finish_view_on(self, view: &View, threads: usize) -> Result<Vec<PathBuf>, OutputError> {
        let mut files = vec![
            self.articles.flushed()?,
            self.mentions.flushed()?,
            table_file(self.relations, self.dir.join("relations.csv"))?.flushed()?,
        ];
        files.extend(view_files(&self.dir, view, &self.options, threads)?);
        commit_all_on(files, threads)
    }
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
                e.articles.iter().collect::<Vec<_>>().join(";"),
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
            vec![
                row.text.to_string(),
                row.count.to_string(),
                row.articles.to_string(),
                row.first_date.map(|d| d.to_string()).unwrap_or_default(),
                row.last_date.map(|d| d.to_string()).unwrap_or_default(),
                rules.join(";"),
                row.example.0.to_string(),
                row.example.1.to_string(),
            ]
        });
        fill_table(dir, "unknown.csv", UNKNOWN_COLUMNS, rows, options)
    });
    let mut tasks = vec![nodes, edges, unknown];
    // Rendered straight into the files: on a large graph each text is megabytes.
    let renderers: [Render<'_>; 3] = [
        Box::new(move |out| write_dot(out, view, options.labels)),
        Box::new(move |out| crate::output::graphml::write_graphml(out, graph)),
        Box::new(move |out| crate::output::gexf::write_gexf(out, view)),
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

/// Gephi's edge `Type`: `Undirected` for meets and allied, `Directed` otherwise.
pub fn edge_type(kind: RelationKind) -> &'static str {
    if kind.is_symmetric() {
        "Undirected"
    } else {
        "Directed"
    }
}

/// Escapes `text` for a double-quoted DOT string: quotes and backslashes escaped,
/// line breaks turned into DOT's `\n`, other control characters dropped.
pub fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_dot_escaped(&mut out, text);
    out
}

/// Writes [`dot_escape`] of `text` to `out`, without making the string.
pub fn write_dot_escaped(out: &mut dyn std::fmt::Write, text: &str) {
    escape_chars(
        out,
        text,
        |b| b < 0x20 || matches!(b, b'"' | b'\\' | 0x7F | 0xC2),
        |c, out| match c {
            '"' => out.write_str("\\\""),
            '\\' => out.write_str("\\\\"),
            '\n' => out.write_str("\\n"),
            c if c.is_control() => Ok(()),
            c => out.write_char(c),
        },
    );
}

/// Writes `text` to `out`, handing each character whose first byte `special` picks to
/// `escape`, which writes what stands for it. The rest is written in runs, not
/// character by character: the graph files escape every label and evidence sentence.
/// A writer that fails keeps its own error (as [`TextSink`] does).
///
/// `special` must pick only bytes that start a character (ASCII, or lead bytes such as
/// 0xC2 for U+0080..U+00BF), and every first byte of a character `escape` changes.
fn escape_chars(
    out: &mut dyn std::fmt::Write,
    text: &str,
    special: impl Fn(u8) -> bool,
    escape: impl Fn(char, &mut dyn std::fmt::Write) -> std::fmt::Result,
) {
    let bytes = text.as_bytes();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        if !special(bytes[at]) {
            at += 1;
            continue;
        }
        let c = text[at..].chars().next().expect("a character starts here");
        let _ = out.write_str(&text[copied..at]);
        let _ = escape(c, out);
        at += c.len_utf8();
        copied = at;
    }
    let _ = out.write_str(&text[copied..]);
}

/// An edge's attributes shared by the XML exports (GraphML and GEXF): kind, dates,
/// article ids and the strongest evidence.
pub fn edge_fields(edge: &Edge) -> Vec<(&'static str, String)> {
    let evidence = edge.evidence.as_ref();
    vec![
        ("kind", edge.kind.as_str().to_string()),
        ("first_date", edge.first_date.clone().unwrap_or_default()),
        ("last_date", edge.last_date.clone().unwrap_or_default()),
        (
            "articles",
            edge.articles.iter().collect::<Vec<_>>().join(";"),
        ),
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

/// Escapes `text` for XML content and attribute values (and Graphviz HTML labels):
/// `& < > " '` become entities; characters XML 1.0 forbids (controls other than
/// tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_xml_escaped(&mut out, text);
    out
}

/// Writes [`xml_escape`] of `text` to `out`, without making the string.
pub fn write_xml_escaped(out: &mut dyn std::fmt::Write, text: &str) {
    escape_chars(
        out,
        text,
        |b| b < 0x20 || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0x7F | 0xC2 | 0xEF),
        |c, out| match c {
            '&' => out.write_str("&amp;"),
            '<' => out.write_str("&lt;"),
            '>' => out.write_str("&gt;"),
            '"' => out.write_str("&quot;"),
            '\'' => out.write_str("&apos;"),
            '\t' | '\n' | '\r' => out.write_char(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => Ok(()),
            c => out.write_char(c),
        },
    );
}

/// Left-to-right isolate, right-to-left isolate, and their end (U+2066, U+2067, U+2069).
const LRI: char = '\u{2066}';
const RLI: char = '\u{2067}';
const PDI: char = '\u{2069}';

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{660}'..='\u{669}').contains(&c)
        || ('\u{6f0}'..='\u{6f9}').contains(&c)
}

/// Wraps each number or date in `text` («2018-04-02», «5+5», «1.5») in a
/// left-to-right isolate (U+2066 … U+2069), so that a right-to-left renderer does
/// not reorder its parts («02-04-2018»).
pub fn isolate_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(start) = rest.find(is_digit) {
        out.push_str(&rest[..start]);
        let mut end = start;
        let mut chars = rest[start..].chars().peekable();
        while let Some(c) = chars.next() {
            if is_digit(c) {
                end += c.len_utf8();
            } else if "-/.:,+×%".contains(c)
                && let Some(&next) = chars.peek().filter(|&&next| is_digit(next))
            {
                chars.next();
                end += c.len_utf8() + next.len_utf8();
            } else {
                break;
            }
        }
        out.push(LRI);
        out.push_str(&rest[start..end]);
        out.push(PDI);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
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
fn node_colour<'a>(node: &Node, colours: &'a BTreeMap<String, &'static str>) -> &'a str {
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
fn kind_style(kind: RelationKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        RelationKind::Meets => ("#607d8b", "dashed", "none", "╌╌╌"),
        RelationKind::Supports => ("#2e7d32", "solid", "normal", "━━▶"),
        RelationKind::Allied => ("#1565c0", "bold", "none", "━━━"),
        RelationKind::Opposes => ("#c62828", "solid", "tee", "━━┫"),
    }
}

/// Shape and extra style of a node type: a person is an ellipse, an organisation a
/// rounded box, a state or place a hexagon, an event a note.
fn node_shape(entity_type: &str) -> (&'static str, &'static str) {
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

/// The graph as Graphviz DOT: actors with at least one edge, shaped by type and
/// filled by country; edges coloured and styled by kind, wider with weight, labelled
/// with kind and count, with the strongest evidence as tooltip; a caption (with the
/// filters in words) and a legend.
///
/// Written to `out` piece by piece, so that a large graph is never whole in memory (a
/// writer that fails keeps its own error).
pub fn write_dot(out: &mut dyn std::fmt::Write, view: &View, labels: Labels) {
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
        let label = match labels {
            Labels::Ar => format!("{} {LRI}×{}{PDI}", kind_ar(edge.kind), edge.weight),
            _ => format!("{} ×{}", edge.kind.as_str(), edge.weight),
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_cached_pages_keeps_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        let bytes = "{\"id\":\"ليبيا\"}\n".repeat(10_000);
        fs::write(&path, &bytes).unwrap();
        forget_cached(&path);
        forget_cached(&dir.path().join("absent.csv"));
        assert_eq!(fs::read_to_string(&path).unwrap(), bytes);
        assert!(!dir.path().join("absent.csv").exists());
    }

    /// The graph files are all made, each once, whatever order they are made in.
    #[test]
    fn the_render_order_makes_every_graph_file_once() {
        let mut order = RENDER_ORDER.to_vec();
        order.sort_unstable();
        assert_eq!(order, (0..GRAPH_FILES.len()).collect::<Vec<_>>());
    }

    /// Results come back in the order of the tasks, whichever thread ran each and
    /// whichever finished first.
    #[test]
    fn parallel_tasks_keep_their_order() {
        for threads in [1, 2, 3, 8] {
            let tasks: Vec<Task<'_, usize>> = (0..7)
                .map(|i| -> Task<'_, usize> {
                    Box::new(move || {
                        std::thread::sleep(std::time::Duration::from_millis(7 - i as u64));
                        i * 10
                    })
                })
                .collect();
            assert_eq!(
                in_parallel(tasks, threads),
                [0, 10, 20, 30, 40, 50, 60],
                "{threads} threads"
            );
        }
    }

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
    fn xml_strings_are_escaped() {
        assert_eq!(
            xml_escape("<a href=\"x\">'حكومة' & co\u{1}\u{fffe}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;حكومة&apos; &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn numbers_and_dates_are_isolated() {
        assert_eq!(
            isolate_numbers("اللجنة العسكرية 5+5 في 2018-04-02."),
            "اللجنة العسكرية \u{2066}5+5\u{2069} في \u{2066}2018-04-02\u{2069}."
        );
        assert_eq!(isolate_numbers("عام ٢٠١٨"), "عام \u{2066}٢٠١٨\u{2069}");
        assert_eq!(isolate_numbers("بلا أرقام"), "بلا أرقام");
        assert_eq!(isolate_numbers("-5-"), "-\u{2066}5\u{2069}-");
        assert_eq!(
            isolate_numbers("5--5 ×2"),
            "\u{2066}5\u{2069}--\u{2066}5\u{2069} ×\u{2066}2\u{2069}"
        );
        assert_eq!(isolate_numbers("1.5%"), "\u{2066}1.5\u{2069}%");
    }

    /// Isolating as first written, over a vector of characters: the search over the
    /// text must agree with it.
    fn isolate_numbers_by_chars(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if !is_digit(chars[i]) {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() {
                if is_digit(chars[i]) {
                    i += 1;
                } else if "-/.:,+×%".contains(chars[i])
                    && chars.get(i + 1).is_some_and(|&c| is_digit(c))
                {
                    i += 2;
                } else {
                    break;
                }
            }
            out.push(LRI);
            out.extend(&chars[start..i]);
            out.push(PDI);
        }
        out
    }

    /// The escapes as they were first written, a character at a time.
    fn dot_escape_by_chars(text: &str) -> String {
        let mut out = String::new();
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

    fn xml_escape_by_chars(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// Pieces with every character either escape treats apart, and their neighbours.
    const ESCAPED_PIECES: &[&str] = &[
        "السراج",
        "a",
        " ",
        "\"",
        "\\",
        "\n",
        "\r",
        "\t",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{80}",
        "\u{9f}",
        "\u{a0}",
        "é",
        "&",
        "<",
        ">",
        "'",
        "\u{fffe}",
        "\u{ffff}",
        "\u{fffd}",
        "\u{ef}",
        "\u{2066}",
        "😀",
    ];

    proptest::proptest! {
        #![proptest_config(crate::testing::config(2000))]
        #[test]
        fn escaping_agrees_with_the_first_way(
            text in crate::testing::texts(ESCAPED_PIECES, 10)
        ) {
            proptest::prop_assert_eq!(dot_escape(&text), dot_escape_by_chars(&text));
            proptest::prop_assert_eq!(xml_escape(&text), xml_escape_by_chars(&text));
        }

        #[test]
        fn isolating_numbers_agrees_with_the_first_way(
            text in crate::testing::texts(
                &["5", "٢", "۱", "-", "/", ".", ":", ",", "+", "×", "%", " ", "في", "a", "\n"],
                14,
            )
        ) {
            proptest::prop_assert_eq!(isolate_numbers(&text), isolate_numbers_by_chars(&text));
        }
    }

    #[test]
    fn pen_width_grows_with_weight() {
        assert_eq!(pen_width(1), 1.0);
        assert!(pen_width(2) < pen_width(5));
        assert_eq!(pen_width(1_000_000), 7.0);
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

    #[test]
    fn a_file_written_out_while_it_grows_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = PendingFile::create(dir.path(), "articles.jsonl").unwrap();
        // Lines of varying length, past several write-back points.
        let mut expected = Vec::new();
        for i in 0..60_000 {
            let line = format!(
                "{{\"id\":\"{i}\",\"text\":\"{}\"}}\n",
                "ليبيا ".repeat(i % 23)
            );
            file.write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
        }
        assert!(expected.len() as u64 > 3 * WRITEBACK_BYTES);
        // The kernel was asked to write the file out while it grew, more than once.
        assert!(file.writer.get_ref().started > WRITEBACK_BYTES);
        file.commit().unwrap();
        assert!(fs::read(dir.path().join("articles.jsonl")).unwrap() == expected);
    }
}
