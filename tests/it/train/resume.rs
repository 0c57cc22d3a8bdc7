//! Resume equals uninterrupted: from an epoch boundary and from the middle of an epoch, with
//! dropout and shuffling on, with 0 and 2 loader workers — weights, history and every logged
//! step compared bit for bit.

use minitrainer::config::Config;
use minitrainer::train::callbacks::{EarlyStopping, EarlyStoppingConfig, MetricsLog};
use minitrainer::train::checkpoint::list_checkpoints;
use minitrainer::train::sinks::MemorySink;
use minitrainer::train::{CheckpointConfig, MonitorMode, Trainer, TrainerOptions};
use serde_json::Value;

use super::{Net, builder, digits, trainer, weight_bits};
use crate::scratch_dir;

fn options(dir: &std::path::Path, epochs: u64) -> TrainerOptions {
    TrainerOptions {
        epochs,
        checkpoint: Some(CheckpointConfig {
            dir: dir.to_string_lossy().into_owned(),
            every_epochs: 1,
            every_steps: Some(20),
            keep_last: 100,
            monitor: Some("valid_loss".into()),
            mode: MonitorMode::Min,
        }),
        ..TrainerOptions::default()
    }
}

/// A trainer with a metrics log into `sink` and early stopping (whose counters must survive).
fn logged(init_seed: u64, options: TrainerOptions, sink: &MemorySink) -> Trainer<Net> {
    let stopper = EarlyStopping::new(EarlyStoppingConfig {
        patience: 100,
        ..EarlyStoppingConfig::default()
    })
    .expect("valid config");
    builder(init_seed)
        .callback(MetricsLog::new(sink.clone()))
        .callback(stopper)
        .options(options)
        .build()
        .expect("valid trainer")
}

/// Runs 3 epochs uninterrupted, then resumes from the checkpoint `pick` selects (in a model
/// built from another seed) and checks the resumed run ends in the same bits.
fn resume_matches(name: &str, workers: usize, pick: impl Fn(&str) -> bool) {
    let dir = scratch_dir(name);
    let (train, test) = digits(workers);
    let sink = MemorySink::new();
    let mut full = logged(1, options(&dir, 3), &sink);
    let history = full.fit(&train, Some(&test)).expect("training runs");
    let logged_lines = sink.records();
    assert_eq!(history.epochs.len(), 3);

    let checkpoints = list_checkpoints(&dir).expect("checkpoints written");
    let chosen = checkpoints
        .iter()
        .find(|path| pick(&path.file_name().unwrap().to_string_lossy()))
        .unwrap_or_else(|| panic!("no such checkpoint among {checkpoints:?}"));

    let (train, test) = digits(workers);
    let mut resumed = logged(99, options(&dir, 3), &sink);
    resumed.resume(chosen).expect("the checkpoint loads");
    assert_ne!(
        weight_bits(full.model()),
        weight_bits(resumed.model()),
        "mid-run weights"
    );
    let resumed_history = resumed
        .fit(&train, Some(&test))
        .expect("resumed training runs");

    assert_eq!(weight_bits(full.model()), weight_bits(resumed.model()));
    assert_eq!(history, resumed_history);
    assert_eq!(steps_as_bits(&logged_lines), steps_as_bits(&sink.records()));
    assert_eq!(logged_lines, sink.records());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every logged number as bits (NaN-safe, exact).
fn steps_as_bits(lines: &[Value]) -> Vec<String> {
    lines.iter().map(Value::to_string).collect()
}

#[test]
fn resuming_at_an_epoch_boundary_ends_bitwise_where_the_uninterrupted_run_ends() {
    // Epoch 1 has 45 steps: the checkpoint at its end is at step 45, epoch 2, batch 0.
    resume_matches("resume-epoch", 0, |name| {
        name == "ckpt-s00000045-e0002-b000000"
    });
}

#[test]
fn resuming_mid_epoch_ends_bitwise_where_the_uninterrupted_run_ends() {
    resume_matches("resume-mid", 0, |name| {
        name == "ckpt-s00000060-e0002-b000015"
    });
}

#[test]
fn resuming_mid_epoch_with_two_workers_ends_bitwise_where_the_uninterrupted_run_ends() {
    resume_matches("resume-workers", 2, |name| {
        name == "ckpt-s00000100-e0003-b000010"
    });
}

#[test]
fn the_same_seed_gives_the_same_history_bit_for_bit() {
    let run = || {
        let (train, test) = digits(0);
        let options = TrainerOptions {
            epochs: 2,
            seed: Some(5),
            ..TrainerOptions::default()
        };
        let mut trainer = trainer(3, options);
        let history = trainer.fit(&train, Some(&test)).expect("training runs");
        (history, weight_bits(trainer.model()))
    };
    let (first, second) = (run(), run());
    assert_eq!(first, second);
    // A different trainer seed changes the dropout masks, hence the run.
    let (train, test) = digits(0);
    let mut other = trainer(
        3,
        TrainerOptions {
            epochs: 2,
            seed: Some(6),
            ..TrainerOptions::default()
        },
    );
    other.fit(&train, Some(&test)).expect("training runs");
    assert_ne!(first.1, weight_bits(other.model()));
}

#[test]
fn a_finished_run_extended_by_epochs_equals_a_longer_run() {
    let (train, test) = digits(0);
    let mut long = trainer(
        2,
        TrainerOptions::from_json(r#"{"epochs": 3}"#).expect("valid"),
    );
    let long_history = long.fit(&train, Some(&test)).expect("runs");
    let mut short = trainer(
        2,
        TrainerOptions::from_json(r#"{"epochs": 2}"#).expect("valid"),
    );
    short.fit(&train, Some(&test)).expect("runs");
    assert!(short.is_finished());
    short.options_mut().epochs = 3;
    let extended = short.fit(&train, Some(&test)).expect("runs");
    assert_eq!(long_history, extended);
    assert_eq!(weight_bits(long.model()), weight_bits(short.model()));
}

#[test]
fn a_missing_or_foreign_checkpoint_is_an_error_naming_it() {
    let dir = scratch_dir("resume-missing");
    let mut trainer = trainer(1, TrainerOptions::default());
    let err = trainer.resume(&dir).unwrap_err().to_string();
    assert!(err.contains("no checkpoint here"), "{err}");
    assert!(err.contains(&*dir.to_string_lossy()), "{err}");
    let fake = dir.join("ckpt-s00000001-e0001-b000001");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(fake.join("trainer.json"), r#"{"format": "something else"}"#).unwrap();
    let err = trainer.resume(&fake).unwrap_err().to_string();
    assert!(
        err.contains("not a version 1 minitrainer checkpoint"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
