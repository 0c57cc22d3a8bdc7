//! `ConsoleSink`: the metrics log as human-readable lines, one per epoch (and per validation,
//! or every N steps, when asked), on stdout or any writer.

use std::io::{self, Write};

use serde_json::{Map, Value};

use super::MetricsSink;

/// Writes `epoch 3  step 135  train_loss 0.1234  lr 0.0010  valid_loss 0.2345  valid_accuracy 0.9710`
/// for each epoch record: `epoch` and `step` first, then every metric in the record's order,
/// floats with four decimals (scientific notation below 0.001 or from 100000 on).
///
/// By default it writes epoch lines only. [`ConsoleSink::every_steps`] adds a line every N
/// optimizer steps (`epoch 1  step 50  loss 0.5123  lr 0.0100  grad_norm 1.2345`), and
/// [`ConsoleSink::validations`] a line per validation (`epoch 1  step 50  valid_loss …`):
/// worth it with `validate_every_steps`, redundant otherwise, as the epoch line carries the
/// end-of-epoch validation.
///
/// ```
/// use minitrainer_core::train::sinks::{ConsoleSink, MetricsSink};
/// let mut out = Vec::new();
/// {
///     let mut sink = ConsoleSink::new(&mut out);
///     sink.write(&serde_json::json!({"kind": "epoch", "epoch": 3, "step": 135,
///         "train_loss": 0.12344, "valid_accuracy": 0.971}))?;
/// }
/// assert_eq!(String::from_utf8_lossy(&out),
///     "epoch 3  step 135  train_loss 0.1234  valid_accuracy 0.9710\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ConsoleSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    describe: String,
    every_steps: u64,
    validations: bool,
}

impl ConsoleSink<'static> {
    /// Lines on standard output.
    pub fn stdout() -> Self {
        ConsoleSink {
            describe: "stdout".into(),
            ..ConsoleSink::new(io::stdout())
        }
    }
}

impl<'w> ConsoleSink<'w> {
    /// Lines written to `out` (a file, a buffer, a pipe), flushed after each.
    pub fn new(out: impl Write + Send + 'w) -> Self {
        ConsoleSink {
            out: Box::new(out),
            describe: "console".into(),
            every_steps: 0,
            validations: false,
        }
    }

    /// Also a line every `n` optimizer steps (when the global step is a multiple of `n`);
    /// 0, the default, for none.
    pub fn every_steps(mut self, n: u64) -> Self {
        self.every_steps = n;
        self
    }

    /// Also a line per validation (off by default).
    pub fn validations(mut self, show: bool) -> Self {
        self.validations = show;
        self
    }

    /// Whether `record` gets a line.
    fn shows(&self, record: &Map<String, Value>) -> bool {
        match record.get("kind").and_then(Value::as_str) {
            Some("step") => {
                let step = record.get("step").and_then(Value::as_u64).unwrap_or(0);
                self.every_steps > 0 && step.is_multiple_of(self.every_steps)
            }
            Some("validation") => self.validations,
            _ => true,
        }
    }
}

impl MetricsSink for ConsoleSink<'_> {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn write(&mut self, record: &Value) -> io::Result<()> {
        let Some(object) = record.as_object() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a metrics record is a JSON object, not `{record}`"),
            ));
        };
        if !self.shows(object) {
            return Ok(());
        }
        let mut line = human_line(object);
        line.push('\n');
        self.out.write_all(line.as_bytes())?;
        self.out.flush()
    }
}

/// `epoch 3  step 135  train_loss 0.1234 …`: `epoch` and `step` first, then every other key
/// but `kind` in order; a `true` flag (`skipped`) by its name alone.
pub(crate) fn human_line(record: &Map<String, Value>) -> String {
    let mut parts = Vec::new();
    for key in ["epoch", "step"] {
        if let Some(value) = record.get(key) {
            parts.push(format!("{key} {}", human_value(value)));
        }
    }
    for (key, value) in record {
        match (key.as_str(), value) {
            ("kind" | "epoch" | "step", _) | (_, Value::Bool(false)) => {}
            (_, Value::Bool(true)) => parts.push(key.clone()),
            _ => parts.push(format!("{key} {}", human_value(value))),
        }
    }
    parts.join("  ")
}

/// Integers as they are, floats by [`human_number`], strings (`NaN`) bare.
fn human_value(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => n.as_f64().map_or_else(|| n.to_string(), human_number),
        Value::String(text) => text.clone(),
        _ => value.to_string(),
    }
}

/// Four decimals (`0.1234`), or scientific notation for magnitudes below 0.001 or from 100000
/// on (`1.000e-5`), where four decimals would print `0.0000` or be too long.
pub(crate) fn human_number(x: f64) -> String {
    let magnitude = x.abs();
    if x == 0.0 || (1e-3..1e5).contains(&magnitude) || !x.is_finite() {
        format!("{x:.4}")
    } else {
        format!("{x:.3e}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lines(sink: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        sink(&mut out)?;
        Ok(String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect())
    }

    #[test]
    fn epoch_lines_always_step_lines_every_n_validations_when_asked() -> io::Result<()> {
        let records = [
            json!({"kind": "step", "epoch": 1, "step": 1, "loss": 2.5, "lr": 0.01, "grad_norm": 1.0}),
            json!({"kind": "step", "epoch": 1, "step": 2, "loss": 2.25, "lr": 1e-5, "grad_norm": 0.5, "skipped": true}),
            json!({"kind": "validation", "epoch": 1, "step": 2, "valid_loss": 2.0}),
            json!({"kind": "epoch", "epoch": 1, "step": 2, "train_loss": 2.375, "valid_loss": "NaN"}),
        ];
        let default = lines(|out| {
            let mut sink = ConsoleSink::new(out);
            records.iter().try_for_each(|r| sink.write(r))
        })?;
        assert_eq!(
            default,
            ["epoch 1  step 2  train_loss 2.3750  valid_loss NaN"]
        );
        let all = lines(|out| {
            let mut sink = ConsoleSink::new(out).every_steps(2).validations(true);
            records.iter().try_for_each(|r| sink.write(r))
        })?;
        assert_eq!(
            all,
            [
                "epoch 1  step 2  loss 2.2500  lr 1.000e-5  grad_norm 0.5000  skipped",
                "epoch 1  step 2  valid_loss 2.0000",
                "epoch 1  step 2  train_loss 2.3750  valid_loss NaN",
            ]
        );
        Ok(())
    }

    #[test]
    fn numbers_keep_four_decimals_or_switch_to_scientific() {
        assert_eq!(human_number(0.971), "0.9710");
        assert_eq!(human_number(0.0), "0.0000");
        assert_eq!(human_number(-12.5), "-12.5000");
        assert_eq!(human_number(0.0001234), "1.234e-4");
        assert_eq!(human_number(123456.0), "1.235e5");
        assert_eq!(human_number(f64::INFINITY), "inf");
    }

    #[test]
    fn a_failing_writer_is_an_io_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut sink = ConsoleSink::new(Full);
        let error = sink
            .write(&json!({"kind": "epoch", "epoch": 1, "step": 1}))
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
    }
}
