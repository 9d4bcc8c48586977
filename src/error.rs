//! Errors that say what went wrong and where.

use std::path::PathBuf;

/// A gazetteer or rule file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A row or header is wrong; `file:line[:column]: message`.
    #[error("{file}:{line}{}: {message}", column.map(|c| format!(":{c}")).unwrap_or_default())]
    Row {
        /// File name as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (TSV field), when one field is at fault.
        column: Option<usize>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A file or folder could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The transducer for a large gazetteer could not be built.
    #[error("compiling the gazetteer: {0}")]
    Index(#[from] fst::Error),
}

impl GazetteerError {
    /// An error at `file:line[:column]`.
    pub fn at(file: &str, line: usize, column: Option<usize>, message: impl Into<String>) -> Self {
        GazetteerError::Row {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// One article or file could not be read; the batch goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// The file (`-` for standard input).
    pub file: String,
    /// 1-based line, when the problem is on one line.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// True when the article was still processed (a warning), false when skipped.
    pub recovered: bool,
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// An output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing {}: {source}", path.display())]
pub struct OutputError {
    /// The file.
    pub path: PathBuf,
    /// The reason.
    #[source]
    pub source: std::io::Error,
}

/// The output folder could not be made ready, or its outputs not moved into it.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// OUTDIR names a file.
    #[error("{}: is a file, not a folder; -o names the output folder", path.display())]
    NotAFolder {
        /// The file.
        path: PathBuf,
    },
    /// OUTDIR could not be created.
    #[error("{}: cannot create the output folder: {source}", path.display())]
    Create {
        /// The output folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// No staging folder could be made inside OUTDIR.
    #[error("{}: cannot write in the output folder: {source}", path.display())]
    Stage {
        /// The output folder.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// Another run is writing into OUTDIR: two runs at once would mix their outputs.
    #[error(
        "{}: another actorgraph run is writing into this output folder (its staging folder {}); wait for it to end or choose another folder",
        path.display(),
        staging.display()
    )]
    InUse {
        /// The output folder.
        path: PathBuf,
        /// The live run's staging folder.
        staging: PathBuf,
    },
    /// The staging folder could not be listed.
    #[error(transparent)]
    List(std::io::Error),
    /// An output could not be written or moved into place.
    #[error(transparent)]
    Output(#[from] OutputError),
}
