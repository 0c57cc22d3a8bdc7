//! `CsvSink`: the metrics log as one CSV file, a row per record, for spreadsheets and
//! `pandas.read_csv`.
//!
//! See [`CsvSink`] for the columns and why a late key rewrites the file.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::MetricsSink;
use crate::weights::atomic::write_atomic;

/// The columns every metrics CSV starts with.
pub const CSV_FIXED_COLUMNS: [&str; 6] = ["kind", "epoch", "step", "loss", "lr", "grad_norm"];

/// A CSV metrics file (`metrics.csv`).
///
/// Columns: the fixed `kind,epoch,step,loss,lr,grad_norm` (what a step record has; an epoch
/// record's `lr` goes in the same column), then every other key in the order it first
/// appears (`train_loss`, `valid_loss`, `valid_accuracy`, `skipped`, …). A record without a
/// column's key leaves the cell empty. A key that appears later (the first epoch record after
/// the step rows, a metric added on a second `fit`) widens the file: it is rewritten with the
/// new column at the end, the earlier rows padded with an empty cell, atomically (a temporary
/// sibling renamed over it), so no value is ever dropped and the file is always valid CSV.
/// Alternatives rejected: an error for the late key (loses the value), a file per kind (a
/// checkpoint stores one position, and a position cannot rewind two files).
///
/// The position saved in checkpoints is the number of data rows, not bytes, because a
/// widening rewrite changes the bytes of every row but not their count.
///
/// ```no_run
/// use minitrainer_core::train::callbacks::MetricsLog;
/// use minitrainer_core::train::sinks::CsvSink;
/// let log = MetricsLog::new(CsvSink::create("runs/a/metrics.csv")?).named("csv_log");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct CsvSink {
    path: PathBuf,
    file: File,
    columns: Vec<String>,
    rows: u64,
}

impl CsvSink {
    /// A new file at `path` holding the header (replacing a file there); its directory is
    /// created.
    ///
    /// # Errors
    /// The I/O error of creating or writing it.
    pub fn create(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let columns: Vec<String> = CSV_FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
        File::create(path)?.write_all(header(&columns).as_bytes())?;
        let file = open_append(path)?;
        Ok(CsvSink {
            path: path.to_path_buf(),
            file,
            columns,
            rows: 0,
        })
    }

    /// The file at `path`, appended to (created with its header if missing or empty), its
    /// columns read from its header: for a resumed run, which then cuts it back to its
    /// checkpoint. A last row cut short by a crash is ended with a newline.
    ///
    /// # Errors
    /// The I/O error of opening or reading it; `InvalidData` when its header does not start
    /// with [`CSV_FIXED_COLUMNS`] (not a metrics CSV).
    pub fn append(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error),
        };
        if text.is_empty() {
            return Self::create(path);
        }
        let ends = record_ends(&text);
        let header_end = ends.first().copied().unwrap_or(text.len());
        let columns = parse_fields(text[..header_end].trim_end_matches(['\n', '\r']));
        if !columns
            .iter()
            .map(String::as_str)
            .take(6)
            .eq(CSV_FIXED_COLUMNS)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} is not a metrics CSV: its header `{}` does not start with `{}`; give another path or use `CsvSink::create`",
                    path.display(),
                    text[..header_end].trim_end(),
                    CSV_FIXED_COLUMNS.join(",")
                ),
            ));
        }
        let mut file = open_append(path)?;
        let mut records = ends.len() as u64;
        if !text.ends_with('\n') {
            file.write_all(b"\n")?;
            records += 1;
        }
        Ok(CsvSink {
            path: path.to_path_buf(),
            file,
            columns,
            rows: records - 1,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The columns so far, as in the header.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The file's text, read through the sink's own handle (it may be append-only elsewhere).
    fn read_all(&mut self) -> io::Result<String> {
        let mut text = String::new();
        self.file.seek(SeekFrom::Start(0))?;
        self.file.read_to_string(&mut text)?;
        Ok(text)
    }

    /// Adds `new` columns at the end: rewrites the file with the wider header and every row
    /// padded, atomically, then appends to the new file.
    fn widen(&mut self, new: Vec<String>) -> io::Result<()> {
        let text = self.read_all()?;
        let ends = record_ends(&text);
        let padding = ",".repeat(new.len());
        let mut columns = self.columns.clone();
        columns.extend(new);
        let mut rewritten = header(&columns);
        let mut start = ends.first().copied().unwrap_or(text.len());
        for &end in ends.iter().skip(1) {
            let row = text[start..end].trim_end_matches(['\n', '\r']);
            rewritten.push_str(row);
            rewritten.push_str(&padding);
            rewritten.push('\n');
            start = end;
        }
        write_atomic(&self.path, rewritten.as_bytes()).map_err(|e| {
            let kind = match &e {
                crate::weights::IoError::File { source, .. } => source.kind(),
                _ => io::ErrorKind::Other,
            };
            io::Error::new(kind, e.to_string())
        })?;
        self.file = open_append(&self.path)?;
        self.columns = columns;
        Ok(())
    }
}

impl MetricsSink for CsvSink {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn write(&mut self, record: &Value) -> io::Result<()> {
        let Some(object) = record.as_object() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a metrics record is a JSON object, not `{record}`"),
            ));
        };
        let new: Vec<String> = object
            .keys()
            .filter(|key| !self.columns.contains(key))
            .cloned()
            .collect();
        if !new.is_empty() {
            self.widen(new)?;
        }
        let line = row(&self.columns, object);
        self.file.write_all(line.as_bytes())?;
        self.rows += 1;
        Ok(())
    }

    fn position(&self) -> Option<u64> {
        Some(self.rows)
    }

    fn rewind(&mut self, position: u64) -> io::Result<()> {
        let text = self.read_all()?;
        let ends = record_ends(&text);
        let rows = ends.len().saturating_sub(1) as u64;
        let Some(&cut) = usize::try_from(position)
            .ok()
            .and_then(|keep| ends.get(keep))
        else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the log has {rows} rows, but the checkpoint says {position} were written; was it replaced?"
                ),
            ));
        };
        self.file.set_len(cut as u64)?;
        self.rows = position;
        Ok(())
    }
}

/// The file opened for appending (every write lands at its end, also after a rewind cuts
/// it) and for reading (to widen or rewind it).
fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().append(true).read(true).open(path)
}

/// The header line.
fn header(columns: &[String]) -> String {
    let mut line = columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// One row: a cell per column, empty where the record lacks the key.
fn row(columns: &[String], record: &Map<String, Value>) -> String {
    let mut line = columns
        .iter()
        .map(|c| record.get(c).map(cell).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// A value's cell: numbers as JSON writes them (shortest round trip), strings (`NaN`, `inf`,
/// a kind) as they are, quoted only when they must be.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => quote(text),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        Value::Array(_) | Value::Object(_) => quote(&value.to_string()),
    }
}

/// RFC 4180 quoting: a field with a comma, a quote or a line break is wrapped in quotes, and
/// its quotes doubled.
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The byte offset just past each complete record's newline (a newline inside quotes does
/// not end a record).
fn record_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut quoted = false;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => ends.push(i + 1),
            _ => {}
        }
    }
    ends
}

/// The fields of one record (RFC 4180: quotes removed, doubled quotes halved).
fn parse_fields(record: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = record.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
