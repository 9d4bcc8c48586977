//! From paths to files: folders listed in sorted order, hidden entries and links back
//! into a folder already read left out, and a file's format told by its extension.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::Path;
use std::sync::Arc;

use super::{Format, Inputs, OpenFile, READ_BUFFER, Source};
use crate::error::InputProblem;

/// Which folder a path leads to, whatever links lead there: its device and
/// inode where there are such, its canonical path elsewhere. Told from the metadata a
/// walker has anyway, so that a folder deep down costs no walk back up its path
/// (canonicalizing each folder made a depth of 1,000 cost 11 s).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct FolderId(
    #[cfg(unix)] (u64, u64),
    #[cfg(not(unix))] std::path::PathBuf,
);

impl FolderId {
    /// The identity of `path`, whose `metadata` (links followed) the caller has.
    pub(super) fn of(path: &Path, metadata: &std::fs::Metadata) -> io::Result<FolderId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            Ok(FolderId((metadata.dev(), metadata.ino())))
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            std::fs::canonicalize(path).map(FolderId)
        }
    }

    /// The identity of `path`, its links followed.
    pub(super) fn of_path(path: &Path) -> io::Result<FolderId> {
        FolderId::of(path, &std::fs::metadata(path)?)
    }
}

/// Extensions read inside folders (also behind `.gz`, `.zst` or `.zstd`).
const TEXT_EXTENSIONS: &[&str] = &["txt"];
const LINES_EXTENSIONS: &[&str] = &["jsonl", "ndjson", "json"];
const COMPRESSED_SUFFIXES: &[&str] = &[".gz", ".zst", ".zstd"];

impl Format {
    /// The format of a file with this extension (lower case), if it is one that is read.
    fn of_extension(extension: &str) -> Option<Format> {
        if TEXT_EXTENSIONS.contains(&extension) {
            Some(Format::Text)
        } else if LINES_EXTENSIONS.contains(&extension) {
            Some(Format::Lines)
        } else if extension == "csv" {
            Some(Format::Table(b','))
        } else if extension == "tsv" || extension == "tab" {
            Some(Format::Table(b'\t'))
        } else {
            None
        }
    }
}

