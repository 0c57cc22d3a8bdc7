//! Errors of the pretrained directory format.

/// A pretrained directory could not be read as one model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PretrainedError {
    /// Something in a pretrained directory's file is wrong; `source` says what.
    #[error("`{}`: {source}", path.display())]
    InFile {
        /// The file concerned (`config.json` or `model.safetensors`).
        path: std::path::PathBuf,
        /// What is wrong with it.
        #[source]
        source: Box<crate::Error>,
    },

    /// The weights file of a pretrained directory was saved with another config than the
    /// directory's `config.json` (a save interrupted between its two renames, or files copied
    /// together from different saves).
    #[error(
        "`{}` was saved with a different config than `{}` (an interrupted save, or files from \
         two saves?); the weights were saved for: {saved_with}",
        weights.display(),
        config.display()
    )]
    MismatchedFiles {
        /// The weights file.
        weights: std::path::PathBuf,
        /// The config file.
        config: std::path::PathBuf,
        /// The config recorded in the weights file's metadata.
        saved_with: String,
    },

    /// `config.json` has no `"model_type"`, or it is not a string.
    #[error(
        "missing \"model_type\": a pretrained config.json must say which model it holds, e.g. \
         {{\"model_type\": \"mlp\", ...}}{}",
        found.as_ref().map(|f| format!(" (found {f})")).unwrap_or_default()
    )]
    MissingModelType {
        /// The non-string value found under `model_type`, if any.
        found: Option<String>,
    },

    /// `config.json` is valid JSON but not an object.
    #[error("config.json must hold a JSON object, got {found}")]
    NotAnObject {
        /// What it holds instead.
        found: String,
    },
}
