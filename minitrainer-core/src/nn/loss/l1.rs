//! Mean absolute error, PyTorch's `F.l1_loss` / `nn.L1Loss`.

use super::pointwise::pointwise;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::PointwiseLoss;
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Config of [`L1Loss`] and [`l1_loss`] (`"l1_loss"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct L1LossConfig {
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
}

/// Absolute error `|x - y|` per element, reduced: PyTorch's `F.l1_loss`. The gradient is
/// `sign(x - y)`, 0 where `x = y` as in PyTorch (divided by the element count for a mean).
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
/// use minitrainer::nn::loss::{L1LossConfig, l1_loss};
/// let x = Tensor::from_vec(vec![1.0, 2.0], &[2])?;
/// let y = Tensor::from_vec(vec![0.0, 4.0], &[2])?;
/// assert_eq!(l1_loss(&x, &y, &L1LossConfig::default())?.item(), 1.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn l1_loss(
    prediction: &Tensor,
    target: &Tensor,
    config: &L1LossConfig,
) -> Result<Tensor, LossError> {
    config.validate()?;
    pointwise(
        "l1_loss",
        prediction,
        target,
        PointwiseLoss::L1,
        config.reduction,
    )
}

loss_module!(
    /// Mean absolute error, PyTorch's `nn.L1Loss`: see [`l1_loss`].
    L1Loss(L1LossConfig)
);

impl L1Loss {
    /// [`l1_loss`] with this loss's config.
    ///
    /// # Errors
    /// As [`l1_loss`].
    pub fn forward(&self, prediction: &Tensor, target: &Tensor) -> Result<Tensor, LossError> {
        l1_loss(prediction, target, &self.config)
    }
}
