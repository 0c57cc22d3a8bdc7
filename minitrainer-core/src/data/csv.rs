//! CSV files as in-memory sets: [`Csv`] (what to read) → [`CsvDataset`] (what was read).
//!
//! Syntax: a header line of column names, then one row per sample, fields split on `,` and
//! trimmed; blank lines are skipped; `.gz` files (or gzip content) are decompressed. Numbers are
//! anything Rust's `f32` parser takes. Quoting is not supported (numeric data needs none): a
//! quoted field is an error naming its line and column, as are a ragged row and a non-number.
//! Hand-written splitting rather than the `csv` crate: numeric data does not need its
//! quoting rules, and it keeps the compile lean.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use ndarray::{ArrayD, IxDyn};

use super::dataset::{Dataset, Example};
use super::error::DataError;
use super::file::read_bytes;
use super::memory::{Labels, TensorDataset};
use crate::suggest::did_you_mean;

/// What the target columns hold.
#[derive(Clone, Debug, PartialEq)]
enum TargetKind {
    Classes(String),
    Values(Vec<String>),
    None,
}

/// Which columns of a CSV file to read, and how. Start with [`Csv::new`], pick a target with
/// [`classes`](Csv::classes) or [`values`](Csv::values), then [`load`](Csv::load).
///
/// ```no_run
/// use minitrainer_core::data::{Csv, Dataset};
///
/// let iris = Csv::new("iris.csv.gz").classes("species").load()?;
/// println!("{} samples, classes {:?}", iris.len(), iris.class_names());
/// # Ok::<(), minitrainer_core::data::DataError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Csv {
    path: PathBuf,
    target: TargetKind,
    features: Option<Vec<String>>,
    class_names: Option<Vec<String>>,
}

/// A CSV file read into memory: a [`TensorDataset`] plus the column names.
#[derive(Clone, Debug)]
pub struct CsvDataset {
    set: TensorDataset,
    feature_names: Vec<String>,
    class_names: Option<Vec<String>>,
}

impl Csv {
    /// Reads `path`; without a target the samples are unlabelled, and the features are every
    /// column unless [`features`](Csv::features) names them.
    pub fn new(path: impl Into<PathBuf>) -> Csv {
        Csv {
            path: path.into(),
            target: TargetKind::None,
            features: None,
            class_names: None,
        }
    }

    /// The class-label column. Labels are whole non-negative numbers (`0`, `1`, `7`: used as
    /// the class index) if every row's label is a number; otherwise they are names, and class
    /// `i` is the `i`-th name in sorted (byte) order (`setosa` → 0, `versicolor` → 1, ...;
    /// see [`CsvDataset::class_names`]).
    pub fn classes(mut self, column: impl Into<String>) -> Csv {
        self.target = TargetKind::Classes(column.into());
        self
    }

