//! Mean squared error, PyTorch's `F.mse_loss` / `nn.MSELoss`.

use super::pointwise::pointwise;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::PointwiseLoss;
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Config of [`MseLoss`] and [`mse_loss`] (`"mse_loss"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MseLossConfig {
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
}

/// Squared error `(x - y)²` per element, reduced: PyTorch's `F.mse_loss`. The gradient is
/// `2(x - y)` (divided by the element count for a mean), for the target too (negated).
///
/// # Shapes
/// `prediction` and `target` of the same shape; a scalar, or that shape for
/// [`Reduction::None`].
///
/// # Errors
/// [`LossError::ShapeMismatch`] when the shapes differ.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::Tensor;
/// use minitrainer::nn::loss::{MseLossConfig, mse_loss};
/// let x = Tensor::from_vec(vec![1.0, 2.0], &[2])?;
/// let y = Tensor::from_vec(vec![0.0, 4.0], &[2])?;
/// assert_eq!(mse_loss(&x, &y, &MseLossConfig::default())?.item(), 2.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn mse_loss(
    prediction: &Tensor,
    target: &Tensor,
    config: &MseLossConfig,
) -> Result<Tensor, LossError> {
    config.validate()?;
    pointwise(
        "mse_loss",
        prediction,
        target,
        PointwiseLoss::Mse,
        config.reduction,
    )
}

loss_module!(
    /// Mean squared error, PyTorch's `nn.MSELoss`: see [`mse_loss`].
    MseLoss(MseLossConfig)
);

impl MseLoss {
    /// [`mse_loss`] with this loss's config.
    ///
    /// # Errors
    /// As [`mse_loss`].
    pub fn forward(&self, prediction: &Tensor, target: &Tensor) -> Result<Tensor, LossError> {
        mse_loss(prediction, target, &self.config)
    }
}
