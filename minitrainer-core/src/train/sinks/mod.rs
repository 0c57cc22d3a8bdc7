//! The metrics log's port and its adapters: the trainer's [`MetricsLog`](super::callbacks::MetricsLog)
//! callback writes records to a [`MetricsSink`]; adapters write JSON lines, CSV or console
//! lines, and [`MemorySink`] keeps them for tests.
//!
//! A record is a JSON object with a `"kind"`: `"step"` (`epoch`, `step`, `loss`, `lr`,
//! `grad_norm`), `"validation"` (`epoch`, `step`, `valid_*`) or `"epoch"` (`epoch`, `step`,
//! `train_loss`, `lr`, `valid_*`), as [`StepRecord::to_json`](super::StepRecord::to_json) and
//! [`EpochRecord::to_json`](super::EpochRecord::to_json) write them.

mod console;
mod csv;
mod json_lines;
mod memory;

use std::io;

use serde_json::Value;

pub use console::ConsoleSink;
pub(crate) use console::{human_line, human_number};
pub use csv::{CSV_FIXED_COLUMNS, CsvSink};
pub use json_lines::JsonLinesSink;
pub use memory::MemorySink;

/// Where metric records go. Errors are I/O errors: the trainer reports the first and keeps
/// training (a log is a secondary concern).
pub trait MetricsSink: Send {
    /// What the sink writes to, for messages (`"runs/a/metrics.jsonl"`).
    fn describe(&self) -> String;

    /// Writes one record.
    ///
    /// # Errors
    /// The I/O error.
    fn write(&mut self, record: &Value) -> io::Result<()>;

    /// Bytes (or records) written so far, saved in checkpoints, so a resumed run can cut what
    /// was logged after its checkpoint. `None`: the sink cannot rewind.
    fn position(&self) -> Option<u64> {
        None
    }

    /// Drops everything written after `position` (a resumed run rewrites it identically).
    ///
    /// # Errors
    /// The I/O error, or `InvalidData` when less than `position` was written.
    fn rewind(&mut self, position: u64) -> io::Result<()> {
        let _ = position;
        Ok(())
    }
}
