//! DistributedDataParallel's two moves over any [`Collective`]: the same starting weights on
//! every rank, and gradients averaged in buckets after each backward.

use super::{Collective, DistributedError};
use crate::module::{Module, Param};
use crate::tensor::Tensor;

/// The default size of a gradient bucket: 25 MiB, PyTorch DDP's `bucket_cap_mb`.
pub const DEFAULT_BUCKET_BYTES: usize = 25 * 1024 * 1024;

/// Copies rank 0's parameters and buffers (sorted by name, so the order is the same on every
/// rank) into every rank's `model`, one tensor at a time.
///
/// # Errors
/// A [`DistributedError`] of the group (a peer left, the models' sizes differ).
///
/// # Examples
/// ```
/// use minitrainer_core::distributed::{SingleProcess, broadcast_parameters};
/// let model = minitrainer_core::registry::load("linear(in_features=4, out_features=2)")?;
/// broadcast_parameters(&model, &SingleProcess)?; // a group of one: nothing moves
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn broadcast_parameters(
    model: &dyn Module,
    group: &dyn Collective,
) -> Result<(), DistributedError> {
    if group.world_size() == 1 {
        return Ok(());
    }
    let mut tensors: Vec<(String, Tensor)> = model
        .named_parameters()
        .into_iter()
        .map(|(name, param)| (name, param.tensor().clone()))
        .chain(
            model
                .named_buffers()
                .into_iter()
                .map(|(name, buffer)| (name, buffer.tensor().clone())),
        )
        .collect();
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    // The count first: a model with another number of tensors fails here, not out of step.
    let mut count = [tensors.len() as f32];
    group.broadcast(&mut count, 0)?;
    if count[0] != tensors.len() as f32 {
        return Err(DistributedError::LengthMismatch {
            operation: "broadcast_parameters",
            rank: group.rank(),
            len: tensors.len(),
            expected: count[0] as usize,
        });
    }
    for (_, tensor) in &tensors {
        let mut values = tensor.to_vec();
        group.broadcast(&mut values, 0)?;
        tensor.update_data(|data| {
            data.iter_mut().zip(&values).for_each(|(d, v)| *d = *v);
        });
    }
    Ok(())
}

/// Replaces every parameter's gradient with its mean over the ranks, in place.
///
/// The gradients are packed, in `params`' order (the same on every rank), into buckets of
/// about `bucket_bytes` (a parameter larger than that gets a bucket of its own), and each
/// bucket is summed with one [`Collective::all_reduce_sum`] and divided by the world size.
///
/// A parameter without a gradient on some rank (a branch its batch did not use) counts as
/// zeros there, so the buckets never go out of step: each bucket carries one flag per
/// parameter, and a parameter keeps no gradient only when no rank had one (the optimizer then
/// skips it on every rank, as it would in one process).
///
/// With one rank nothing is copied or changed. [`GradientBuckets`] does the same and keeps its
/// buffer from one step to the next.
///
/// # Errors
/// A [`DistributedError`] of the group (a peer left, the models' sizes differ).
pub fn average_gradients(
    params: &[Param],
    group: &dyn Collective,
    bucket_bytes: usize,
) -> Result<(), DistributedError> {
    GradientBuckets::new(bucket_bytes).average(params, group)
}

/// [`average_gradients`] with a buffer kept between steps (no allocation per step).
#[derive(Clone, Debug)]
pub struct GradientBuckets {
    bytes: usize,
    buffer: Vec<f32>,
}

impl Default for GradientBuckets {
    fn default() -> Self {
        GradientBuckets::new(DEFAULT_BUCKET_BYTES)
    }
}

impl GradientBuckets {
    /// Buckets of about `bytes` bytes.
    pub fn new(bytes: usize) -> Self {
        GradientBuckets {
            bytes,
            buffer: Vec::new(),
        }
    }

    /// The bucket size in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Averages `params`' gradients over `group`'s ranks, as [`average_gradients`].
    ///
    /// # Errors
    /// A [`DistributedError`] of the group (a peer left, the models' sizes differ).
    pub fn average(
        &mut self,
        params: &[Param],
        group: &dyn Collective,
    ) -> Result<(), DistributedError> {
        if group.world_size() == 1 {
            return Ok(());
        }
        let cap = (self.bytes / std::mem::size_of::<f32>()).max(1);
        let mut start = 0;
        while start < params.len() {
            let mut end = start + 1;
            let mut len = params[start].tensor().numel();
            while end < params.len() && len + params[end].tensor().numel() <= cap {
                len += params[end].tensor().numel();
                end += 1;
            }
            reduce_bucket(&params[start..end], group, &mut self.buffer)?;
            start = end;
        }
        Ok(())
    }
}

/// One bucket: the gradients (zeros for a missing one), then a has-gradient flag per
/// parameter; summed, divided by the world size, and written back.
fn reduce_bucket(
    params: &[Param],
    group: &dyn Collective,
    buffer: &mut Vec<f32>,
) -> Result<(), DistributedError> {
    buffer.clear();
    let mut flags = Vec::with_capacity(params.len());
    for param in params {
        let tensor = param.tensor();
        let had = tensor.with_grad(|grad| match grad {
            Some(grad) => {
                buffer.extend(grad.iter());
                true
            }
            None => {
                buffer.extend(std::iter::repeat_n(0.0, tensor.numel()));
                false
            }
        });
        flags.push(if had { 1.0 } else { 0.0 });
    }
    let values = buffer.len();
    buffer.extend(&flags);
    group.all_reduce_sum(buffer)?;
    let world_size = group.world_size() as f32;
    let (mut grads, flags) = buffer.split_at(values);
    for (param, flag) in params.iter().zip(flags) {
        let tensor = param.tensor();
        let (mine, rest) = grads.split_at(tensor.numel());
        grads = rest;
        if *flag == 0.0 {
            continue; // no rank had a gradient: none anywhere
        }
        let mean = |g: &mut ndarray::ArrayD<f32>| {
            g.iter_mut()
                .zip(mine)
                .for_each(|(g, s)| *g = s / world_size);
        };
        if !tensor.update_grad(mean) {
            let mut grad = ndarray::ArrayD::zeros(tensor.shape());
            mean(&mut grad);
            tensor.accumulate_grad(grad);
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "data_parallel_tests.rs"]
mod tests;
