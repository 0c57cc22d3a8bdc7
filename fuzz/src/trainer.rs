//! A small Trainer run with every kind of state a checkpoint holds: Adam's buffers, a
//! scheduler, early stopping's counters, batch norm's running statistics, dropout's generator.

use std::path::{Path, PathBuf};

use minitrainer::data::{Batch, DataLoader, Labels, TensorDataset};
use minitrainer::metrics::metric_from_str;
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::optimizer_from_str;
use minitrainer::optim::schedule::scheduler_from_str;
use minitrainer::prelude::*;
use minitrainer::train::callbacks::{EarlyStopping, EarlyStoppingConfig};
use minitrainer::train::checkpoint::latest_checkpoint;
use minitrainer::train::{CheckpointConfig, Trainer, TrainerOptions};

use crate::{FuzzNet, net};

/// 12 samples of 4 features in 3 classes, shuffled batches of 4 (3 batches an epoch).
pub fn loader() -> DataLoader<TensorDataset, Batch> {
    let features: Vec<f32> = (0..48)
        .map(|i| ((i * 7) % 11) as f32 / 11.0 - 0.5)
        .collect();
    let features =
        ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&[12, 4]), features).expect("12 × 4 values");
    let labels = Labels::Classes((0..12).map(|i| i % 3).collect());
    let set = TensorDataset::new(features, labels).expect("matching counts");
    DataLoader::builder(set)
        .batch_size(4)
        .shuffle(true)
        .seed(7)
        .build()
        .expect("a valid loader")
}

/// A trainer of [`net`]`(seed)` with Adam, a step scheduler, accuracy and early stopping.
pub fn trainer(seed: u64, options: TrainerOptions) -> Trainer<Configured<FuzzNet>> {
    let model = net(seed);
    let optimizer = optimizer_from_str("adam(lr=0.01)", &model).expect("a valid optimizer");
    let scheduler = scheduler_from_str("step_lr(step_size=1, gamma=0.5)", &[0.01]).expect("valid");
    let stopper = EarlyStopping::new(EarlyStoppingConfig {
        monitor: "train_loss".into(),
        patience: 5,
        ..EarlyStoppingConfig::default()
    })
    .expect("a valid config");
    Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(metric_from_str("accuracy").expect("a known metric"))
        .scheduler(scheduler)
        .callback(stopper)
        .options(options)
        .build()
        .expect("a valid trainer")
}

/// Options for a run of at most `max_steps` steps over 2 epochs, checkpointing into `dir`
/// when given.
pub fn options(max_steps: u64, dir: Option<&Path>) -> TrainerOptions {
    TrainerOptions {
        epochs: 2,
        max_steps: Some(max_steps),
        clip_grad_norm: Some(1.0),
        checkpoint: dir.map(|dir| CheckpointConfig {
            every_steps: Some(1),
            keep_last: 1,
            ..CheckpointConfig::new(dir.to_string_lossy())
        }),
        ..TrainerOptions::default()
    }
}

/// Trains 4 steps (into the second epoch, mid-epoch) checkpointing every step into `root`,
/// and returns the latest checkpoint's directory.
pub fn write_checkpoint(root: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(root);
    let mut trainer = trainer(1, options(4, Some(root)));
    trainer.fit(&loader(), None).expect("training runs");
    latest_checkpoint(root).expect("a checkpoint was written")
}
