//! Errors from reading and writing weight files and pretrained directories.

use std::path::PathBuf;

/// A weight file or pretrained directory could not be read or written.
///
/// Every variant names the file involved, so a message read in a log is actionable on its own.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The operating system refused an operation on `path` (missing file, permissions, full disk).
    #[error("cannot {action} `{}`: {source}", path.display())]
    File {
        /// What was being done: "read", "create", "write", "sync", "rename", ...
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The file is not a valid safetensors file (truncated, garbage, or a header that lies
    /// about sizes or offsets).
    #[error("`{}` is not a valid safetensors file: {reason}", path.display())]
    Malformed {
        /// The file involved.
        path: PathBuf,
        /// What is wrong, in words.
        reason: String,
    },

    /// A tensor is stored with an element type minitrainer cannot convert to `f32`.
    #[error(
        "`{}`: tensor `{key}` has dtype {dtype}, which cannot be converted to f32; \
         re-save it as a float (F32, F64, F16, BF16) or integer dtype", path.display()
    )]
    UnsupportedDtype {
        /// The file involved.
        path: PathBuf,
        /// The tensor's name.
        key: String,
        /// The dtype as written in the header (e.g. `F8_E4M3`).
        dtype: String,
    },

    /// A tensor's shape does not fit the number of bytes stored for it.
    #[error(
        "`{}`: tensor `{key}` of dtype {dtype} and shape {shape:?} needs {expected} bytes \
         but the file stores {actual}", path.display()
    )]
    SizeMismatch {
        /// The file involved.
        path: PathBuf,
        /// The tensor's name.
        key: String,
        /// The dtype as written in the header.
        dtype: String,
        /// The shape as written in the header.
        shape: Vec<usize>,
        /// Bytes the shape and dtype call for.
        expected: usize,
        /// Bytes actually stored.
        actual: usize,
    },

    /// Two tensors to be written share a name.
    #[error("`{}`: tensor name `{key}` occurs twice; names in a safetensors file must be unique", path.display())]
    DuplicateKey {
        /// The file being written.
        path: PathBuf,
        /// The repeated name.
        key: String,
    },

    /// A JSON file (e.g. `config.json`) could not be parsed.
    #[error("`{}` is not valid JSON: {source}", path.display())]
    Json {
        /// The file involved.
        path: PathBuf,
        /// The parser's error, with line and column.
        #[source]
        source: serde_json::Error,
    },

    /// The tensors of a weights file do not fit the module they were loaded into (nothing was
    /// loaded).
    #[error("`{}`: {source}", path.display())]
    DoesNotFit {
        /// The weights file.
        path: PathBuf,
        /// Which keys are missing, unexpected or mis-shaped.
        #[source]
        source: Box<crate::module::ModuleError>,
    },
}

impl IoError {
    pub(crate) fn file(
        action: &'static str,
        path: &std::path::Path,
        source: std::io::Error,
    ) -> Self {
        IoError::File {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn malformed(path: &std::path::Path, reason: impl Into<String>) -> Self {
        IoError::Malformed {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}
