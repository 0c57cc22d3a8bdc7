//! Checkpoints in data-parallel training: rank 0 alone writes them, and every rank resuming from
//! rank 0's checkpoint ends where the uninterrupted run ends, bit for bit — the metrics log
//! both ranks open on the same file too.

use std::path::{Path, PathBuf};

use minitrainer::distributed::Collective;
use minitrainer::train::callbacks::MetricsLog;
use minitrainer::train::checkpoint::list_checkpoints;
use minitrainer::train::sinks::JsonLinesSink;
use minitrainer::train::{CheckpointConfig, TrainerOptions};

use super::{builder, on_ranks, train_shard, valid};
use crate::scratch_dir;
use crate::train::weight_bits;

fn options(dir: &Path) -> TrainerOptions {
    TrainerOptions {
        epochs: 2,
        checkpoint: Some(CheckpointConfig {
            every_steps: Some(10),
            keep_last: 100,
            ..CheckpointConfig::new(dir.to_string_lossy())
        }),
        ..TrainerOptions::default()
    }
}

#[test]
fn rank_0_alone_writes_checkpoints_and_a_resumed_run_ends_where_the_full_one_ends() {
    let root = scratch_dir("ddp-resume");
    // Each rank is told its own directory: only rank 0's may fill.
    let dirs: Vec<PathBuf> = (0..2)
        .map(|rank| root.join(format!("rank{rank}")))
        .collect();
    let full_dirs = dirs.clone();
    let log = root.join("metrics.jsonl");
    std::fs::write(&log, "").expect("an empty log");
    let full_log = log.clone();
    let full = on_ranks(2, move |group| {
        let rank = group.rank();
        let sink = JsonLinesSink::append(&full_log).expect("opens");
        let mut trainer = builder(group)
            .callback(MetricsLog::new(sink))
            .options(options(&full_dirs[rank]))
            .build()
            .expect("valid trainer");
        let history = trainer
            .fit(&train_shard(rank, 2, 32), Some(&valid()))
            .expect("training runs");
        (history, weight_bits(trainer.model()))
    });
    assert_eq!(full[0], full[1]);
    assert!(
        !dirs[1].exists(),
        "rank 1 wrote into its checkpoint directory"
    );
    let checkpoints = list_checkpoints(&dirs[0]).expect("rank 0 wrote checkpoints");
    // 22 steps an epoch: steps 10, 20, the end of epoch 1 (22), 30, 40, the end (44).
    assert_eq!(checkpoints.len(), 6, "{checkpoints:?}");

    // Both ranks resume from rank 0's checkpoint at step 30 (mid-epoch 2).
    let chosen = checkpoints[3].clone();
    assert!(chosen.to_string_lossy().contains("s00000030"), "{chosen:?}");
    let full_text = std::fs::read_to_string(&log).expect("the log");
    assert_eq!(
        full_text.lines().count(),
        44 + 2 + 2,
        "steps, validations, epochs"
    );
    let resume_dir = root.join("resumed");
    let resumed_log = log.clone();
    let resumed = on_ranks(2, move |group| {
        let rank = group.rank();
        let sink = JsonLinesSink::append(&resumed_log).expect("opens");
        let mut trainer = builder(group)
            .callback(MetricsLog::new(sink))
            .options(options(&resume_dir))
            .build()
            .expect("valid trainer");
        trainer.resume(&chosen).expect("the checkpoint loads");
        let history = trainer
            .fit(&train_shard(rank, 2, 32), Some(&valid()))
            .expect("resumed training runs");
        (history, weight_bits(trainer.model()))
    });
    assert_eq!(resumed[0], full[0]);
    assert_eq!(resumed[1], full[0]);
    assert_eq!(std::fs::read_to_string(&log).expect("the log"), full_text);
    let _ = std::fs::remove_dir_all(&root);
}
