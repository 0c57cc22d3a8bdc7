//! Data-parallel training (PyTorch's DistributedDataParallel) on MPI ranks: `examples/ddp_threads.rs`
//! with one process per rank, on one machine or several. Needs MPICH (Debian: `apt-get install
//! mpich libmpich-dev libclang-dev pkgconf`).
//!
//! ```sh
//! cargo build --release --features mpi --example ddp_mpi
//! mpiexec -n 2 target/release/examples/ddp_mpi
//! ```
//!
//! Every rank builds the same model (from its own seed: `fit` starts by copying rank 0's
//! weights), reads its share of each shuffled epoch (`Sampler::shard`) in batches of 16 (global
//! batch 32 on 2 ranks), and validates on the whole test split. Rank 0 prints. An error on one
//! rank ends every rank (`MpiCollective::abort`). The example fails below 95% test accuracy.

use std::error::Error;

use minitrainer::data::{DataLoader, Dataset, DatasetExt, Digits, RandomSampler, Sampler};
use minitrainer::distributed::{Collective, MpiCollective};
use minitrainer::metrics::metric_from_str;
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::{Adam, AdamConfig};
use minitrainer::prelude::*;
use minitrainer::train::Trainer;

/// Config of [`DigitsMlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct DigitsMlpConfig {
    /// Width of the hidden layer.
    #[config(default = 128, min = 1)]
    pub hidden: usize,
}

/// Two linear layers with a ReLU between them.
#[derive(Module)]
#[model(name = "ddp_mpi_digits_mlp", config = DigitsMlpConfig)]
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

const BATCH_PER_RANK: usize = 16;
const EPOCHS: u64 = 20;

fn train(world: MpiCollective) -> Result<(), Box<dyn Error>> {
    let (rank, world_size) = (world.rank(), world.world_size());
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
    let started = std::time::Instant::now();
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(metric_from_str("accuracy")?)
        .epochs(EPOCHS)
        .distributed(world)
        .build()?;
    let history = trainer.fit(&train, Some(&test))?;
    let accuracy = history
        .metric("valid_accuracy")
        .last()
        .copied()
        .unwrap_or(0.0);
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
        println!(
            "{world_size} ranks × batch {BATCH_PER_RANK}: test accuracy {accuracy:.4} ({:.1}s)",
            started.elapsed().as_secs_f64()
        );
    }
    if accuracy < 0.95 {
        return Err(format!("test accuracy {accuracy:.4} is below 0.95").into());
    }
    Ok(())
}

fn main() {
    let result = MpiCollective::new().map_err(Into::into).and_then(train);
    if let Err(e) = result {
        eprintln!("error: {e}");
        // Ends the other ranks too, wherever they wait.
        MpiCollective::abort(1);
    }
}