    /// Fixes the class list instead of deriving it from this file's labels: class `i` is
    /// `names[i]`, and a label that is not one of them is an error. Use it to read validation
    /// or test files with the training file's classes (a file lacking a class would otherwise
    /// number the others differently).
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::data::Csv;
    /// let text = "x,kind\n1.0,b\n2.0,b\n";
    /// let set = Csv::new("test.csv").classes("kind").class_names(["a", "b", "c"]).parse(text)?;
    /// assert_eq!(set.class_names(), Some(&["a".to_string(), "b".into(), "c".into()][..]));
    /// assert!(Csv::new("t.csv").classes("kind").class_names(["a"]).parse(text).is_err());
    /// # Ok::<(), minitrainer_core::data::DataError>(())
    /// ```
    pub fn class_names<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Csv {
        self.class_names = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Regression target columns, in order: each sample's target is a `[k]` array of them.
    pub fn values<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Csv {
        self.target = TargetKind::Values(columns.into_iter().map(Into::into).collect());
        self
    }

    /// The feature columns, in order (default: every column that is not a target).
    pub fn features<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Csv {
        self.features = Some(columns.into_iter().map(Into::into).collect());
        self
    }

    /// Reads the file (gunzipped if needed) into memory.
    ///
    /// # Errors
    /// [`DataError::File`] if it cannot be read or decompressed, and every error of
    /// [`parse`](Csv::parse).
    pub fn load(&self) -> Result<CsvDataset, DataError> {
        let bytes = read_bytes(&self.path)?;
        let text = String::from_utf8(bytes).map_err(|e| DataError::File {
            action: "decode (as UTF-8)",
            path: self.path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        self.parse(&text)
    }

    /// Parses CSV `text` as if read from the file (whose path only appears in messages).
    ///
    /// # Errors
    /// [`DataError::Empty`] without a header or rows; [`DataError::MissingColumn`] for a column
    /// not in the header (with a did-you-mean); [`DataError::RaggedRow`],
    /// [`DataError::NotANumber`], [`DataError::QuotedField`] and [`DataError::BadLabel`] naming
    /// the line and column.
    pub fn parse(&self, text: &str) -> Result<CsvDataset, DataError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line))
            .filter(|(_, line)| !line.trim().is_empty());
        let Some((header_line, header)) = lines.next() else {
            return Err(self.empty("the file needs a header line, then one row per sample"));
        };
        let header: Vec<String> = header.split(',').map(|f| f.trim().to_string()).collect();
        let mut rows = Rows::new(self, &header);
        // The header is checked for quotes too: `"a","b"` fails at its own line.
        for (column, name) in header.iter().enumerate() {
            rows.unquoted(header_line, column, name)?;
        }
        let columns = Columns::resolve(self, &header)?;
        for (number, line) in lines {
            rows.push(number, line, &columns)?;
        }
        if rows.count == 0 {
            return Err(self.empty("the file has a header but no rows"));
        }
        let n = rows.count;
        let features = array(rows.features, &[n, columns.features.len()]);
        let (labels, class_names) = match &self.target {
            TargetKind::Classes(_) => {
                let (classes, names) =
                    self.classes_of(&rows.labels, columns.targets[0], &header)?;
                (Labels::Classes(classes), names)
            }
            TargetKind::Values(_) => (
                Labels::Values(array(rows.values, &[n, columns.targets.len()])),
                None,
            ),
            TargetKind::None => (Labels::None, None),
        };
        let feature_names = columns
            .features
            .iter()
            .map(|&c| header[c].clone())
            .collect();
        Ok(CsvDataset {
            set: TensorDataset::new(features, labels)?,
            feature_names,
            class_names,
        })
    }

    fn empty(&self, hint: &'static str) -> DataError {
        DataError::Empty {
            what: format!("`{}`", self.path.display()),
            hint,
        }
    }

    /// Class indices from the label texts (see [`Csv::classes`] for the rule).
    fn classes_of(
        &self,
        labels: &[(usize, String)],
        column: usize,
        header: &[String],
    ) -> Result<(Vec<usize>, Option<Vec<String>>), DataError> {
        if let Some(names) = &self.class_names {
            return self.known_classes(labels, names, column, header);
        }
        let numeric = labels.iter().all(|(_, text)| text.parse::<f64>().is_ok());
        if !numeric {
            let names: Vec<String> = labels
                .iter()
                .map(|(_, t)| t.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let classes = labels
                .iter()
                .map(|(_, t)| names.binary_search(t).unwrap_or_default())
                .collect();
            return Ok((classes, Some(names)));
        }
        let classes = labels
            .iter()
            .map(|(line, text)| {
                let value: f64 = text.parse().unwrap_or(f64::NAN);
                if value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
                    Ok(value as usize)
                } else {
                    Err(DataError::BadLabel {
                        path: self.path.clone(),
                        line: *line,
                        column: column + 1,
                        name: header[column].clone(),
                        text: text.clone(),
                    })
                }
            })
            .collect::<Result<_, _>>()?;
        Ok((classes, None))
    }

