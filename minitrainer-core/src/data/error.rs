//! Errors from reading, combining and scaling data sets.
//!
//! Every variant about a file names it; a variant about a line names the 1-based line, and one
//! about a field names the column by name and by 1-based number, so a message read in a log
//! points at the byte to fix.

use std::path::PathBuf;

/// A data set could not be read, combined, split or scaled.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The operating system refused to read `path`, or its gzip stream is corrupt.
    #[error("cannot {action} `{}`: {source}", path.display())]
    File {
        /// What was being done: "read", "decompress".
        action: &'static str,
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A CSV row has a different number of fields than the header.
    #[error(
        "`{}` line {line}: {found} fields but the header has {expected}; \
         every row needs one field per header column", path.display()
    )]
    RaggedRow {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields on this line.
        found: usize,
    },

    /// A CSV field that should hold a number does not.
    #[error(
        "`{}` line {line}, column {column} (`{name}`): `{text}` is not a number",
        path.display()
    )]
    NotANumber {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The column's header name.
        name: String,
        /// The field as written.
        text: String,
    },

    /// A CSV field is quoted; the reader splits on `,` and does not unquote.
    #[error(
        "`{}` line {line}, column {column} (`{name}`): quoted fields are not supported; \
         write numbers and labels without quotes", path.display()
    )]
    QuotedField {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The column's header name.
        name: String,
    },

    /// A column asked for by name is not in the header.
    #[error(
        "`{}` has no column `{column}`{}; the header has {}",
        path.display(),
        suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(),
        list(header)
    )]
    MissingColumn {
        /// The file involved.
        path: PathBuf,
        /// The name asked for.
        column: String,
        /// The closest header name, if close enough to be a typo.
        suggestion: Option<String>,
        /// The header's names.
        header: Vec<String>,
    },

    /// A class label is not a whole non-negative number.
    #[error(
        "`{}` line {line}, column {column} (`{name}`): class label `{text}` is not a whole \
         non-negative number; use 0, 1, 2, ... or names for every row", path.display()
    )]
    BadLabel {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The column's header name.
        name: String,
        /// The label as written.
        text: String,
    },

    /// A class label that is not in the fixed class list ([`Csv::class_names`](super::Csv::class_names)).
    #[error(
        "`{}` line {line}, column {column} (`{name}`): class `{text}` is not one of the model's classes ({known})",
        path.display()
    )]
    UnknownClass {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
        /// The column's header name.
        name: String,
        /// The label as written.
        text: String,
        /// The known class names (the first ten), comma-separated.
        known: String,
    },

    /// An IDX file is malformed: a wrong magic number or element type, or a header whose
    /// dimensions disagree with the number of bytes that follow it.
    #[error("`{}` is not a valid IDX file: {reason}", path.display())]
    Idx {
        /// The file involved.
        path: PathBuf,
        /// What is wrong, in words.
        reason: String,
    },

    /// Two parts of one set disagree on the number of samples (images and labels, features
    /// and targets).
    #[error("{what}: {left} samples against {right}; both must hold one entry per sample")]
    CountMismatch {
        /// The two parts, e.g. "`train-images-idx3-ubyte` and `train-labels-idx1-ubyte`".
        what: String,
        /// Samples in the first part.
        left: usize,
        /// Samples in the second part.
        right: usize,
    },

    /// A data set holds no sample where at least one is needed.
    #[error("{what} holds no sample; {hint}")]
    Empty {
        /// The set: a file name, or what was being built.
        what: String,
        /// What to do.
        hint: &'static str,
    },

    /// An index past the end of a set.
    #[error("index {index} is out of range for {what} of {len} samples")]
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The set's length.
        len: usize,
        /// The set, e.g. "a subset".
        what: &'static str,
    },

    /// A split was given a bad argument: fractions that do not sum to 1, ranges out of bounds.
    #[error("bad split: {reason}")]
    Split {
        /// What is wrong, in words.
        reason: String,
    },

    /// A sample's features have a different width than the scaler was fitted on.
    #[error(
        "sample {index} has {found} features but the scaler was fitted on {expected}; \
         apply a scaler to sets with the features it was fitted on"
    )]
    FeatureWidth {
        /// The sample involved.
        index: usize,
        /// Features the scaler was fitted on.
        expected: usize,
        /// Features in this sample.
        found: usize,
    },

    /// A stratified split met a sample whose target is not a class.
    #[error("sample {index} has no class target; a stratified split needs class labels")]
    NotAClass {
        /// The sample involved.
        index: usize,
    },

    /// Saved scaler statistics could not be read back.
    #[error("bad scaler statistics: {reason}")]
    Scaler {
        /// What is wrong, in words.
        reason: String,
    },

    /// A user data set's own error, passed through a combinator.
    #[error(transparent)]
    Source(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl DataError {
    /// Wraps any data set's error, keeping a `DataError` as it is (not nested in a box), so
    /// combinators over ready-made sets report the original variant.
    pub fn wrap<E: std::error::Error + Send + Sync + 'static>(error: E) -> DataError {
        let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = Box::new(error);
        match boxed.downcast::<DataError>() {
            Ok(data) => *data,
            Err(other) => DataError::Source(other),
        }
    }
}

/// `a`, `b`, `c` for a message (the first 20 names, then a count).
fn list(names: &[String]) -> String {
    let mut shown: Vec<String> = names.iter().take(20).map(|n| format!("`{n}`")).collect();
    if names.len() > 20 {
        shown.push(format!("... ({} more)", names.len() - 20));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::DataError;

    #[test]
    fn wrap_keeps_a_data_error_unboxed_and_boxes_others() {
        let inner = DataError::NotAClass { index: 3 };
        assert!(matches!(
            DataError::wrap(inner),
            DataError::NotAClass { index: 3 }
        ));
        let io = std::io::Error::other("disk on fire");
        assert!(matches!(DataError::wrap(io), DataError::Source(_)));
    }

    #[test]
    fn missing_column_message_suggests_and_lists_the_header() {
        let error = DataError::MissingColumn {
            path: "iris.csv".into(),
            column: "specis".into(),
            suggestion: Some("species".into()),
            header: vec!["petal".into(), "species".into()],
        };
        assert_eq!(
            error.to_string(),
            "`iris.csv` has no column `specis` (did you mean `species`?); \
             the header has `petal`, `species`"
        );
    }
}
