//! Data parallelism by hand over the `Collective` port: N ranks, each with batch B from its shard
//! of the epoch, gradients summed with `all_reduce_sum` and divided by N, reproduce one process
//! with batch N·B: each step's loss and the final weights to 1e-6 relative, and the ranks'
//! parameters are bitwise equal after every step.

use minitrainer::data::{Batch, DataLoader, Dataset, Digits, RandomSampler, Sampler, Targets};
use minitrainer::distributed::{Collective, MpiCollective};
use minitrainer::nn::loss::{CrossEntropyLossConfig, cross_entropy};
use minitrainer::optim::{Optimizer, Sgd, SgdConfig};
use minitrainer::prelude::*;

use super::checks::same_bits_everywhere;

/// Per-rank batch.
const B: usize = 16;
/// Optimizer steps compared.
const STEPS: usize = 12;
/// Relative tolerance of losses and weights.
const TOLERANCE: f64 = 1e-6;

/// Config of [`Mlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MlpConfig {
    #[config(default = 32, min = 1)]
    pub hidden: usize,
}

/// 64 → 32 → 10 with a ReLU.
#[derive(Module)]
#[model(name = "mpi_check_mlp", config = MlpConfig)]
pub struct Mlp {
    hidden: Linear,
    out: Linear,
}

impl Build for Mlp {
    type Config = MlpConfig;
    fn build(config: &MlpConfig, init: &mut Init) -> Self {
        Mlp {
            hidden: Linear::build(&LinearConfig::new(64, config.hidden), init),
            out: Linear::build(&LinearConfig::new(config.hidden, 10), init),
        }
    }
}

impl Forward for Mlp {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(self.hidden.call(x).relu())
    }
}

fn model(seed: u64) -> Configured<Mlp> {
    Mlp::from_config(MlpConfig::default(), &mut Init::seeded(seed)).expect("valid config")
}

fn sgd() -> SgdConfig {
    SgdConfig {
        lr: 0.1,
        momentum: 0.9,
        ..SgdConfig::default()
    }
}

/// The first `STEPS` batches of `batch` samples drawn by `sampler` from digits' train split.
fn batches(sampler: impl Sampler + 'static, batch: usize) -> Result<Vec<Batch>, String> {
    let loader = DataLoader::builder(Digits::train_test().0)
        .batch_size(batch)
        .sampler(sampler)
        .build()
        .map_err(|e| e.to_string())?;
    loader
        .iter()
        .take(STEPS)
        .map(|b| b.map_err(|e| e.to_string()))
        .collect()
}

/// Forward, mean cross-entropy, backward: the loss.
fn forward_backward(model: &Configured<Mlp>, batch: &Batch) -> Result<f32, String> {
    let Targets::Classes(labels) = &batch.targets else {
        return Err("digits have class labels".to_owned());
    };
    let logits = model.call(batch.inputs.clone());
    let loss = cross_entropy(&logits, labels.clone(), &CrossEntropyLossConfig::default())
        .map_err(|e| e.to_string())?;
    loss.backward();
    Ok(loss.item())
}

fn parameters(model: &Configured<Mlp>) -> Vec<f32> {
    model
        .named_parameters()
        .iter()
        .flat_map(|(_, p)| p.tensor().to_vec())
        .collect()
}

