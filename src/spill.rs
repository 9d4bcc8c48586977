//! The parts of a run's records that the graph takes only at the end.
//!
//! A run over a dump keeps its graph until the end. Its nodes are few (the actors), but
//! each edge keeps its evidence sentence, and the unknown strings number tens of
//! thousands. Added as they come, they would sit in memory beside the compiled gazetteer
//! for the whole run. [`RecordSpill`] keeps them in a temporary file instead, and gives
//! them back once the extractor is dropped, so that they take the memory it freed. On
//! the ANT corpus at one thread, peak RSS rose 30% over a 10 MB slice's with the graph
//! made as the records came, and rises 15% with this.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::OutputError;
use crate::record::{ArticleRecord, Mention, Relation, UnknownActor};

/// A record's factual relations and unknown strings, waiting in a temporary file.
#[derive(Debug)]
pub struct RecordSpill {
    file: BufWriter<File>,
    /// Where the file was made, to name it in errors.
    dir: PathBuf,
    /// One record, encoded: the file holds each one's length, then its bytes.
    block: Vec<u8>,
}

/// What is kept of a record: an [`ArticleRecord`] without its mentions and without
/// relations that are not facts. Written as MessagePack with named fields, so that it
/// reads back as a record. JSON, whose escaping reads every byte, made a run on the
/// slice 1.5% slower at one thread and 4% at two.
#[derive(Serialize)]
struct Kept<'r> {
    id: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'r str>,
    mentions: &'r [Mention],
    relations: Vec<&'r Relation>,
    unknown: &'r [UnknownActor],
}

impl RecordSpill {
    /// Starts a spill in a temporary file in `dir`, removed when the spill is dropped.
    pub fn create_in(dir: &Path) -> Result<RecordSpill, OutputError> {
        let file = tempfile::tempfile_in(dir).map_err(|e| spill_error(dir, e))?;
        Ok(RecordSpill {
            file: BufWriter::new(file),
            dir: dir.to_path_buf(),
            block: Vec::new(),
        })
    }

    /// Keeps what [`crate::ActorGraph::add_edges`] and
    /// [`crate::ActorGraph::add_unknown`] read of `record`, if anything.
    pub fn add(&mut self, record: &ArticleRecord) -> Result<(), OutputError> {
        let relations: Vec<&Relation> = record.relations.iter().filter(|r| r.is_fact()).collect();
        if relations.is_empty() && record.unknown.is_empty() {
            return Ok(());
        }
        let kept = Kept {
            id: &record.id,
            date: record.date.as_deref(),
            mentions: &[],
            relations,
            unknown: &record.unknown,
        };
        self.block.clear();
        rmp_serde::encode::write_named(&mut self.block, &kept)
            .map_err(|e| spill_error(&self.dir, io::Error::other(e)))?;
        let len = u32::try_from(self.block.len())
            .map_err(|_| spill_error(&self.dir, io::Error::other("a record of over 4 GB")))?;
        self.file
            .write_all(&len.to_le_bytes())
            .and_then(|()| self.file.write_all(&self.block))
            .map_err(|e| spill_error(&self.dir, e))
    }

    /// Gives every record kept back to `each`, in the order they were added.
    pub fn replay(self, mut each: impl FnMut(&ArticleRecord)) -> Result<(), OutputError> {
        let RecordSpill {
            file,
            dir,
            mut block,
        } = self;
        let read = || -> io::Result<()> {
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
        };
        read().map_err(|e| spill_error(&dir, e))
    }
}

/// An error of the spill made in `dir`.
fn spill_error(dir: &Path, source: io::Error) -> OutputError {
    OutputError {
        path: dir.join("(temporary file of the graph's records)"),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_extractor;
    use crate::{ActorGraph, Article};

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
        spill
            .replay(|record| {
                spilled.add_edges(record);
                spilled.add_unknown(record);
            })
            .unwrap();
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
