//! The `Trainer` on MPI ranks (`TrainerBuilder::distributed`): N ranks with batch B reproduce one
//! process with batch N·B — each step's loss and the final weights to 1e-6 relative — and the
//! ranks' parameters are bitwise equal after every step (tests/it/train/distributed through MPI).

use std::sync::{Arc, Mutex};

use minitrainer::data::{DataLoader, Dataset, Digits, RandomSampler, Sampler};
use minitrainer::distributed::{Collective, MpiCollective};
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::optimizer_from_str;
use minitrainer::prelude::*;
use minitrainer::train::{Callback, HookResult, StepRecord, TrainContext, Trainer};

use super::checks::same_bits_everywhere;
use super::equivalence::{Mlp, MlpConfig};

/// Per-rank batch.
const B: usize = 16;
/// Relative tolerance of losses and weights.
const TOLERANCE: f64 = 1e-6;

/// A step's loss and the parameters after it.
type Step = (f64, Vec<f32>);

/// Every step's loss and parameters.
#[derive(Clone, Default)]
struct Snapshots(Arc<Mutex<Vec<Step>>>);

impl Callback for Snapshots {
    fn name(&self) -> &str {
        "snapshots"
    }
    fn on_batch_end(&mut self, ctx: &mut TrainContext<'_>, step: &StepRecord) -> HookResult {
        let weights = ctx
            .model
            .parameters()
            .iter()
            .flat_map(|p| p.tensor().to_vec())
            .collect();
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((step.loss, weights));
        Ok(())
    }
}

/// One epoch of Adam over digits: each step's loss and weights, with `group` if given.
fn fit(
    group: Option<Arc<MpiCollective>>,
    rank: usize,
    world_size: usize,
    batch: usize,
) -> Result<Vec<Step>, String> {
    let model = Mlp::from_config(MlpConfig::default(), &mut Init::seeded(1 + rank as u64))
        .map_err(|e| e.to_string())?;
    let optimizer = optimizer_from_str("adam(lr=0.01)", &model).map_err(|e| e.to_string())?;
    let (train, _) = Digits::train_test();
    let sampler = RandomSampler::new(train.len(), 7)
        .shard(rank, world_size)
        .map_err(|e| e.to_string())?;
    let loader = DataLoader::builder(train)
        .batch_size(batch)
        .sampler(sampler)
        .drop_last(true)
        .build()
        .map_err(|e| e.to_string())?;
    let snapshots = Snapshots::default();
    let mut builder = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .callback(snapshots.clone())
        .epochs(1);
    if let Some(group) = group {
        builder = builder.distributed(group).bucket_bytes(1024); // several buckets
    }
    let mut trainer = builder.build().map_err(|e| e.to_string())?;
    trainer.fit(&loader, None).map_err(|e| e.to_string())?;
    let steps = std::mem::take(&mut *snapshots.0.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(steps)
}

/// Every rank trains the one-process reference (its rank-0 weights) and its data-parallel share.
pub fn run(world: &Arc<MpiCollective>) -> Result<(), String> {
    let n = world.world_size();
    let single = fit(None, 0, 1, n * B)?;
    let ranks = fit(Some(Arc::clone(world)), world.rank(), n, B)?;
    if single.len() != ranks.len() || single.is_empty() {
        return Err(format!(
            "{} steps in one process, {} on {n} ranks",
            single.len(),
            ranks.len()
        ));
    }
    let mut all_steps = Vec::new();
    for (step, ((a, _), (b, weights))) in single.iter().zip(&ranks).enumerate() {
        if (a - b).abs() > TOLERANCE * a.abs() {
            return Err(format!(
                "Trainer step {}: loss {b} on {n} ranks, {a} in one process",
                step + 1
            ));
        }
        all_steps.extend_from_slice(weights);
    }
    same_bits_everywhere(
        world,
        &all_steps,
        "the Trainer's parameters after every step",
    )?;
    let (last_single, last_ranks) = (&single[single.len() - 1].1, &ranks[ranks.len() - 1].1);
    let diff: f64 = last_single
        .iter()
        .zip(last_ranks)
        .map(|(a, b)| f64::from(a - b).powi(2))
        .sum::<f64>()
        .sqrt();
    let norm: f64 = last_single
        .iter()
        .map(|a| f64::from(*a).powi(2))
        .sum::<f64>()
        .sqrt();
    if diff > TOLERANCE * norm {
        return Err(format!(
            "Trainer: final weights differ by {:.1e} relative",
            diff / norm
        ));
    }
    if world.is_main() {
        println!(
            "Trainer on {n} ranks × batch {B} = one process × batch {}: {} steps, weights within \
             {:.1e} relative, bitwise equal on every rank after every step",
            n * B,
            single.len(),
            diff / norm
        );
    }
    Ok(())
}