    /// Class indices as positions in the fixed list `names` ([`Csv::class_names`]).
    fn known_classes(
        &self,
        labels: &[(usize, String)],
        names: &[String],
        column: usize,
        header: &[String],
    ) -> Result<(Vec<usize>, Option<Vec<String>>), DataError> {
        let index: HashMap<&str, usize> = (names.iter().enumerate())
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let classes = labels
            .iter()
            .map(|(line, text)| {
                index
                    .get(text.as_str())
                    .copied()
                    .ok_or_else(|| DataError::UnknownClass {
                        path: self.path.clone(),
                        line: *line,
                        column: column + 1,
                        name: header[column].clone(),
                        text: text.clone(),
                        known: names
                            .iter()
                            .take(10)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok((classes, Some(names.to_vec())))
    }
}

/// Column indices of the features and the targets.
struct Columns {
    features: Vec<usize>,
    targets: Vec<usize>,
}

impl Columns {
    fn resolve(csv: &Csv, header: &[String]) -> Result<Columns, DataError> {
        let find = |name: &String| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| DataError::MissingColumn {
                    path: csv.path.clone(),
                    column: name.clone(),
                    suggestion: did_you_mean(name, header.iter().map(String::as_str))
                        .map(String::from),
                    header: header.to_vec(),
                })
        };
        let targets = match &csv.target {
            TargetKind::Classes(name) => vec![find(name)?],
            TargetKind::Values(names) => names.iter().map(find).collect::<Result<_, _>>()?,
            TargetKind::None => Vec::new(),
        };
        let features = match &csv.features {
            Some(names) => names.iter().map(find).collect::<Result<_, _>>()?,
            None => (0..header.len()).filter(|c| !targets.contains(c)).collect(),
        };
        Ok(Columns { features, targets })
    }
}

/// The values read so far, row by row.
struct Rows<'a> {
    csv: &'a Csv,
    header: &'a [String],
    features: Vec<f32>,
    values: Vec<f32>,
    /// Class-label texts with their line numbers, resolved once every row is read.
    labels: Vec<(usize, String)>,
    count: usize,
}

impl<'a> Rows<'a> {
    fn new(csv: &'a Csv, header: &'a [String]) -> Rows<'a> {
        Rows {
            csv,
            header,
            features: Vec::new(),
            values: Vec::new(),
            labels: Vec::new(),
            count: 0,
        }
    }

    fn push(&mut self, line: usize, text: &str, columns: &Columns) -> Result<(), DataError> {
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        if fields.len() != self.header.len() {
            return Err(DataError::RaggedRow {
                path: self.csv.path.clone(),
                line,
                expected: self.header.len(),
                found: fields.len(),
            });
        }
        for &column in &columns.features {
            let value = self.number(line, column, fields[column])?;
            self.features.push(value);
        }
        match self.csv.target {
            TargetKind::Classes(_) => {
                let column = columns.targets[0];
                self.unquoted(line, column, fields[column])?;
                self.labels.push((line, fields[column].to_string()));
            }
            TargetKind::Values(_) => {
                for &column in &columns.targets {
                    let value = self.number(line, column, fields[column])?;
                    self.values.push(value);
                }
            }
            TargetKind::None => {}
        }
        self.count += 1;
        Ok(())
    }

    fn unquoted(&self, line: usize, column: usize, field: &str) -> Result<(), DataError> {
        if field.starts_with('"') || field.starts_with('\'') {
            return Err(DataError::QuotedField {
                path: self.csv.path.clone(),
                line,
                column: column + 1,
                name: self.header[column].clone(),
            });
        }
        Ok(())
    }

    fn number(&self, line: usize, column: usize, field: &str) -> Result<f32, DataError> {
        self.unquoted(line, column, field)?;
        field.parse().map_err(|_| DataError::NotANumber {
            path: self.csv.path.clone(),
            line,
            column: column + 1,
            name: self.header[column].clone(),
            text: field.to_string(),
        })
    }
}

/// `values` as an array of `shape` (the caller pushed exactly that many).
fn array(values: Vec<f32>, shape: &[usize]) -> ArrayD<f32> {
    ArrayD::from_shape_vec(IxDyn(shape), values)
        .expect("minitrainer internal error: CSV rows pushed one value per column")
}

impl CsvDataset {
    /// The feature columns' names, in feature order.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// For string class labels, the name of each class index (sorted); `None` for numeric
    /// labels or regression targets.
    pub fn class_names(&self) -> Option<&[String]> {
        self.class_names.as_deref()
    }

    /// The samples, as an in-memory set.
    pub fn into_inner(self) -> TensorDataset {
        self.set
    }

    /// The samples, as an in-memory set.
    pub fn inner(&self) -> &TensorDataset {
        &self.set
    }
}

impl Dataset for CsvDataset {
    type Item = Example;
    type Error = DataError;

    fn len(&self) -> usize {
        self.set.len()
    }

    fn get(&self, index: usize) -> Result<Example, DataError> {
        self.set.get(index)
    }
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
