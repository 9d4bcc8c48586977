//! The parts of a run's records that the graph takes only at the end.
//!
//! A run over a dump keeps its graph until the end. Its nodes are few (the actors), but
//! each edge keeps its evidence sentence, and the unknown strings number tens of
//! thousands. Added as they come, they would sit in memory beside the compiled gazetteer
//! for the whole run. [`RecordSpill`] keeps them in two temporary files instead, and
//! gives them back once the extractor is dropped, so that they take the memory it freed,
//! and a run's peak memory grows far less with the dump than it would with the graph
//! made as the records came.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::OutputError;
use crate::record::{ArticleRecord, Fingerprint, Mention, Relation, UnknownActor};

/// Records' factual relations and unknown strings, waiting in two temporary files: one
/// for the edges and one for the unknown-string tally, so that the two are made at once
/// on two threads.
#[derive(Debug)]
pub(crate) struct RecordSpill {
    relations: Stream,
    unknown: Stream,
    /// Where the files were made, to name them in errors.
    dir: PathBuf,
}

/// One temporary file of records: each one's length, then its bytes.
#[derive(Debug)]
struct Stream {
    file: BufWriter<File>,
    /// One record, encoded.
    block: Vec<u8>,
}

/// What is kept of a record: an [`ArticleRecord`] without its mentions, and with its
/// factual relations or its unknown strings. Written as MessagePack arrays, its fields
/// in the record's order, so that it reads back as a record: the fields a record skips
/// when empty are last in their structs and read back as their defaults, and the date
/// and the fingerprint are written even when there is none. Not JSON, whose escaping reads every byte and
/// would slow the run; not named fields, which the reading would match by name, and
/// which would take more work both to write the records and to replay them.
#[derive(Serialize)]
struct Kept<'r> {
    id: &'r str,
    date: Option<&'r str>,
    fingerprint: Option<Fingerprint>,
    mentions: &'r [Mention],
    relations: Vec<&'r Relation>,
    unknown: &'r [UnknownActor],
}

impl RecordSpill {
    /// Starts a spill in temporary files in `dir`, removed when the spill is dropped.
    pub(crate) fn create_in(dir: &Path) -> Result<RecordSpill, OutputError> {
        let stream = || -> io::Result<Stream> {
            Ok(Stream {
                file: BufWriter::new(tempfile::tempfile_in(dir)?),
                block: Vec::new(),
            })
        };
        let error = |e| spill_error(dir, e);
        Ok(RecordSpill {
            relations: stream().map_err(error)?,
            unknown: stream().map_err(error)?,
            dir: dir.to_path_buf(),
        })
    }

    /// Keeps what [`crate::ActorGraph::add_edges`] and
    /// [`crate::graph::unknown::UnknownTally::add_record`] read of `record`, if anything.
    pub(crate) fn add(&mut self, record: &ArticleRecord) -> Result<(), OutputError> {
        let kept = |relations, unknown| Kept {
            id: &record.id,
            date: record.date.as_deref(),
            fingerprint: record.fingerprint,
            mentions: &[],
            relations,
            unknown,
        };
        let facts: Vec<&Relation> = record.relations.iter().filter(|r| r.is_fact()).collect();
        if !facts.is_empty() {
            self.relations
                .put(&kept(facts, &[]))
                .map_err(|e| spill_error(&self.dir, e))?;
        }
        if !record.unknown.is_empty() {
            self.unknown
                .put(&kept(Vec::new(), &record.unknown))
                .map_err(|e| spill_error(&self.dir, e))?;
        }
        Ok(())
    }

    /// Gives every record kept back, in the order they were added: those with factual
    /// relations to `edges`, on the calling thread, and those with unknown strings to
    /// `unknown`, on rayon's global pool when it has two threads or more.
    ///
    /// The edges are made on the calling thread because the extractor was, and the
    /// allocator's memory is per thread: there they reuse the memory it freed. With one
    /// thread, all of it runs on the calling thread.
    pub(crate) fn replay(
        self,
        edges: impl FnMut(&ArticleRecord) + Send,
        unknown: impl FnMut(&ArticleRecord) + Send,
    ) -> Result<(), OutputError> {
        let RecordSpill {
            relations,
            unknown: unknown_stream,
            dir,
        } = self;
        let (made, tallied) = if rayon::current_num_threads() > 1 {
            let mut tallied = None;
            let made = rayon::in_place_scope(|scope| {
                scope.spawn(|_| tallied = Some(unknown_stream.replay(unknown)));
                relations.replay(edges)
            });
            (made, tallied.expect("the scope waits for its tasks"))
        } else {
            (relations.replay(edges), unknown_stream.replay(unknown))
        };
        made.and(tallied).map_err(|e| spill_error(&dir, e))
    }
}

