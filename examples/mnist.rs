//! Trains a 784 → 256 → 10 MLP (ReLU) on MNIST through the `Trainer`: Adam (lr 1e-3), batches
//! of 64 shuffled with a fixed seed, 5 epochs, cross-entropy, validation on the 10,000 test
//! images after each epoch (accuracy). Prints each epoch's seconds (training and validation
//! apart) and test accuracy, logs every step and epoch to `runs/mnist/metrics.jsonl`, and
//! exits with an error if the final test accuracy is below 97.5%.
//!
//! The data are the four IDX files of MNIST (`train-images-idx3-ubyte.gz`,
//! `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`,
//! gzipped or not) in the directory `$MINITRAINER_MNIST`, by default `../shared/data/mnist`.
//! `data::Mnist` yields each image as `[28, 28]` pixels / 255 in `[0, 1]`; the model flattens
//! a batch `[n, 28, 28]` to `[n, 784]`.
//!
//! ```sh
//! cargo run --release --example mnist
//! # one thread instead of the default two (`minitrainer::set_num_threads` in code):
//! MINITRAINER_NUM_THREADS=1 cargo run --release --example mnist
//! ```
//!
//! `tools/reference/mnist_torch.py` is the same loop in PyTorch.

use std::error::Error;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use minitrainer::data::{DataLoader, Dataset, Mnist};
use minitrainer::metrics::metric_from_str;
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::{Adam, AdamConfig};
use minitrainer::prelude::*;
use minitrainer::train::callbacks::MetricsLog;
use minitrainer::train::sinks::JsonLinesSink;
use minitrainer::train::{
    Callback, EpochRecord, HookResult, StepRecord, TrainContext, Trainer, TrainerOptions,
};

const EPOCHS: u64 = 5;
const BATCH: usize = 64;
const LR: f64 = 1e-3;
/// The shuffling seed of the training loader.
const SEED: u64 = 0;
/// The test accuracy the run must reach.
const TARGET_ACCURACY: f64 = 0.975;

#[path = "shared/mnist_mlp.rs"]
mod mnist_mlp;
use mnist_mlp::MnistMlp;

/// Wall-clock seconds of each epoch's training steps and of its validation.
#[derive(Clone, Copy, Debug)]
struct EpochTime {
    train: f64,
    valid: f64,
}

/// Times each epoch: from its start to its last step, and from there to the end of validation.
struct EpochTimer {
    start: Instant,
    last_step: Instant,
    times: Arc<Mutex<Vec<EpochTime>>>,
}

impl Callback for EpochTimer {
    fn name(&self) -> &str {
        "epoch_timer"
    }

    fn on_epoch_start(&mut self, _ctx: &mut TrainContext<'_>) -> HookResult {
        self.start = Instant::now();
        Ok(())
    }

    fn on_batch_end(&mut self, _ctx: &mut TrainContext<'_>, _step: &StepRecord) -> HookResult {
        self.last_step = Instant::now();
        Ok(())
    }

    fn on_epoch_end(&mut self, _ctx: &mut TrainContext<'_>, record: &EpochRecord) -> HookResult {
        let time = EpochTime {
            train: (self.last_step - self.start).as_secs_f64(),
            valid: self.last_step.elapsed().as_secs_f64(),
        };
        println!(
            "epoch {}  train {:.2} s  valid {:.2} s  train loss {:.4}  test loss {:.4}  test accuracy {:.4}",
            record.epoch,
            time.train,
            time.valid,
            record.get("train_loss").unwrap_or(f64::NAN),
            record.get("valid_loss").unwrap_or(f64::NAN),
            record.get("valid_accuracy").unwrap_or(f64::NAN),
        );
        if let Ok(mut times) = self.times.lock() {
            times.push(time);
        }
        Ok(())
    }
}

/// `$MINITRAINER_MNIST`, else `../shared/data/mnist`.
fn data_dir() -> PathBuf {
    std::env::var_os("MINITRAINER_MNIST").map_or_else(|| "../shared/data/mnist".into(), Into::into)
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = data_dir();
    let load = Instant::now();
    let (train, test) = (Mnist::train(&dir)?, Mnist::test(&dir)?);
    println!(
        "MNIST from {}: {} training, {} test images ({:.2} s to read)",
        dir.display(),
        train.len(),
        test.len(),
        load.elapsed().as_secs_f64()
    );
    let train = DataLoader::builder(train)
        .batch_size(BATCH)
        .shuffle(true)
        .seed(SEED)
        .build()?;
    let test = DataLoader::builder(test).batch_size(1000).build()?;

    let model = MnistMlp::from_config_str("mnist_mlp(in_dim=784, hidden=256, classes=10)")?;
    println!("{}", model.repr());
    let config = AdamConfig {
        lr: LR,
        ..AdamConfig::default()
    };
    let optimizer = Adam::new(&model, config)?;
    let times = Arc::new(Mutex::new(Vec::new()));
    let timer = EpochTimer {
        start: Instant::now(),
        last_step: Instant::now(),
        times: Arc::clone(&times),
    };
    let options = TrainerOptions {
        epochs: EPOCHS,
        seed: Some(SEED),
        ..TrainerOptions::default()
    };
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(metric_from_str("accuracy")?)
        .callback(MetricsLog::new(JsonLinesSink::create(
            "runs/mnist/metrics.jsonl",
        )?))
        .callback(timer)
        .options(options)
        .build()?;
    let history = trainer.fit(&train, Some(&test))?;

    let times = times.lock().map(|t| t.clone()).unwrap_or_default();
    let mut train_secs: Vec<f64> = times.iter().map(|t| t.train).collect();
    train_secs.sort_by(f64::total_cmp);
    let accuracy = history
        .metric("valid_accuracy")
        .last()
        .copied()
        .ok_or("no validation was recorded")?;
    println!(
        "median training epoch {:.2} s ({} steps of {BATCH}); final test accuracy {accuracy:.4}; log in runs/mnist/metrics.jsonl",
        train_secs
            .get(train_secs.len() / 2)
            .copied()
            .unwrap_or(f64::NAN),
        train.num_batches(0),
    );
    if accuracy < TARGET_ACCURACY {
        return Err(format!(
            "the final test accuracy {accuracy:.4} is below the {TARGET_ACCURACY} this example must reach"
        )
        .into());
    }
    Ok(())
}
