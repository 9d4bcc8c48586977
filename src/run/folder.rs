//! A run into an output folder (`extract -o OUTDIR`), and the same write path for
//! `bench`'s write stage.
//!
//! The order of the steps is what keeps a run's memory flat: records stream to their
//! files while the batch runs and only the graph's nodes are kept; the records the edges
//! and unknown strings need wait in a spill on disk; once the batch is done the
//! extractor's compiled lexicon is dropped (only filters that slice the graph read the
//! gazetteer), and its memory is reused by the edges, which join the graph last, when
//! the graph files are written.

use std::path::Path;
use std::sync::mpsc;

use crate::error::{FolderError, InputProblem, OutputError};
use crate::gazetteer::Gazetteer;
use crate::graph::ActorGraph;
use crate::graph::copies::Copies;
use crate::graph::filter::{FilterError, Filters, View};
use crate::graph::unknown::UnknownTally;
use crate::output::{
    ERRORS_CSV, ErrorsCsv, ExportOptions, GRAPH_FILES, RECORD_FILES, RecordWriter, Staging,
    forget_cached, relations_only,
};
use crate::pipeline::extract::Extractor;
use crate::record::ArticleRecord;
use crate::run::Observer;
use crate::run::batch::{self, Sink, Summary};
use crate::run::input::Inputs;
use crate::run::spill::RecordSpill;

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The output folder could not be made ready or filled.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// A filter names what neither the gazetteer nor the graph holds.
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// What the run shows before its outputs are committed (`extract --explain` on
    /// stdout) could not be written: nothing is committed.
    #[error("writing the explanation: {0}")]
    Show(#[source] std::io::Error),
}

/// What a run shows of its graph and relations once they are complete, before its
/// outputs replace the previous ones: a failure to show it fails the run with nothing
/// replaced.
pub type Show<'s> = &'s mut dyn FnMut(&View, &[ArticleRecord]) -> std::io::Result<()>;

/// How a folder run writes.
#[derive(Debug, Clone, Default)]
pub struct FolderOptions {
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// What to keep of the graph.
    pub filters: Filters,
    /// How the files are written.
    pub export: ExportOptions,
    /// Keep the records' relations for an explanation after the run.
    pub explain: bool,
}

/// What a folder run did.
pub struct FolderOutcome {
    /// The batch's counts.
    pub summary: Summary,
    /// The graph as filtered.
    pub view: View,
    /// With [`FolderOptions::explain`], the records' relations (see [`relations_only`]).
    pub explained: Vec<ArticleRecord>,
}

/// `extract -o OUTDIR`: runs `extractor` over `inputs` and writes every output into
/// `outdir` together, when all are complete and `show` has shown them. `forgetting`,
/// from [`forget_previous_outputs`], is waited for before the outputs replace the
/// previous ones.
pub fn extract_to_folder(
    extractor: Extractor,
    inputs: Inputs,
    outdir: &Path,
    options: &FolderOptions,
    forgetting: Option<mpsc::Receiver<()>>,
    observer: &mut dyn Observer,
    show: Show,
) -> Result<FolderOutcome, RunError> {
    let mut sink = FolderSink::create(outdir, options, extractor.gazetteer(), observer)?;
    let inputs = inputs.skipping_output(outdir);
    let summary = batch::run(&extractor, inputs, options.threads, &mut sink)?;
    let ending = sink.end_batch()?;
    let gazetteer = if options.filters.slices() {
        Some(extractor.into_gazetteer())
    } else {
        drop(extractor);
        None
    };
    let (view, explained) = ending.finish(gazetteer.as_ref(), summary.threads, forgetting, show)?;
    Ok(FolderOutcome {
        summary,
        view,
        explained,
    })
}

/// The batch's side of a folder run: each record to its files as it comes, its nodes
/// to the graph, and what the end needs to the spill.
pub struct FolderSink<'g, 'o> {
    /// Everything the run writes to, which outlives the batch.
    ending: FolderEnding<'o>,
    options: &'g FolderOptions,
    gazetteer: &'g Gazetteer,
}

/// The end of a folder run, once the batch is over and the gazetteer let go: the edges
/// join the graph, the graph files are written, and everything moves into OUTDIR.
pub struct FolderEnding<'o> {
    staging: Staging,
    graph: ActorGraph,
    explained: Vec<ArticleRecord>,
    filters: Filters,
    observer: &'o mut dyn Observer,
    writer: RecordWriter,
    errors: ErrorsCsv,
    spill: RecordSpill,
    copies: Copies,
}