impl Stream {
    fn put(&mut self, kept: &Kept<'_>) -> io::Result<()> {
        self.block.clear();
        rmp_serde::encode::write(&mut self.block, kept).map_err(io::Error::other)?;
        let len = u32::try_from(self.block.len())
            .map_err(|_| io::Error::other("a record of over 4 GB"))?;
        self.file.write_all(&len.to_le_bytes())?;
        self.file.write_all(&self.block)
    }

    fn replay(self, mut each: impl FnMut(&ArticleRecord)) -> io::Result<()> {
        let Stream { file, mut block } = self;
        let mut file = file.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::new(file);
        while !reader.fill_buf()?.is_empty() {
            let mut len = [0; 4];
            reader.read_exact(&mut len)?;
            block.resize(u32::from_le_bytes(len) as usize, 0);
            reader.read_exact(&mut block)?;
            let record: ArticleRecord = rmp_serde::from_slice(&block)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            each(&record);
        }
        Ok(())
    }
}

/// An error of the spill made in `dir`.
fn spill_error(dir: &Path, source: io::Error) -> OutputError {
    OutputError {
        path: dir.join("(temporary files of the graph's records)"),
        source,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::graph::unknown::UnknownTally;
    use crate::pipeline::extract::test_extractor;
    use crate::{ActorGraph, Article};

    proptest! {
        #![proptest_config(crate::testing::config(500))]

        /// Records of every shape read back as written, less their mentions, with their
        /// facts in one stream and their unknown strings in the other: the arrays the
        /// spill writes hold only while a field a record skips when empty is last in its
        /// struct (a `field` of `text`, a missing date are the usual ones).
        #[test]
        fn records_read_back_as_kept(records in proptest::collection::vec(crate::testing::record(), 0..4)) {
            let dir = tempfile::tempdir().unwrap();
            let mut spill = RecordSpill::create_in(dir.path()).unwrap();
            for record in &records {
                spill.add(record).unwrap();
            }
            let (mut facts, mut unknown) = (Vec::new(), Vec::new());
            spill
                .replay(|r| facts.push(r.clone()), |r| unknown.push(r.clone()))
                .unwrap();
            let kept = |record: &ArticleRecord, relations: Vec<Relation>, unknown| ArticleRecord {
                id: record.id.clone(),
                date: record.date.clone(),
                fingerprint: record.fingerprint,
                mentions: Vec::new(),
                relations,
                unknown,
            };
            let expected_facts: Vec<ArticleRecord> = records
                .iter()
                .map(|r| kept(r, r.relations.iter().filter(|r| r.is_fact()).cloned().collect(), Vec::new()))
                .filter(|r| !r.relations.is_empty())
                .collect();
            let expected_unknown: Vec<ArticleRecord> = records
                .iter()
                .filter(|r| !r.unknown.is_empty())
                .map(|r| kept(r, Vec::new(), r.unknown.clone()))
                .collect();
            prop_assert_eq!(facts, expected_facts);
            prop_assert_eq!(unknown, expected_unknown);
        }
    }

    /// A graph made from records spilled and replayed is the graph made from them
    /// directly: same nodes, edges, evidence and unknown strings.
    #[test]
    fn a_replayed_graph_is_the_direct_one() {
        let gazetteer = test_extractor().gazetteer();
        let records: Vec<ArticleRecord> = [
            "استقبل الرئيس الجزائري عبد المجيد تبون رئيس المجلس الرئاسي فائز السراج في الجزائر.",
            "أدان فائز السراج الهجوم. ولم يلتق تبون بأحد. والتقى تبون مع سفيان بن عمار في زوارة.",
            "لا شيء هنا.",
        ]
        .iter()
        .enumerate()
        .map(|(i, text)| {
            test_extractor().extract(&Article {
                id: format!("a{i}"),
                date: (i > 0).then(|| "2020-06-23".into()),
                title: None,
                text: text.to_string(),
            })
        })
        .collect();
        assert!(records.iter().any(|r| !r.relations.is_empty()));
        assert!(records.iter().any(|r| !r.unknown.is_empty()));

        let mut direct = ActorGraph::new();
        let mut spilled = ActorGraph::new();
        let dir = tempfile::tempdir().unwrap();
        let mut spill = RecordSpill::create_in(dir.path()).unwrap();
        for record in &records {
            direct.add_record(record, gazetteer);
            spilled.add_nodes(record, gazetteer);
            spill.add(record).unwrap();
        }
        let mut unknown = UnknownTally::new();
        spill
            .replay(|r| spilled.add_edges(r), |r| unknown.add_record(r))
            .unwrap();
        spilled.set_unknown(unknown);
        assert_eq!(
            format!("{:?}", spilled.nodes()),
            format!("{:?}", direct.nodes())
        );
        assert_eq!(
            format!("{:?}", spilled.edges()),
            format!("{:?}", direct.edges())
        );
        assert_eq!(
            format!("{:?}", spilled.unknown().rows().collect::<Vec<_>>()),
            format!("{:?}", direct.unknown().rows().collect::<Vec<_>>())
        );
    }
}
