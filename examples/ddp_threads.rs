//! Data-parallel training (PyTorch's DistributedDataParallel) on two in-process ranks: the same
//! 64 → 128 → 10 MLP on every rank, each rank reading its own half of every shuffled epoch,
//! gradients averaged between the ranks after each backward. The MPI version is the same
//! program with an MPI rank in place of the thread rank, launched by `mpiexec -n 2`.
//!
//! ```sh
//! cargo run --release --example ddp_threads
//! ```
//!
//! Each rank initialises its own weights from another seed; `fit` starts by copying rank 0's,
//! and the ranks' weights stay bitwise equal from then on (checked at the end). Rank 0 prints
//! the epochs; the example fails (exit code 1) below 95% test accuracy.

use std::error::Error;

use minitrainer::data::{DataLoader, Dataset, DatasetExt, Digits, RandomSampler, Sampler};
use minitrainer::distributed::{Collective, ThreadGroup, ThreadRank};
use minitrainer::metrics::metric_from_str;
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::{Adam, AdamConfig};
use minitrainer::prelude::*;
use minitrainer::train::{History, Trainer};

type BoxError = Box<dyn Error + Send + Sync>;

/// Config of [`DigitsMlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct DigitsMlpConfig {
    /// Width of the hidden layer.
    #[config(default = 128, min = 1)]
    pub hidden: usize,
}

/// Two linear layers with a ReLU between them.
#[derive(Module)]
#[model(name = "ddp_digits_mlp", config = DigitsMlpConfig)]
pub struct DigitsMlp {
    hidden: Linear,
    out: Linear,
}

impl Build for DigitsMlp {
    type Config = DigitsMlpConfig;

    fn build(config: &DigitsMlpConfig, init: &mut Init) -> Self {
        DigitsMlp {
            hidden: Linear::build(&LinearConfig::new(64, config.hidden), init),
            out: Linear::build(&LinearConfig::new(config.hidden, 10), init),
        }
    }
}

impl Forward for DigitsMlp {
    type Output = Tensor;

    /// `[batch, 64]` → `[batch, 10]` logits.
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(self.hidden.call(x).relu())
    }
}

/// Global batch 32: 16 rows on each of 2 ranks.
const WORLD_SIZE: usize = 2;
const BATCH_PER_RANK: usize = 16;
const EPOCHS: u64 = 20;

/// One rank's run: the history and its final weights' bits.
fn train_rank(group: ThreadRank) -> Result<(History, Vec<u32>), BoxError> {
    let (rank, world_size) = (group.rank(), group.world_size());
    let model = DigitsMlp::from_config(DigitsMlpConfig::default(), &mut Init::seeded(rank as u64))?;

    // The same seeded split and epoch order on every rank; each rank keeps its share of it.
    let (train, test) = Digits::load().random_split(0.8, 0)?;
    let sampler = RandomSampler::new(train.len(), 0).shard(rank, world_size)?;
    let train = DataLoader::builder(train)
        .batch_size(BATCH_PER_RANK)
        .sampler(sampler)
        .build()?;
    // Every rank validates on the whole test split: the same metrics everywhere.
    let test = DataLoader::builder(test).batch_size(256).build()?;

    let optimizer = Adam::new(&model, AdamConfig::default())?;
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(metric_from_str("accuracy")?)
        .epochs(EPOCHS)
        .distributed(group)
        .build()?;
    let history = trainer.fit(&train, Some(&test))?;
    if trainer.is_main() {
        for record in history.epochs.iter().filter(|r| r.epoch % 5 == 0) {
            println!(
                "epoch {:2}  train loss {:.4}  test loss {:.4}  test accuracy {:.4}",
                record.epoch,
                record.get("train_loss").unwrap_or(f64::NAN),
                record.get("valid_loss").unwrap_or(f64::NAN),
                record.get("valid_accuracy").unwrap_or(f64::NAN),
            );
        }
    }
    let bits = trainer
        .model()
        .parameters()
        .iter()
        .flat_map(|p| p.tensor().to_vec())
        .map(f32::to_bits)
        .collect();
    Ok((history, bits))
}

fn main() -> Result<(), BoxError> {
    let started = std::time::Instant::now();
    let results: Vec<Result<(History, Vec<u32>), BoxError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ThreadGroup::new(WORLD_SIZE)
            .into_iter()
            .map(|group| scope.spawn(move || train_rank(group)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err("a rank panicked".into()))
            })
            .collect()
    });
    let mut runs = Vec::new();
    for (rank, result) in results.into_iter().enumerate() {
        runs.push(result.map_err(|e| format!("rank {rank}: {e}"))?);
    }
    if runs.iter().any(|(_, bits)| *bits != runs[0].1) {
        return Err("the ranks' weights differ".into());
    }
    let accuracy = runs[0]
        .0
        .metric("valid_accuracy")
        .last()
        .copied()
        .unwrap_or(0.0);
    println!(
        "{WORLD_SIZE} ranks × batch {BATCH_PER_RANK}: test accuracy {accuracy:.4}, weights equal on every rank ({:.1}s)",
        started.elapsed().as_secs_f64()
    );
    if accuracy < 0.95 {
        return Err(format!("test accuracy {accuracy:.4} is below 0.95").into());
    }
    Ok(())
}