/// Every rank runs the one-process reference itself and the data-parallel run with the group.
pub fn run(world: &MpiCollective) -> Result<(), String> {
    let n = world.world_size();
    let len = Digits::train_test().0.len();
    let order = || RandomSampler::new(len, 7);

    // The reference: one process, batch N·B.
    let reference = model(100);
    let mut reference_opt = Sgd::new(&reference, sgd()).map_err(|e| e.to_string())?;
    let mut reference_losses = Vec::new();
    for batch in batches(order(), n * B)? {
        reference_losses.push(forward_backward(&reference, &batch)?);
        reference_opt.step();
        reference_opt.zero_grad();
    }

    // Data parallel: each rank starts from its own weights; rank 0's are broadcast.
    let ranked = model(100 + world.rank() as u64);
    for (_, param) in ranked.named_parameters() {
        let mut values = param.tensor().to_vec();
        world.broadcast(&mut values, 0).map_err(|e| e.to_string())?;
        param
            .tensor()
            .update_data(|d| d.iter_mut().zip(&values).for_each(|(d, v)| *d = *v));
    }
    if parameters(&ranked) != parameters(&model(100)) {
        return Err("after the broadcast, a rank does not hold rank 0's weights".to_owned());
    }
    let shard = order().shard(world.rank(), n).map_err(|e| e.to_string())?;
    let mut optimizer = Sgd::new(&ranked, sgd()).map_err(|e| e.to_string())?;
    let mut worst_loss = 0f64;
    for (step, batch) in batches(shard, B)?.iter().enumerate() {
        let local = forward_backward(&ranked, batch)?;
        average_gradients(&ranked, world)?;
        optimizer.step();
        optimizer.zero_grad();
        let mut loss = [local];
        world.all_reduce_sum(&mut loss).map_err(|e| e.to_string())?;
        let loss = f64::from(loss[0]) / n as f64;
        let want = f64::from(reference_losses[step]);
        worst_loss = worst_loss.max((loss - want).abs() / want.abs());
        if (loss - want).abs() > TOLERANCE * want.abs() {
            return Err(format!(
                "step {step}: loss {loss} on {n} ranks, {want} in one process"
            ));
        }
        same_bits_everywhere(
            world,
            &parameters(&ranked),
            &format!("parameters after step {step}"),
        )?;
    }
    let worst_weight = compare_weights(&ranked, &reference)?;
    if world.is_main() {
        println!(
            "data parallel on {n} ranks = one process with batch {}: {STEPS} steps, losses within \
             {worst_loss:.1e} relative, weights within {worst_weight:.1e} (of each tensor's largest)",
            n * B
        );
    }
    Ok(())
}

/// Every gradient replaced by its mean over the ranks, all in one buffer.
fn average_gradients(model: &Configured<Mlp>, world: &dyn Collective) -> Result<(), String> {
    let params = model.named_parameters();
    let mut flat: Vec<f32> = Vec::new();
    for (name, param) in &params {
        param.tensor().with_grad(|grad| match grad {
            Some(grad) => {
                flat.extend(grad.iter());
                Ok(())
            }
            None => Err(format!("{name} has no gradient")),
        })?;
    }
    world.all_reduce_sum(&mut flat).map_err(|e| e.to_string())?;
    let n = world.world_size() as f32;
    let mut rest = &flat[..];
    for (_, param) in &params {
        let (mine, tail) = rest.split_at(param.tensor().numel());
        rest = tail;
        param
            .tensor()
            .update_grad(|g| g.iter_mut().zip(mine).for_each(|(g, s)| *g = s / n));
    }
    Ok(())
}

/// Each weight within `TOLERANCE` of the reference, relative to the largest weight of its
/// tensor; the worst such relative difference.
fn compare_weights(got: &Configured<Mlp>, want: &Configured<Mlp>) -> Result<f64, String> {
    let mut worst_relative = 0f64;
    for ((name, a), (_, b)) in got
        .named_parameters()
        .iter()
        .zip(want.named_parameters().iter())
    {
        let (a, b) = (a.tensor().to_vec(), b.tensor().to_vec());
        let scale = b.iter().fold(0f64, |m, v| m.max(f64::from(v.abs())));
        let worst = a
            .iter()
            .zip(&b)
            .fold(0f64, |m, (x, y)| m.max(f64::from((x - y).abs())));
        worst_relative = worst_relative.max(worst / scale);
        if worst > TOLERANCE * scale {
            return Err(format!(
                "{name}: weights differ from one process by {worst:e} (scale {scale:e})"
            ));
        }
    }
    Ok(worst_relative)
}
