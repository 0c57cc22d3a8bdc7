//! `MemorySink`: records kept in memory (shared, so a test reads them while the trainer owns
//! the sink), optionally failing on every write, to test error isolation.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use super::MetricsSink;

/// Keeps every record; clones share them.
///
/// ```
/// use minitrainer_core::train::sinks::{MemorySink, MetricsSink};
/// let sink = MemorySink::new();
/// let mut writer = sink.clone();
/// writer.write(&serde_json::json!({"kind": "step", "loss": 0.5}))?;
/// assert_eq!(sink.records().len(), 1);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemorySink {
    records: Arc<Mutex<Vec<Value>>>,
    failing: bool,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        MemorySink::default()
    }

    /// A sink whose every write fails (like a full disk).
    pub fn failing() -> Self {
        MemorySink {
            failing: true,
            ..MemorySink::default()
        }
    }

    /// The records so far.
    pub fn records(&self) -> Vec<Value> {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The records of one kind (`"step"`, `"epoch"`, `"validation"`).
    pub fn of_kind(&self, kind: &str) -> Vec<Value> {
        self.records()
            .into_iter()
            .filter(|r| r.get("kind").and_then(Value::as_str) == Some(kind))
            .collect()
    }
}

impl MetricsSink for MemorySink {
    fn describe(&self) -> String {
        "memory".into()
    }

    fn write(&mut self, record: &Value) -> io::Result<()> {
        if self.failing {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record.clone());
        Ok(())
    }

    fn position(&self) -> Option<u64> {
        Some(
            self.records
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len() as u64,
        )
    }

    fn rewind(&mut self, position: u64) -> io::Result<()> {
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        let keep = usize::try_from(position).unwrap_or(usize::MAX);
        if keep > records.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "cannot rewind to record {keep}: only {} were written",
                    records.len()
                ),
            ));
        }
        records.truncate(keep);
        Ok(())
    }
}
