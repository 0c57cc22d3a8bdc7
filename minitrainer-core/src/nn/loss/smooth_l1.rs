//! Smooth L1, PyTorch's `F.smooth_l1_loss` / `nn.SmoothL1Loss`: quadratic near zero, linear
//! beyond `beta`.

use super::pointwise::pointwise;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::PointwiseLoss;
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Config of [`SmoothL1Loss`] and [`smooth_l1_loss`] (`"smooth_l1_loss"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct SmoothL1LossConfig {
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
    /// β: where the loss turns from quadratic to linear; 0 gives L1.
    #[config(default = 1.0, min = 0.0)]
    pub beta: f32,
}

/// Smooth L1 of `d = x - y` per element, reduced: `d²/(2β)` where `|d| < β`, else
/// `|d| - β/2` (PyTorch's `F.smooth_l1_loss`; `|d|` for `β = 0`). The gradient is `d/β`
/// inside, `sign d` outside.
///
/// # Shapes
/// `prediction` and `target` of the same shape; a scalar, or that shape for
/// [`Reduction::None`].
///
/// # Errors
/// [`LossError::ShapeMismatch`] when the shapes differ; [`LossError::Config`] for a negative
/// `beta`.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::Tensor;
/// use minitrainer::nn::loss::{SmoothL1LossConfig, smooth_l1_loss};
/// let x = Tensor::from_vec(vec![0.5, 3.0], &[2])?;
/// let y = Tensor::zeros(&[2]);
/// let loss = smooth_l1_loss(&x, &y, &SmoothL1LossConfig::default())?;
/// assert_eq!(loss.item(), (0.125 + 2.5) / 2.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn smooth_l1_loss(
    prediction: &Tensor,
    target: &Tensor,
    config: &SmoothL1LossConfig,
) -> Result<Tensor, LossError> {
    config.validate()?;
    let loss = PointwiseLoss::SmoothL1 { beta: config.beta };
    pointwise("smooth_l1_loss", prediction, target, loss, config.reduction)
}

loss_module!(
    /// Smooth L1, PyTorch's `nn.SmoothL1Loss`: see [`smooth_l1_loss`].
    SmoothL1Loss(SmoothL1LossConfig)
);

impl SmoothL1Loss {
    /// [`smooth_l1_loss`] with this loss's config.
    ///
    /// # Errors
    /// As [`smooth_l1_loss`].
    pub fn forward(&self, prediction: &Tensor, target: &Tensor) -> Result<Tensor, LossError> {
        smooth_l1_loss(prediction, target, &self.config)
    }
}
