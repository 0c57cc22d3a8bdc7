//! `CliError`: everything a command can fail with, each message short, lower case, naming the
//! file, key or value concerned and what to do.

use std::path::PathBuf;

/// A command failed; [`run`](crate::run) prints it as `error: <message>` and exits with 1
/// (2 for bad command-line usage).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The command line itself is wrong (clap's message, with usage).
    #[error("{0}")]
    Usage(String),
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file or directory could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A JSON file is malformed.
    #[error("{}: malformed JSON: {message}", .path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// serde_json's message (with line and column).
        message: String,
    },
    /// A run file (after overrides) is invalid: every problem found, one per line.
    #[error("invalid run file {}:\n  - {}", .path.display(), .problems.join("\n  - "))]
    RunFile {
        /// The run file (or run directory's `run.json`).
        path: PathBuf,
        /// Every problem, each naming its key.
        problems: Vec<String>,
    },
    /// A `--set key=value` argument is malformed or names an unknown key.
    #[error("--set {arg}: {reason}")]
    Override {
        /// The argument as given.
        arg: String,
        /// What is wrong, with a suggestion when there is one.
        reason: String,
    },
    /// A directory is not a usable run directory.
    #[error("{}: {reason}", .dir.display())]
    RunDir {
        /// The directory.
        dir: PathBuf,
        /// What is missing or wrong.
        reason: String,
    },
    /// The library reported an error while doing `context`.
    #[error("{context}: {source}")]
    Library {
        /// What the command was doing (`loading the model from runs/x`).
        context: String,
        /// The library's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A bug, or a failure the library reported by panicking; caught so the user sees one line.
    #[error("internal error: {0}")]
    Internal(String),
}

impl CliError {
    /// The library error `source`, while doing `context`.
    pub fn library(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        CliError::Library {
            context: context.into(),
            source: source.into(),
        }
    }

    /// The exit code for this error: 2 for usage errors, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }
}
