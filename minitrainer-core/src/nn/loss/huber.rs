//! Huber loss, PyTorch's `F.huber_loss` / `nn.HuberLoss`: quadratic near zero, linear with
//! slope `delta` beyond it.

use super::pointwise::pointwise;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::PointwiseLoss;
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Config of [`HuberLoss`] and [`huber_loss`] (`"huber_loss"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct HuberLossConfig {
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
    /// δ: where the loss turns from quadratic to linear; positive, as PyTorch requires.
    #[config(default = 1.0, validate = positive)]
    pub delta: f32,
}

/// δ > 0 (PyTorch refuses other values too).
fn positive(delta: &f32) -> Result<(), String> {
    if *delta > 0.0 {
        Ok(())
    } else {
        Err("must be positive".to_owned())
    }
}

/// Huber loss of `d = x - y` per element, reduced: `d²/2` where `|d| ≤ δ`, else
/// `δ(|d| - δ/2)` (PyTorch's `F.huber_loss`; smooth L1 times δ, with β = δ). The gradient is
/// `d` inside, `δ·sign d` outside.
///
/// # Shapes
/// `prediction` and `target` of the same shape; a scalar, or that shape for
/// [`Reduction::None`].
///
/// # Errors
/// [`LossError::ShapeMismatch`] when the shapes differ; [`LossError::Config`] for a `delta`
/// that is not positive.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::Tensor;
/// use minitrainer::nn::loss::{HuberLossConfig, huber_loss};
/// let x = Tensor::from_vec(vec![0.5, 3.0], &[2])?;
/// let y = Tensor::zeros(&[2]);
/// let loss = huber_loss(&x, &y, &HuberLossConfig { delta: 2.0, ..Default::default() })?;
/// assert_eq!(loss.item(), (0.125 + 4.0) / 2.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn huber_loss(
    prediction: &Tensor,
    target: &Tensor,
    config: &HuberLossConfig,
) -> Result<Tensor, LossError> {
    config.validate()?;
    let loss = PointwiseLoss::Huber {
        delta: config.delta,
    };
    pointwise("huber_loss", prediction, target, loss, config.reduction)
}

loss_module!(
    /// Huber loss, PyTorch's `nn.HuberLoss`: see [`huber_loss`].
    HuberLoss(HuberLossConfig)
);

impl HuberLoss {
    /// [`huber_loss`] with this loss's config.
    ///
    /// # Errors
    /// As [`huber_loss`].
    pub fn forward(&self, prediction: &Tensor, target: &Tensor) -> Result<Tensor, LossError> {
        huber_loss(prediction, target, &self.config)
    }
}