impl Inputs {
    /// Opens `path`: a folder is listed (its entries queued), a file is opened and
    /// checked. `explicit` is true for paths given by the user, false inside folders;
    /// `root` is the folder given by the user that `path` was found in.
    pub(super) fn open(
        &mut self,
        path: &Path,
        explicit: bool,
        root: Option<Arc<Path>>,
    ) -> Result<Option<OpenFile>, InputProblem> {
        let name: Arc<str> = Arc::from(path.display().to_string());
        let problem = |message: String| InputProblem {
            file: name.to_string(),
            line: None,
            message,
            recovered: false,
        };
        if &*name == "-" {
            let reader = BufReader::with_capacity(READ_BUFFER, io::stdin());
            let format = self.forced.unwrap_or(Format::Detect);
            return self.start(name.clone(), reader, format, "stdin".into(), None);
        }
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) => {
                let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
                return Err(problem(if dangling {
                    format!("broken symbolic link ({e}); skipped")
                } else {
                    format!("cannot read: {e}; skipped")
                }));
            }
        };
        if metadata.is_dir() {
            let root = root.unwrap_or_else(|| Arc::from(path));
            self.list(path, &metadata, &name, &root)?;
            return Ok(None);
        }
        if !explicit && !metadata.is_file() {
            return Err(problem(
                "not a regular file (a FIFO, socket or device); skipped".to_string(),
            ));
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let plain_name = COMPRESSED_SUFFIXES
            .iter()
            .find_map(|suffix| strip_suffix_ignore_case(&file_name, suffix))
            .unwrap_or(&file_name);
        let (stem, extension) = match plain_name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), ext.to_ascii_lowercase()),
            _ => (plain_name.to_string(), String::new()),
        };
        let forced = self.forced.filter(|_| explicit);
        let format = match forced.or_else(|| Format::of_extension(&extension)) {
            Some(format) => format,
            None if explicit => Format::Lines,
            None => {
                let what = if extension.is_empty() {
                    "no extension".to_string()
                } else if ["bz2", "xz", "zip", "7z", "tar", "tgz"].contains(&extension.as_str()) {
                    format!(
                        "a compressed file (`.{extension}`): decompress it first (or compress it with gzip or zstd)"
                    )
                } else {
                    format!("unknown extension `.{extension}`")
                };
                return Err(problem(format!(
                    "{what}; skipped (folders are read for .txt, .jsonl, .ndjson, .json, .csv and .tsv files, plain, .gz or .zst)"
                )));
            }
        };
        // «2019/news.csv» and «2020/news.csv» under one input folder: the folders
        // from there on keep the ids of their rows (`STEM-LINE`) apart.
        let folders = root
            .as_deref()
            .filter(|_| matches!(format, Format::Table(_)))
            .and_then(|root| path.parent()?.strip_prefix(root).ok())
            .filter(|folders| !folders.as_os_str().is_empty());
        let stem = match folders {
            Some(folders) => {
                let mut joined: Vec<String> = folders
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                joined.push(stem);
                joined.join("/")
            }
            None => stem,
        };
        let file = File::open(path).map_err(|e| problem(format!("cannot open: {e}; skipped")))?;
        let size = metadata.is_file().then_some(metadata.len());
        self.start(
            name,
            BufReader::with_capacity(READ_BUFFER, file),
            format,
            stem,
            size,
        )
    }

    /// Queues the entries of folder `path`, sorted, hidden ones left out.
    fn list(
        &mut self,
        path: &Path,
        metadata: &std::fs::Metadata,
        name: &str,
        root: &Arc<Path>,
    ) -> Result<(), InputProblem> {
        let problem = |message: String, recovered: bool| InputProblem {
            file: name.to_string(),
            line: None,
            message,
            recovered,
        };
        let id = FolderId::of(path, metadata)
            .map_err(|e| problem(format!("cannot read folder: {e}; skipped"), false))?;
        if self.own_output.as_ref() == Some(&id) {
            return Err(problem(
                "the output folder of this run (-o); its files are not read as input".to_string(),
                true,
            ));
        }
        if !self.listed.insert(id) {
            return Err(problem(
                "folder already read (reached again through a symbolic link); not read twice"
                    .to_string(),
                true,
            ));
        }
        let listing = std::fs::read_dir(path)
            .map_err(|e| problem(format!("cannot list folder: {e}; skipped"), false))?;
        let mut entries = Vec::new();
        for entry in listing {
            let entry =
                entry.map_err(|e| problem(format!("cannot list folder: {e}; skipped"), false))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || self.names.excludes.iter().any(|p| wildcard(p, &name)) {
                continue;
            }
            let is_folder = entry.file_type().is_ok_and(|t| t.is_dir())
                || (entry.file_type().is_ok_and(|t| t.is_symlink()) && entry.path().is_dir());
            if !is_folder
                && !self.names.includes.is_empty()
                && !self.names.includes.iter().any(|p| wildcard(p, &name))
            {
                continue;
            }
            entries.push(entry.path());
        }
        entries.sort();
        for entry in entries.into_iter().rev() {
            self.pending.push_front(Source::Path {
                path: entry,
                explicit: false,
                root: Some(root.clone()),
            });
        }
        Ok(())
    }
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters and `?`
/// for one (as in a shell, on the name alone).
pub(super) fn wildcard(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    // The classic greedy match with one backtrack point: the last `*` seen.
    let (mut p, mut n, mut star, mut resume) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            resume = n;
            p += 1;
        } else if let Some(at) = star {
            p = at + 1;
            resume += 1;
            n = resume;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

fn strip_suffix_ignore_case<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = name.len().checked_sub(suffix.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix))
        .then(|| &name[..cut])
        .filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards_match_names_as_a_shell_does() {
        for (pattern, name) in [
            ("*.jsonl", "a.jsonl"),
            ("*.jsonl*", "a.jsonl.gz"),
            ("news-??.csv", "news-01.csv"),
            ("*", "README.md"),
            ("*a*b*", "xaybz"),
            ("أخبار*", "أخبار-2018.jsonl"),
        ] {
            assert!(wildcard(pattern, name), "{pattern} {name}");
        }
        for (pattern, name) in [
            ("*.jsonl", "a.jsonl.gz"),
            ("README.md", "readme.md"),
            ("news-??.csv", "news-1.csv"),
            ("*a*b", "xaybz"),
        ] {
            assert!(!wildcard(pattern, name), "{pattern} {name}");
        }
    }
}
