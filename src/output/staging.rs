//! The staging folder: a run's outputs appear in OUTDIR together, when all are complete.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{FolderError, OutputError};

/// Prefix of the hidden folder inside OUTDIR where a run writes its outputs.
const STAGING_PREFIX: &str = ".actorgraph-partial-";

/// The lock file inside a staging folder, held by the run that writes there for as long
/// as it lives (the kernel lets go of it when the run ends, even killed): another run
/// into the same OUTDIR then knows the folder is in use, not left behind.
const LOCK_FILE: &str = ".lock";

/// How old a staging folder without a lock file must be to count as left behind: a
/// younger one may be a live run's that has not taken its lock yet.
const UNLOCKED_AGE: Duration = Duration::from_secs(60);

/// Prefix of the links that keep the outputs a commit replaces, inside the staging
/// folder, until every new output is in place.
const PREVIOUS_PREFIX: &str = ".previous-";

/// What a commit keeps of an output it replaces.
enum Previous {
    /// There was none.
    Nothing,
    /// A link to it, to put back if the commit fails.
    Kept(PathBuf),
    /// It could not be kept (a file system without hard links).
    Unkept,
}

/// Outputs are written into a hidden folder inside OUTDIR and moved into OUTDIR only
/// when all of them are complete. A failed run removes that folder (and OUTDIR, if
/// the run created it and it is empty); a killed run leaves the folder, never a
/// truncated visible output, and the next run into the same OUTDIR removes it. A run
/// holds a lock in its folder: a second run into the same OUTDIR while the first
/// lives stops with [`FolderError::InUse`] and touches nothing.
pub struct Staging {
    outdir: PathBuf,
    created_outdir: bool,
    dir: Option<tempfile::TempDir>,
    /// Held until the run ends; dropped after the folder.
    _lock: File,
}

/// Takes the lock on `file` without waiting: false when another process holds it.
#[cfg(target_os = "linux")]
fn try_lock(file: &File) -> io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Elsewhere no lock is taken: every staging folder left in OUTDIR counts as left
/// behind, and two runs into one OUTDIR must be kept apart by the user.
#[cfg(not(target_os = "linux"))]
fn try_lock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

/// Makes `dir`'s lock file, already locked when it appears under its name: another run
/// never finds it unlocked while this one lives.
fn hold_lock(dir: &Path) -> io::Result<File> {
    let fresh = dir.join(".lock.new");
    let file = File::create(&fresh)?;
    if !try_lock(&file)? {
        return Err(io::Error::other("cannot lock the staging folder"));
    }
    std::fs::rename(&fresh, dir.join(LOCK_FILE))?;
    Ok(file)
}

/// Removes the staging folders that interrupted runs left in `outdir`; stops at one
/// a live run holds.
fn remove_leftovers(outdir: &Path) -> Result<(), FolderError> {
    let Ok(entries) = std::fs::read_dir(outdir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX)
        {
            continue;
        }
        let path = entry.path();
        let stale = match File::open(path.join(LOCK_FILE)) {
            // Removed while locked: the folder cannot be taken up meanwhile.
            Ok(lock) => match try_lock(&lock) {
                Ok(true) => true,
                Ok(false) => {
                    return Err(FolderError::InUse {
                        path: outdir.to_path_buf(),
                        staging: path,
                    });
                }
                Err(_) => false,
            },
            // No lock: left by a run killed before it took one, or by an older
            // release, once it is old enough not to be a run just starting.
            Err(e) if e.kind() == io::ErrorKind::NotFound => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age >= UNLOCKED_AGE),
            Err(_) => false,
        };
        if stale {
            // Left by an interrupted run: incomplete by construction.
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    Ok(())
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
        remove_leftovers(outdir)?;
        let staged = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(outdir)
            .and_then(|dir| hold_lock(dir.path()).map(|lock| (dir, lock)));
        let (dir, lock) = staged.map_err(|source| {
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
            _lock: lock,
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
        // Every target is checked, and what it holds kept aside (a link, in the staging
        // folder), before the first rename: a run that fails here puts back what it
        // replaced, and OUTDIR holds the previous outputs, all of them.
        let mut previous: Vec<Previous> = Vec::with_capacity(names.len());
        for name in &names {
            let to = self.outdir.join(name);
            let kept = match std::fs::symlink_metadata(&to) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Previous::Nothing,
                Err(source) => return Err(OutputError { path: to, source }.into()),
                Ok(meta) if meta.is_dir() => {
                    return Err(OutputError {
                        path: to,
                        source: io::Error::other("a folder is in the way of this output"),
                    }
                    .into());
                }
                Ok(_) => {
                    let mut link = std::ffi::OsString::from(PREVIOUS_PREFIX);
                    link.push(name);
                    let link = dir.path().join(link);
                    // A file system without hard links keeps no copy: the output is
                    // replaced as before, and cannot be put back.
                    match std::fs::hard_link(&to, &link) {
                        Ok(()) => Previous::Kept(link),
                        Err(_) => Previous::Unkept,
                    }
                }
            };
            previous.push(kept);
        }
        for (done, name) in names.iter().enumerate() {
            let from = dir.path().join(name);
            let to = self.outdir.join(name);
            if let Err(source) = std::fs::rename(&from, &to) {
                self.put_back(&names[..done], &previous[..done]);
                return Err(OutputError { path: to, source }.into());
            }
        }
        // Make the renames durable; not every platform can sync a folder.
        if let Ok(folder) = std::fs::File::open(&self.outdir) {
            let _ = folder.sync_all();
        }
        Ok(())
    }
}

impl Staging {
    /// Undoes the renames of `names`: each previous output back in place, each new one
    /// that replaced nothing removed.
    fn put_back(&self, names: &[std::ffi::OsString], previous: &[Previous]) {
        for (name, kept) in names.iter().zip(previous) {
            let target = self.outdir.join(name);
            let _ = match kept {
                Previous::Kept(link) => std::fs::rename(link, &target),
                Previous::Nothing => std::fs::remove_file(&target),
                Previous::Unkept => Ok(()),
            };
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A rename that fails after others succeeded (here a staged folder onto a file,
    /// which the check of the targets cannot foresee) puts back every output replaced.
    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let outdir = dir.path().join("out");
        std::fs::create_dir(&outdir).unwrap();
        std::fs::write(outdir.join("a.csv"), "old a").unwrap();
        std::fs::write(outdir.join("z.csv"), "old z").unwrap();
        let staging = Staging::create(&outdir).unwrap();
        std::fs::write(staging.path().join("a.csv"), "new a").unwrap();
        std::fs::write(staging.path().join("b.csv"), "new b").unwrap();
        std::fs::create_dir(staging.path().join("z.csv")).unwrap();
        assert!(staging.commit().is_err());
        let mut left: Vec<(String, String)> = std::fs::read_dir(&outdir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ("a.csv".to_string(), "old a".to_string()),
                ("z.csv".to_string(), "old z".to_string())
            ]
        );
    }

    /// A second staging folder in an OUTDIR whose first is held by a live run (this
    /// process) is refused, and the first is left; once the first is dropped, the
    /// next run goes ahead.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_held_staging_folder_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let first = Staging::create(dir.path()).unwrap();
        let held = first.path().to_path_buf();
        assert!(matches!(
            Staging::create(dir.path()),
            Err(FolderError::InUse { .. })
        ));
        assert!(held.is_dir());
        drop(first);
        assert!(Staging::create(dir.path()).is_ok());
    }
}
