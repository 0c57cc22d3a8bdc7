//! Data-parallel throughput on MPI ranks: the W2 workload of BENCHMARKS.md (the 784-1024-1024-10
//! MLP, cross-entropy, SGD lr 0.01) at a global batch of 256, trained through the `Trainer` and a
//! sharded `DataLoader` over synthetic data, on however many ranks `mpiexec` starts.
//!
//! ```sh
//! cargo build --release --features mpi --example ddp_throughput
//! MINITRAINER_NUM_THREADS=1 mpiexec -n 1 target/release/examples/ddp_throughput
//! MINITRAINER_NUM_THREADS=1 mpiexec -n 2 target/release/examples/ddp_throughput
//! ```
//!
//! One warm-up epoch, then `EPOCHS` timed epochs of `STEPS` global steps; rank 0 prints the
//! global steps per second. Each rank computes 256 / world_size rows of every step.

use std::error::Error;
use std::time::Instant;

use minitrainer::data::{DataLoader, RandomSampler, Sampler, TensorDataset};
use minitrainer::distributed::{Collective, MpiCollective};
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::optimizer_from_str;
use minitrainer::prelude::*;
use minitrainer::train::Trainer;

const GLOBAL_BATCH: usize = 256;
const STEPS: usize = 10;
const EPOCHS: u64 = 3;

/// Config of [`W2Mlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct W2Config {
    /// Width of both hidden layers.
    #[config(default = 1024, min = 1)]
    pub hidden: usize,
}

/// 784 → hidden → hidden → 10 with ReLUs: W2's model.
#[derive(Module)]
#[model(name = "ddp_w2_mlp", config = W2Config)]
pub struct W2Mlp {
    l1: Linear,
    l2: Linear,
    l3: Linear,
}

impl Build for W2Mlp {
    type Config = W2Config;

    fn build(config: &W2Config, init: &mut Init) -> Self {
        W2Mlp {
            l1: Linear::build(&LinearConfig::new(784, config.hidden), init),
            l2: Linear::build(&LinearConfig::new(config.hidden, config.hidden), init),
            l3: Linear::build(&LinearConfig::new(config.hidden, 10), init),
        }
    }
}

impl Forward for W2Mlp {
    type Output = Tensor;

    fn forward(&self, x: Tensor) -> Tensor {
        self.l3.call(self.l2.call(self.l1.call(x).relu()).relu())
    }
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        MpiCollective::abort(1);
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let world = MpiCollective::new()?;
    let (rank, size) = (world.rank(), world.world_size());
    if !GLOBAL_BATCH.is_multiple_of(size) {
        return Err(
            format!("{size} ranks do not divide the global batch of {GLOBAL_BATCH}").into(),
        );
    }
    let rows = GLOBAL_BATCH * STEPS;
    let features = Tensor::randn(&[rows, 784], 0.0, 1.0, &mut seeded_rng(0))
        .data()
        .clone();
    let labels = (0..rows).map(|i| (i * 7) % 10).collect();
    let set = TensorDataset::classification(features, labels)?;
    let sampler = RandomSampler::new(rows, 0).shard(rank, size)?;
    let loader = DataLoader::builder(set)
        .batch_size(GLOBAL_BATCH / size)
        .sampler(sampler)
        .build()?;
    let model = W2Mlp::from_config_str("ddp_w2_mlp")?;
    let optimizer = optimizer_from_str("sgd(lr=0.01)", &model)?;
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .distributed(world)
        .epochs(1)
        .build()?;
    trainer.fit(&loader, None)?;
    trainer.options_mut().epochs = 1 + EPOCHS;
    let start = Instant::now();
    let history = trainer.fit(&loader, None)?;
    let seconds = start.elapsed().as_secs_f64();
    if rank == 0 {
        let steps = STEPS as f64 * EPOCHS as f64;
        let last = (history.epochs.last()).and_then(|e| e.get("train_loss"));
        let last = last.unwrap_or(f64::NAN);
        println!(
            "{size} rank(s) x {} thread(s), global batch {GLOBAL_BATCH}: {:.2} steps/s \
             ({steps} steps in {seconds:.2} s; last epoch's loss {last:.4})",
            minitrainer::num_threads(),
            steps / seconds,
        );
    }
    Ok(())
}
