//! Files written whole or not at all: a temporary file beside the target, synced and
//! renamed into place only when complete. A device or a pipe given as an output
//! (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: a rename would replace it.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::parallel::{Task, in_parallel};
use crate::error::OutputError;

/// A file being written; it appears under its name only on [`PendingFile::commit`].
pub struct PendingFile {
    path: PathBuf,
    writer: BufWriter<Writeback>,
}

/// A temporary file that asks the kernel to start writing it out every few megabytes,
/// so that the disk works while the batch does, and the sync at the end waits for the
/// last few megabytes only, not for the whole file.
///
/// On Linux, `POSIX_FADV_DONTNEED` starts the write-out of a range's dirty pages without
/// waiting for it (and drops only the pages already clean); elsewhere nothing is asked,
/// and the sync at the end does all the work.
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

    pub(super) fn error(&self, source: std::io::Error) -> OutputError {
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
    pub(super) fn flushed(self) -> Result<FlushedFile, OutputError> {
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
pub(super) struct FlushedFile {
    path: PathBuf,
    file: Destination,
}

/// Commits `files`: flushes them all, then syncs each to disk, then renames each into
/// place, so that no file appears under its name before every one is safely on disk.
pub(super) fn commit_all(files: Vec<PendingFile>) -> Result<Vec<PathBuf>, OutputError> {
    let flushed = files
        .into_iter()
        .map(PendingFile::flushed)
        .collect::<Result<Vec<_>, _>>()?;
    commit_all_on(flushed, 1)
}

/// [`commit_all`], syncing on up to `threads` threads: writing a file out is work for
/// the kernel on the thread that asks, so two files go out at once on two cores.
pub(super) fn commit_all_on(
    flushed: Vec<FlushedFile>,
    threads: usize,
) -> Result<Vec<PathBuf>, OutputError> {
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

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    /// The buffer's own `write_all`, which copies a piece that fits in one step: the
    /// default loops over `write`, and the graph files are written in many small
    /// pieces.
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
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
