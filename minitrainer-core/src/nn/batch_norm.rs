//! `BatchNorm1d`, PyTorch's `nn.BatchNorm1d`: batch statistics in training mode (updating
//! running statistics), running statistics in evaluation mode.

use ndarray::Axis;

use super::leaf_module;
use crate::build::initializers::{self, filled};
use crate::build::{Build, Init};
use crate::config::{CheckError, check_tensor_size};
use crate::module::{Buffer, Forward, Param};
use crate::tensor::{Tensor, no_grad};
use minitrainer_macros::Config;

/// Batch normalisation over the channel axis.
///
/// Training: normalises with the batch mean and biased variance, and updates
/// `running = (1 - momentum) · running + momentum · batch` using the *unbiased* variance, as
/// PyTorch does. Evaluation: normalises with the running statistics.
///
/// # Shapes
/// - input `[N, C]` or `[N, C, L]`
/// - output: the input's shape
pub struct BatchNorm1d {
    /// `[C]`, initialised to ones.
    pub weight: Param,
    /// `[C]`, initialised to zeros.
    pub bias: Param,
    /// `[C]`, starts at zeros.
    pub running_mean: Buffer,
    /// `[C]`, starts at ones.
    pub running_var: Buffer,
    /// `[]`, batches seen in training mode (PyTorch keeps it as an integer; here `f32`).
    pub num_batches_tracked: Buffer,
    eps: f32,
    momentum: f32,
    training: bool,
}

impl BatchNorm1d {
    /// Batch norm over `num_features` channels, with PyTorch's `eps = 1e-5`, `momentum = 0.1`.
    ///
    /// # Panics
    /// When `num_features` elements can't be allocated.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config: `BatchNorm1d::build(&BatchNorm1dConfig::new(c), &mut init)`"
    )]
    pub fn new(num_features: usize) -> Self {
        BatchNorm1d::build(&BatchNorm1dConfig::new(num_features), &mut Init::default())
    }

    /// The same with another momentum.
    #[deprecated(
        since = "0.2.0",
        note = "set it in the config: `BatchNorm1dConfig { momentum, ..BatchNorm1dConfig::new(c) }`"
    )]
    pub fn with_momentum(mut self, momentum: f32) -> Self {
        self.momentum = momentum;
        self
    }

    fn num_features(&self) -> usize {
        self.weight.numel()
    }

    fn describe(&self) -> String {
        format!(
            "{}, eps={:e}, momentum={:?}, affine=true, track_running_stats=true",
            self.num_features(),
            self.eps,
            self.momentum
        )
    }

    fn update_running_stats(&self, mean: &Tensor, var: &Tensor, count: usize) {
        let _guard = no_grad();
        let m = self.momentum;
        let unbiased = count as f32 / (count as f32 - 1.0);
        let mean = mean
            .to_array()
            .into_shape_with_order(vec![self.num_features()]);
        let var = var
            .to_array()
            .into_shape_with_order(vec![self.num_features()]);
        let (Ok(mean), Ok(var)) = (mean, var) else {
            panic!("minitrainer internal error: BatchNorm1d statistics of the wrong size");
        };
        self.running_mean
            .update(|rm| rm.zip_mut_with(&mean, |r, &b| *r = (1.0 - m) * *r + m * b));
        self.running_var
            .update(|rv| rv.zip_mut_with(&var, |r, &b| *r = (1.0 - m) * *r + m * b * unbiased));
        self.num_batches_tracked
            .update(|n| n.mapv_inplace(|n| n + 1.0));
    }
}

leaf_module!(BatchNorm1d {
    params: [weight, bias],
    buffers: [running_mean, running_var, num_batches_tracked]
});

impl Forward for BatchNorm1d {
    type Output = Tensor;

    /// # Panics
    /// When the input is not `[N, C]` or `[N, C, L]` with `C = num_features`, or in training
    /// mode with a single value per channel (no variance to estimate, as PyTorch refuses).
    /// The message names the layer (and its path inside a model's `call`) and the input's
    /// shape.
    fn forward(&self, input: Tensor) -> Tensor {
        let shape = input.shape().to_vec();
        let c = self.num_features();
        if !((shape.len() == 2 || shape.len() == 3) && shape[1] == c) {
            crate::module::input_mismatch(
                self,
                format_args!("input of shape [N, {c}] or [N, {c}, L]"),
                format_args!("{shape:?}"),
            );
        }
        // Channels last, flattened to rows: [N·L, C].
        let rows = match shape.len() {
            2 => input,
            _ => input.transpose(1, 2).reshape(&[shape[0] * shape[2], c]),
        };
        let count = rows.shape()[0];
        let (mean, var) = if self.training {
            if count <= 1 {
                crate::module::input_mismatch(
                    self,
                    "more than 1 value per channel in training mode",
                    format_args!("input of shape {shape:?}"),
                );
            }
            let mean = rows.mean_axis(0, true);
            let var = rows.var_axis(0, true);
            self.update_running_stats(&mean, &var, count);
            (mean, var)
        } else {
            let as_row = |b: &Buffer| Tensor::from_array(b.to_array().insert_axis(Axis(0)));
            (as_row(&self.running_mean), as_row(&self.running_var))
        };
        let normalised = rows.sub(&mean).div(&var.add_scalar(self.eps).sqrt());
        let out = normalised.mul(&self.weight).add(&self.bias);
        match shape.len() {
            2 => out,
            _ => out.reshape(&[shape[0], shape[2], c]).transpose(1, 2),
        }
    }
}

