//! The metrics log's adapters (JSON lines, CSV, console) and the `Progress` callback, driven by
//! real `Trainer` runs: a linear classifier on 96 digits in batches of 32 (3 steps an epoch),
//! validated on 64 more, with plain SGD so every step can be recomputed by hand.

use std::error::Error;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use minitrainer::Model;
use minitrainer::data::{Batch, DataLoader, DatasetExt, Digits, Subset, Targets, TensorDataset};
use minitrainer::metrics::metric_from_str;
use minitrainer::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig, cross_entropy};
use minitrainer::optim::{grad_norm, optimizer_from_str};
use minitrainer::prelude::Module;
use minitrainer::train::callbacks::{MetricsLog, Progress};
use minitrainer::train::sinks::{ConsoleSink, CsvSink, JsonLinesSink, MemorySink, MetricsSink};
use minitrainer::train::{Trainer, TrainerBuilder};
use serde_json::{Value, json};

use crate::scratch_dir;

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;
type Loader = DataLoader<Subset<TensorDataset>, Batch>;
type Builder = TrainerBuilder<Box<dyn Model>>;

const SPEC: &str = "linear(in_features=64, out_features=10)";
const OPTIMIZER: &str = "sgd(lr=0.5)";
const STEPS_PER_EPOCH: usize = 3;

/// 96 training rows in batches of 32, 64 validation rows; no shuffling.
fn loaders() -> Result<(Loader, Loader)> {
    let mut parts = Digits::load().split_ranges(&[0..96, 1437..1501])?;
    let valid = DataLoader::builder(parts.remove(1))
        .batch_size(64)
        .build()?;
    let train = DataLoader::builder(parts.remove(0))
        .batch_size(32)
        .build()?;
    Ok((train, valid))
}

/// Two epochs of a fresh model, with whatever `add` puts into the builder.
fn train(add: impl FnOnce(Builder) -> Builder) -> Result<Trainer<Box<dyn Model>>> {
    let model = minitrainer::load(SPEC)?;
    let optimizer = optimizer_from_str(OPTIMIZER, &model)?;
    let builder = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(metric_from_str("accuracy")?)
        .epochs(2);
    let mut trainer = add(builder).build()?;
    let (train, valid) = loaders()?;
    trainer.fit(&train, Some(&valid))?;
    Ok(trainer)
}

fn weights(trainer: &Trainer<Box<dyn Model>>) -> Vec<(String, Vec<f32>)> {
    trainer
        .model()
        .named_parameters()
        .into_iter()
        .map(|(name, param)| (name, param.tensor().to_vec()))
        .collect()
}

/// A writer whose bytes the test reads while the trainer owns a clone.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut buffer = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn number(record: &Value, key: &str) -> f64 {
    record[key].as_f64().unwrap_or(f64::NAN)
}

#[test]
fn json_lines_log_has_each_steps_loss_and_grad_norm_as_computed_by_hand() -> Result {
    let path = scratch_dir("train-logging-jsonl").join("metrics.jsonl");
    let log = MetricsLog::new(JsonLinesSink::create(&path)?);
    let trainer = train(|b| b.callback(log))?;
    let records: Vec<Value> = std::fs::read_to_string(&path)?
        .lines()
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()?;
    let of_kind =
        |kind: &str| -> Vec<&Value> { records.iter().filter(|r| r["kind"] == kind).collect() };
    let steps = of_kind("step");
    assert_eq!(steps.len(), 2 * STEPS_PER_EPOCH);
    assert_eq!(of_kind("validation").len(), 2);

    // The same steps by hand: a fresh model (same default seed), the same batches.
    let model = minitrainer::load(SPEC)?;
    let mut optimizer = optimizer_from_str(OPTIMIZER, &model)?;
    let (loader, _) = loaders()?;
    let batches = (0..2).flat_map(|_| loader.iter().collect::<Vec<_>>());
    for (i, (batch, record)) in batches.zip(&steps).enumerate() {
        let batch = batch?;
        let Targets::Classes(labels) = &batch.targets else {
            return Err("digits have class targets".into());
        };
        let logits = model.try_forward(batch.inputs)?;
        let loss = cross_entropy(&logits, labels, &CrossEntropyLossConfig::default())?;
        loss.backward();
        let norm = grad_norm(model.trainable_parameters(), 2.0)?;
        optimizer.step();
        optimizer.zero_grad();
        let expected = json!({
            "kind": "step", "epoch": i / STEPS_PER_EPOCH + 1, "step": i + 1,
            "loss": f64::from(loss.item()), "lr": 0.5, "grad_norm": f64::from(norm),
        });
        assert_eq!(*record, &expected, "step {}", i + 1);
    }

    let epochs = of_kind("epoch");
    assert_eq!(epochs.len(), 2);
    for (e, record) in epochs.iter().enumerate() {
        assert_eq!(record["epoch"], e + 1);
        assert_eq!(record["step"], (e + 1) * STEPS_PER_EPOCH);
        let window = &steps[e * STEPS_PER_EPOCH..(e + 1) * STEPS_PER_EPOCH];
        let mean = window.iter().map(|s| number(s, "loss")).sum::<f64>() / 3.0;
        assert!((number(record, "train_loss") - mean).abs() < 1e-12);
        let accuracy = number(record, "valid_accuracy");
        assert!(number(record, "valid_loss").is_finite() && (0.0..=1.0).contains(&accuracy));
        let history = &trainer.history().epochs[e];
        assert_eq!(
            history.get("valid_loss"),
            Some(number(record, "valid_loss"))
        );
    }
    Ok(())
}

