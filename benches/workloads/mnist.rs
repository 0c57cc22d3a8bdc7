//! W6: MNIST epochs through the `Trainer` and the `DataLoader` — the 784-256-10 MLP of
//! `examples/mnist.rs`, Adam lr 1e-3, cross-entropy, batches of 64 shuffled (seeded), no
//! validation, as `tools/reference/mnist_torch.py` on PyTorch's side.
//!
//! Needs the MNIST IDX files in `$MINITRAINER_MNIST` (default `../shared/data/mnist`, relative
//! to the repository); without them W6 is skipped with a message, never failed.

use std::path::PathBuf;
use std::sync::Arc;

use minitrainer::data::{DataLoader, Dataset, Mnist, Subset};
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::{Adam, AdamConfig};
use minitrainer::prelude::*;
use minitrainer::train::{Trainer, TrainerOptions};

/// Batch size of W6.
pub(crate) const BATCH: usize = 64;
/// Seed of the weights (as `from_config_str`) and of the shuffling.
const SEED: u64 = 0;

#[path = "../../examples/shared/mnist_mlp.rs"]
mod mnist_mlp;
use mnist_mlp::MnistMlp;

/// A trainer and the training loader; each [`W6::epoch`] trains one more epoch.
pub(crate) struct W6 {
    trainer: Trainer<Configured<MnistMlp>>,
    loader: DataLoader<Subset<Mnist>>,
}

impl W6 {
    /// W6 on the first `limit` training images (all of them for `None`), or why it cannot
    /// run (the MNIST files are missing).
    pub(crate) fn new(limit: Option<usize>) -> Result<W6, String> {
        let dir = std::env::var_os("MINITRAINER_MNIST")
            .map_or_else(|| PathBuf::from("../shared/data/mnist"), PathBuf::from);
        let mnist = Mnist::train(&dir).map_err(|e| {
            format!(
                "W6 skipped: no MNIST in `{}` ({e}); set MINITRAINER_MNIST to the directory of \
                 train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz",
                dir.display()
            )
        })?;
        let rows = limit.map_or(mnist.len(), |n| n.min(mnist.len()));
        let subset =
            Subset::new(Arc::new(mnist), (0..rows).collect()).map_err(|e| e.to_string())?;
        let loader = DataLoader::builder(subset)
            .batch_size(BATCH)
            .shuffle(true)
            .seed(SEED)
            .build()
            .map_err(|e| e.to_string())?;
        let model = MnistMlp::from_config_str("mnist_mlp()").map_err(|e| e.to_string())?;
        let config = AdamConfig {
            lr: 1e-3,
            ..AdamConfig::default()
        };
        let optimizer = Adam::new(&model, config).map_err(|e| e.to_string())?;
        let options = TrainerOptions {
            seed: Some(SEED),
            ..TrainerOptions::default()
        };
        let trainer = Trainer::builder(model, optimizer)
            .loss(CrossEntropyLoss::default())
            .options(options)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(W6 { trainer, loader })
    }

    /// Optimizer steps per epoch.
    pub(crate) fn steps_per_epoch(&self) -> usize {
        self.loader.num_batches(0)
    }

    /// Trains one more epoch; returns its mean training loss.
    pub(crate) fn epoch(&mut self) -> f64 {
        // The trainer's position is the epoch it would train next (from 1).
        let next = self.trainer.position().epoch;
        self.trainer.options_mut().epochs = next;
        let history = self
            .trainer
            .fit(&self.loader, None)
            .expect("W6: an MNIST epoch trains");
        history
            .last()
            .and_then(|record| record.get("train_loss"))
            .unwrap_or(f64::NAN)
    }
}
