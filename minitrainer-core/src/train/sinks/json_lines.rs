//! `JsonLinesSink`: one JSON object per line, each written with a single `write` call (no
//! buffer), so the file's length is always what was logged and a resumed run can cut it back
//! to its checkpoint.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::MetricsSink;

/// A JSON-lines metrics file (`metrics.jsonl`).
///
/// ```no_run
/// use minitrainer_core::train::callbacks::MetricsLog;
/// use minitrainer_core::train::sinks::JsonLinesSink;
/// let log = MetricsLog::new(JsonLinesSink::create("runs/a/metrics.jsonl")?);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct JsonLinesSink {
    path: PathBuf,
    file: File,
    written: u64,
}

impl JsonLinesSink {
    /// A new, empty file at `path` (replacing one there); its directory is created.
    ///
    /// # Errors
    /// The I/O error of creating it.
    pub fn create(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let file = File::create(path)?;
        Ok(JsonLinesSink {
            path: path.to_path_buf(),
            file,
            written: 0,
        })
    }

    /// The file at `path`, appended to (created if missing): for a resumed run, which then
    /// cuts it back to its checkpoint.
    ///
    /// # Errors
    /// The I/O error of opening it.
    pub fn append(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)?;
        let written = file.seek(SeekFrom::End(0))?;
        Ok(JsonLinesSink {
            path: path.to_path_buf(),
            file,
            written,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl MetricsSink for JsonLinesSink {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn write(&mut self, record: &Value) -> io::Result<()> {
        let mut line = record.to_string();
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.written += line.len() as u64;
        Ok(())
    }

    fn position(&self) -> Option<u64> {
        Some(self.written)
    }

    fn rewind(&mut self, position: u64) -> io::Result<()> {
        let length = self.file.metadata()?.len();
        if position > length {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the log has {length} bytes, but the checkpoint says {position} were written; was it replaced?"
                ),
            ));
        }
        self.file.set_len(position)?;
        self.written = position;
        Ok(())
    }
}