#[test]
fn a_failing_logger_does_not_stop_training_and_its_errors_are_counted() -> Result {
    let baseline = train(|b| b)?;
    let failing = train(|b| b.callback(MetricsLog::new(MemorySink::failing())))?;
    assert_eq!(weights(&failing), weights(&baseline));
    // 6 steps, 2 validations, 2 epochs: every write failed.
    assert_eq!(
        failing.callback_io_errors(),
        [("metrics_log".to_string(), 10)]
    );
    assert_eq!(failing.history(), baseline.history());

    // Linux's /dev/full: every write fails with ENOSPC, like a full disk.
    if cfg!(target_os = "linux")
        && let Ok(full) = JsonLinesSink::create("/dev/full")
    {
        let trainer = train(|b| b.callback(MetricsLog::new(full).named("full_disk")))?;
        assert_eq!(weights(&trainer), weights(&baseline));
        assert_eq!(
            trainer.callback_io_errors(),
            [("full_disk".to_string(), 10)]
        );
    }
    Ok(())
}

#[test]
fn csv_and_console_logs_hold_the_records_of_the_run() -> Result {
    let path = scratch_dir("train-logging-csv").join("metrics.csv");
    let memory = MemorySink::new();
    let console = Captured::default();
    let csv = MetricsLog::new(CsvSink::create(&path)?).named("csv");
    train(|b| {
        b.callback(MetricsLog::new(memory.clone()).named("memory"))
            .callback(csv)
            .callback(MetricsLog::new(
                ConsoleSink::new(console.clone()).every_steps(2),
            ))
    })?;
    let records = memory.records();

    // CSV: the step columns, then the keys in the order they first appeared (validation
    // before epoch), a row per record with the same values.
    let text = std::fs::read_to_string(&path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let expected = "kind,epoch,step,loss,lr,grad_norm,valid_loss,valid_accuracy,train_loss";
    assert_eq!(header.join(","), expected);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), records.len());
    assert_eq!(rows.len(), 10);
    for (row, record) in rows.iter().zip(&records) {
        assert_eq!(row.len(), header.len());
        for (cell, column) in row.iter().zip(&header) {
            match &record[*column] {
                Value::Null => assert_eq!(*cell, "", "{column} of {record}"),
                Value::String(s) => assert_eq!(*cell, s.as_str()),
                value => assert_eq!(cell.parse::<f64>()?, value.as_f64().unwrap_or(f64::NAN)),
            }
        }
    }

    // Console: steps 2, 4, 6 and both epochs.
    let four = |r: &Value, key: &str| format!("{key} {:.4}", number(r, key));
    let mut expected = Vec::new();
    for record in &records {
        let head = format!("epoch {}  step {}", record["epoch"], record["step"]);
        match record["kind"].as_str() {
            Some("step") if record["step"].as_u64().unwrap_or(1) % 2 == 0 => {
                let keys = ["loss", "lr", "grad_norm"].map(|k| four(record, k));
                expected.push(format!("{head}  {}", keys.join("  ")));
            }
            Some("epoch") => {
                let keys = ["train_loss", "lr", "valid_loss", "valid_accuracy"];
                let keys = keys.map(|k| four(record, k));
                expected.push(format!("{head}  {}", keys.join("  ")));
            }
            _ => {}
        }
    }
    assert_eq!(expected.len(), 5);
    assert_eq!(console.text().lines().collect::<Vec<_>>(), expected);
    Ok(())
}

#[test]
fn plain_progress_prints_a_line_per_epoch_and_every_n_steps_without_carriage_returns() -> Result {
    let out = Captured::default();
    let progress = Progress::to_writer(out.clone()).every_steps(2);
    assert!(!progress.uses_bars());
    let trainer = train(|b| b.callback(progress))?;
    let text = out.text();
    assert!(!text.contains('\r') && !text.contains('\x1b'), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    let epoch_lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("train_loss"))
        .collect();
    assert_eq!(epoch_lines.len(), 2);
    for (line, record) in epoch_lines.iter().zip(&trainer.history().epochs) {
        let head = format!("epoch {}  step {}  train_loss ", record.epoch, record.step);
        assert!(line.starts_with(&head), "{line}");
        assert!(
            line.contains("  valid_accuracy ") && line.ends_with("s)"),
            "{line}"
        );
    }
    assert!(
        lines[0].starts_with("epoch 1  step 2  loss "),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("  lr 0.5000"), "{}", lines[0]);

    let silent = Captured::default();
    train(|b| b.callback(Progress::to_writer(silent.clone()).quiet(true)))?;
    assert_eq!(silent.text(), "");
    Ok(())
}

#[test]
fn json_lines_rewind_cuts_the_file_back_to_a_saved_position() -> Result {
    let path = scratch_dir("train-logging-rewind").join("metrics.jsonl");
    let record = |step: u64| json!({"kind": "step", "epoch": 1, "step": step, "loss": 0.5});
    let mut sink = JsonLinesSink::create(&path)?;
    sink.write(&record(1))?;
    let position = sink.position().unwrap_or_default();
    sink.write(&record(2))?;
    sink.write(&record(3))?;
    drop(sink);

    // A resumed run opens the file to append and cuts it back to its checkpoint.
    let mut resumed = JsonLinesSink::append(&path)?;
    assert_eq!(resumed.position(), Some(3 * position));
    resumed.rewind(position)?;
    assert_eq!(std::fs::read_to_string(&path)?, format!("{}\n", record(1)));
    resumed.write(&record(2))?;
    assert_eq!(
        std::fs::read_to_string(&path)?,
        format!("{}\n{}\n", record(1), record(2))
    );
    let error = resumed.rewind(100 * position).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    Ok(())
}