/// Config of [`BatchNorm1d`] (`"batch_norm1d"`).
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = channels_fit)]
pub struct BatchNorm1dConfig {
    /// Number of features (channels).
    #[config(min = 1)]
    pub num_features: usize,
    /// Weight of the newest batch in the running statistics.
    #[config(default = 0.1, range = 0.0..=1.0)]
    pub momentum: f32,
    /// Added to the variance, for numerical stability.
    #[config(default = 1e-5, min = 0.0)]
    pub eps: f32,
}

impl BatchNorm1dConfig {
    /// Batch norm over `num_features` channels with PyTorch's `momentum = 0.1`, `eps = 1e-5`
    /// (`nn.BatchNorm1d(c)`).
    pub fn new(num_features: usize) -> Self {
        BatchNorm1dConfig {
            num_features,
            momentum: 0.1,
            eps: 1e-5,
        }
    }
}

/// The per-channel parameters and statistics `[num_features]` can be allocated.
fn channels_fit(config: &BatchNorm1dConfig) -> Result<(), CheckError> {
    check_tensor_size(&[("num_features", config.num_features)])
}

#[diagnostic::do_not_recommend]
impl Build for BatchNorm1d {
    type Config = BatchNorm1dConfig;
    /// Weight ones, bias zeros, running mean zeros, running variance ones (no randomness).
    fn build(config: &BatchNorm1dConfig, init: &mut Init) -> Self {
        let c = config.num_features;
        BatchNorm1d {
            weight: initializers::constant("batch_norm1d.weight", &[c], 1.0, init),
            bias: initializers::constant("batch_norm1d.bias", &[c], 0.0, init),
            running_mean: Buffer::new(filled("batch_norm1d.running_mean", &[c], init, |_| 0.0)),
            running_var: Buffer::new(filled("batch_norm1d.running_var", &[c], init, |_| 1.0)),
            num_batches_tracked: Buffer::new(ndarray::arr0(0.0f32)),
            eps: config.eps,
            momentum: config.momentum,
            training: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;
    use crate::nn::gradcheck::check_param_grads;
    use crate::tensor::seeded_rng;

    #[test]
    fn training_updates_running_stats_with_unbiased_variance() -> crate::Result<()> {
        let bn = BatchNorm1d::build(&BatchNorm1dConfig::new(2), &mut Init::default());
        // Channel 0: 1, 3, 5 (mean 3, biased var 8/3, unbiased 4); channel 1: 0, 0, 6
        // (mean 2, biased var 8, unbiased 12).
        let x = Tensor::from_vec(vec![1.0, 0.0, 3.0, 0.0, 5.0, 6.0], &[3, 2])?;
        let y = bn.forward(x).to_vec();
        assert!((y[0] - (1.0 - 3.0) / (8.0f32 / 3.0 + 1e-5).sqrt()).abs() < 1e-5);
        let rm = bn.running_mean.to_vec();
        let rv = bn.running_var.to_vec();
        assert!(
            (rm[0] - 0.3).abs() < 1e-6 && (rm[1] - 0.2).abs() < 1e-6,
            "{rm:?}"
        );
        assert!(
            (rv[0] - (0.9 + 0.4)).abs() < 1e-5 && (rv[1] - (0.9 + 1.2)).abs() < 1e-5,
            "{rv:?}"
        );
        assert_eq!(bn.num_batches_tracked.item(), 1.0);
        Ok(())
    }

    #[test]
    fn eval_uses_running_stats_and_leaves_them_alone() -> crate::Result<()> {
        let mut bn = BatchNorm1d::build(&BatchNorm1dConfig::new(2), &mut Init::default());
        bn.running_mean.update(|m| m.fill(1.0));
        bn.running_var.update(|v| v.fill(4.0));
        bn.eval();
        let y = bn
            .forward(Tensor::from_vec(vec![3.0, 1.0], &[1, 2])?)
            .to_vec();
        assert!((y[0] - 2.0 / (4.0f32 + 1e-5).sqrt()).abs() < 1e-6);
        assert!(y[1].abs() < 1e-6);
        assert_eq!(bn.running_mean.to_vec(), vec![1.0, 1.0]);
        assert_eq!(bn.num_batches_tracked.item(), 0.0);
        Ok(())
    }

    #[test]
    fn three_axis_input_normalises_over_batch_and_length() {
        let bn = BatchNorm1d::build(&BatchNorm1dConfig::new(3), &mut Init::default());
        let x = Tensor::randn(&[4, 3, 5], 2.0, 3.0, &mut seeded_rng(5));
        let y = bn.forward(x);
        assert_eq!(y.shape(), &[4, 3, 5]);
        let per_channel = y
            .transpose(1, 2)
            .reshape(&[20, 3])
            .mean_axis(0, false)
            .to_vec();
        assert!(
            per_channel.iter().all(|m| m.abs() < 1e-5),
            "{per_channel:?}"
        );
        let names: Vec<String> = bn.state_dict().keys().map(str::to_owned).collect();
        assert_eq!(
            names,
            [
                "weight",
                "bias",
                "running_mean",
                "running_var",
                "num_batches_tracked"
            ]
        );
    }

    #[test]
    fn gradients_match_finite_differences_in_both_modes() {
        let mut bn = BatchNorm1d::build(&BatchNorm1dConfig::new(2), &mut Init::default());
        bn.weight
            .update_data(|w| w.assign(&ndarray::arr1(&[0.7, -1.3]).into_dyn()));
        let x = Tensor::randn(&[5, 2], 0.0, 1.0, &mut seeded_rng(6));
        check_param_grads(&bn, |m| m.forward(x.clone()));
        bn.eval();
        check_param_grads(&bn, |m| m.forward(x.clone()));
    }
}
