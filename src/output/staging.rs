//! The staging folder: a run's outputs appear in OUTDIR together, when all are complete.

use std::path::{Path, PathBuf};

use crate::error::{FolderError, OutputError};

/// Prefix of the hidden folder inside OUTDIR where a run writes its outputs.
const STAGING_PREFIX: &str = ".actorgraph-partial-";

/// Outputs are written into a hidden folder inside OUTDIR and moved into OUTDIR only
/// when all of them are complete. A failed run removes that folder (and OUTDIR, if
/// the run created it and it is empty); a killed run leaves the folder, never a
/// truncated visible output, and the next run into the same OUTDIR removes it.
pub struct Staging {
    outdir: PathBuf,
    created_outdir: bool,
    dir: Option<tempfile::TempDir>,
}

impl Staging {
    /// Creates OUTDIR if needed, removes what interrupted runs left there, and makes the
    /// staging folder.
    pub fn create(outdir: &Path) -> Result<Staging, FolderError> {
        if outdir.exists() && !outdir.is_dir() {
            return Err(FolderError::NotAFolder {
                path: outdir.to_path_buf(),
            });
        }
        let created_outdir = !outdir.exists();
        std::fs::create_dir_all(outdir).map_err(|source| FolderError::Create {
            path: outdir.to_path_buf(),
            source,
        })?;
        if let Ok(entries) = std::fs::read_dir(outdir) {
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(STAGING_PREFIX)
                {
                    // Left by an interrupted run: incomplete by construction.
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(outdir)
            .map_err(|source| {
                if created_outdir {
                    let _ = std::fs::remove_dir(outdir);
                }
                FolderError::Stage {
                    path: outdir.to_path_buf(),
                    source,
                }
            })?;
        Ok(Staging {
            outdir: outdir.to_path_buf(),
            created_outdir,
            dir: Some(dir),
        })
    }

    /// Where the outputs are written until [`Staging::commit`].
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("not yet committed").path()
    }

    /// Moves every finished output into OUTDIR.
    pub fn commit(mut self) -> Result<(), FolderError> {
        let dir = self.dir.take().expect("committed once");
        let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir.path())
            .map_err(FolderError::List)?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .filter(|name| !name.to_string_lossy().starts_with('.'))
            .collect();
        names.sort();
        for name in names {
            let from = dir.path().join(&name);
            let to = self.outdir.join(&name);
            std::fs::rename(&from, &to).map_err(|source| OutputError { path: to, source })?;
        }
        // Make the renames durable; not every platform can sync a folder.
        if let Ok(folder) = std::fs::File::open(&self.outdir) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            drop(dir);
            if self.created_outdir {
                // Only removes an empty folder.
                let _ = std::fs::remove_dir(&self.outdir);
            }
        }
    }
}