impl<'g, 'o> FolderSink<'g, 'o> {
    /// Readies `outdir`'s staging folder and the record files, and checks the filters
    /// against the gazetteer.
    pub fn create(
        outdir: &Path,
        options: &'g FolderOptions,
        gazetteer: &'g Gazetteer,
        observer: &'o mut dyn Observer,
    ) -> Result<FolderSink<'g, 'o>, RunError> {
        // Arguments first: a run that stops on them never touches OUTDIR.
        options.filters.check(gazetteer, None)?;
        let staging = Staging::create(outdir)?;
        let writer = RecordWriter::create_with(staging.path(), &options.export)?;
        let errors = ErrorsCsv::create(staging.path(), &options.export)?;
        let spill = RecordSpill::create_in(staging.path())?;
        Ok(FolderSink {
            ending: FolderEnding {
                staging,
                graph: ActorGraph::new(),
                explained: Vec::new(),
                filters: options.filters.clone(),
                observer,
                writer,
                errors,
                spill,
                copies: Copies::new(),
            },
            options,
            gazetteer,
        })
    }

    /// The batch is over: starts writing the record files out, and lets go of the
    /// gazetteer, so that the caller can drop the extractor before the graph grows.
    pub fn end_batch(self) -> Result<FolderEnding<'o>, RunError> {
        let mut ending = self.ending;
        ending.observer.batch_done();
        ending.writer.start_writeback()?;
        Ok(ending)
    }
}

impl Sink for FolderSink<'_, '_> {
    type Error = OutputError;

    fn record(&mut self, record: &ArticleRecord, bytes: usize) -> Result<(), OutputError> {
        if self.options.filters.keeps_date(record.date.as_deref()) {
            self.ending.graph.add_nodes(record, self.gazetteer);
            self.ending.copies.observe(record);
            self.ending.spill.add(record)?;
            if self.options.explain {
                self.ending.explained.extend(relations_only(record.clone()));
            }
        }
        self.ending.observer.article(bytes);
        self.ending.writer.write(record)
    }

    fn problem(&mut self, problem: &InputProblem) {
        self.ending.observer.problem(problem);
        self.ending.errors.write(problem);
    }
}

impl FolderEnding<'_> {
    /// Builds the edges (one copy of each text, [`Copies`]) and the unknown tally from
    /// the spill, slices the graph (with
    /// `gazetteer`, which only filters that slice need), writes the graph files on up to
    /// `threads` threads, and moves every output into OUTDIR once `forgetting` is done
    /// and `show` has shown the view and the relations kept.
    pub fn finish(
        self,
        gazetteer: Option<&Gazetteer>,
        threads: usize,
        forgetting: Option<mpsc::Receiver<()>>,
        show: Show,
    ) -> Result<(View, Vec<ArticleRecord>), RunError> {
        let FolderEnding {
            staging,
            mut graph,
            explained,
            filters,
            observer,
            writer,
            errors,
            spill,
            mut copies,
        } = self;
        let mut unknown = UnknownTally::new();
        spill.replay(
            |r| {
                if copies.keeps(r) {
                    graph.add_edges(r);
                }
            },
            |r| unknown.add_record(r),
        )?;
        graph.set_unknown(unknown);
        graph.set_copies_folded(copies.folded());
        let view = match gazetteer {
            Some(gazetteer) => slice(&filters, graph, gazetteer, observer)?,
            None => filters.unsliced(graph),
        };
        writer.finish_view_on(&view, threads)?;
        errors.finish()?;
        show(&view, &explained).map_err(RunError::Show)?;
        if let Some(forgetting) = forgetting {
            let _ = forgetting.recv();
        }
        staging.commit()?;
        Ok((view, explained))
    }
}

/// Applies the filters other than dates to the merged graph; warns when nothing is left.
pub fn slice(
    filters: &Filters,
    graph: ActorGraph,
    gazetteer: &Gazetteer,
    observer: &mut dyn Observer,
) -> Result<View, FilterError> {
    let view = filters.apply(graph, gazetteer)?;
    if view.is_sliced() && view.graph.edges().is_empty() {
        observer.warning(&format!(
            "no edge is left after the filters ({})",
            view.caption
        ));
    }
    Ok(view)
}

/// With a second thread, while the gazetteer compiles, the outputs that a previous run
/// left in OUTDIR leave the page cache: replacing them at the end then does not wait
/// for the kernel to free their pages.
/// With one thread, the run keeps to it, and the kernel does that work at the end.
/// The receiver hears when it is done.
pub fn forget_previous_outputs(outdir: &Path, threads: usize) -> Option<mpsc::Receiver<()>> {
    if batch::workers(threads) < 2 || outdir.as_os_str() == "-" || !outdir.is_dir() {
        return None;
    }
    let outdir = outdir.to_path_buf();
    let (done, finished) = mpsc::channel();
    // On rayon's global pool, whose threads are there anyway: a thread of its own would
    // allocate from a jemalloc arena of its own, and the run's peak memory would
    // depend on which threads came to share arenas.
    rayon::spawn(move || {
        let names = RECORD_FILES.iter().chain(GRAPH_FILES).chain(&[ERRORS_CSV]);
        for name in names {
            forget_cached(&outdir.join(name));
        }
        let _ = done.send(());
    });
    Some(finished)
}
