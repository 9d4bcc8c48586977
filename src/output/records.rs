//! The record streams a batch writes as it goes: articles.jsonl, mentions.csv and
//! relations.csv.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::atomic::{PendingFile, commit_all_on};
use super::tables::{
    MENTION_COLUMNS, RELATION_COLUMNS, csv_table, excel_row, relation_row, table_file,
};
use super::{ExportOptions, view_files};
use crate::error::OutputError;
use crate::graph::ActorGraph;
use crate::graph::filter::View;
use crate::record::ArticleRecord;
use crate::record::encode;

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
        encode::mention_rows(record, self.terminator, self.options.excel, &mut self.line);
        self.mentions
            .write_all(&self.line)
            .map_err(|e| error("mentions.csv", e))?;
        for r in &record.relations {
            self.relations
                .write_record(excel_row(relation_row(record, r), &self.options))
                .map_err(|e| error("relations.csv", std::io::Error::other(e)))?;
        }
        Ok(())
    }

    /// Asks the kernel to start writing out the rest of the three streams, once the
    /// last record is written: the graph is made and its files written meanwhile, and
    /// the sync at the commit waits for less.
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
