//! Binary cross-entropy on logits, PyTorch's `F.binary_cross_entropy_with_logits` /
//! `nn.BCEWithLogitsLoss`, fused with the sigmoid in the stable form.

use super::pointwise::same_shape;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::BceLoss;
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Config of [`BceWithLogitsLoss`] and [`bce_with_logits`] (`"bce_with_logits_loss"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct BceWithLogitsLossConfig {
    /// A weight per entry of the last axis (or one for all), multiplying each element's loss;
    /// none: 1. The mean still divides by the element count, as PyTorch's.
    pub weight: Option<Vec<f32>>,
    /// `p`, the weight of the positive term per entry of the last axis (per class in a
    /// multi-label task; or one for all); none: 1. `p > 1` raises recall.
    pub pos_weight: Option<Vec<f32>>,
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
}

/// Binary cross-entropy of `logits` against target probabilities, per element
/// `w·((1 - y)·x - (1 + (p - 1)·y)·log σ(x))`, with `log σ(x) = min(x, 0) - ln(1 + e^-|x|)`
/// so that no exponential overflows (PyTorch's form). The gradient is
/// `w·((1 + (p - 1)y)·σ(x) - p·y)`; the target gets one too.
///
/// # Shapes
/// `logits` and `targets` of the same shape `[…, C]`; `weight` and `pos_weight` of `C` entries
/// (or 1); a scalar, or that shape for [`Reduction::None`].
///
/// # Errors
/// [`LossError::ShapeMismatch`] when the shapes differ, [`LossError::WeightLength`] when
/// `weight` or `pos_weight` has neither `C` entries nor 1.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::Tensor;
/// use minitrainer::nn::loss::{BceWithLogitsLossConfig, bce_with_logits};
/// let logits = Tensor::from_vec(vec![0.0, 100.0], &[2])?;
/// let targets = Tensor::from_vec(vec![1.0, 1.0], &[2])?;
/// let loss = bce_with_logits(&logits, &targets, &BceWithLogitsLossConfig::default())?;
/// assert!((loss.item() - std::f32::consts::LN_2 / 2.0).abs() < 1e-7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bce_with_logits(
    logits: &Tensor,
    targets: &Tensor,
    config: &BceWithLogitsLossConfig,
) -> Result<Tensor, LossError> {
    const LOSS: &str = "bce_with_logits";
    config.validate()?;
    same_shape(LOSS, logits, targets)?;
    let last = logits.shape().last().copied().unwrap_or(1);
    for (option, values) in [
        ("weight", &config.weight),
        ("pos_weight", &config.pos_weight),
    ] {
        if let Some(values) = values.as_ref().filter(|v| v.len() != last && v.len() != 1) {
            return Err(LossError::WeightLength {
                loss: LOSS,
                option,
                len: values.len(),
                expected: format!("{last} (one per entry of the last axis) or 1"),
            });
        }
    }
    let reduction = config.reduction.with_count(logits.numel() as f64);
    Ok(logits.bce_with_logits_loss(
        targets,
        BceLoss {
            weight: config.weight.clone(),
            pos_weight: config.pos_weight.clone(),
            reduction,
        },
    ))
}

loss_module!(
    /// Binary cross-entropy on logits, PyTorch's `nn.BCEWithLogitsLoss`: see
    /// [`bce_with_logits`].
    BceWithLogitsLoss(BceWithLogitsLossConfig)
);

impl BceWithLogitsLoss {
    /// [`bce_with_logits`] with this loss's config.
    ///
    /// # Errors
    /// As [`bce_with_logits`].
    pub fn forward(&self, logits: &Tensor, targets: &Tensor) -> Result<Tensor, LossError> {
        bce_with_logits(logits, targets, &self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_sigmoid_composition_where_that_is_finite() -> crate::Result<()> {
        let x = Tensor::from_vec(vec![-2.0, -0.5, 0.0, 0.7, 3.0, 1.2], &[2, 3])?;
        let y = Tensor::from_vec(vec![0.0, 1.0, 0.5, 0.2, 1.0, 0.0], &[2, 3])?;
        let config = BceWithLogitsLossConfig {
            pos_weight: Some(vec![2.0, 1.0, 0.5]),
            ..Default::default()
        };
        let fused = bce_with_logits(&x, &y, &config)?.item();
        // -(p·y·log σ(x) + (1 - y)·log(1 - σ(x))), averaged.
        let p = Tensor::from_vec(vec![2.0, 1.0, 0.5], &[3])?;
        let (s, one) = (x.sigmoid(), Tensor::ones(&[2, 3]));
        let positive = p.mul(&y).mul(&s.log());
        let negative = one.sub(&y).mul(&one.sub(&s).log());
        let composed = positive.add(&negative).mean().neg().item();
        assert!((fused - composed).abs() < 1e-6, "{fused} vs {composed}");
        Ok(())
    }

    #[test]
    fn huge_logits_give_finite_losses_and_gradients() -> crate::Result<()> {
        let x = Tensor::from_vec(vec![1e4, -1e4], &[2])?;
        x.set_requires_grad(true);
        let y = Tensor::from_vec(vec![0.0, 0.0], &[2])?;
        let loss = bce_with_logits(&x, &y, &BceWithLogitsLossConfig::default())?;
        // Wrong and certain: 1e4; right and certain: 0; mean 5e3.
        assert_eq!(loss.item(), 5e3);
        loss.backward();
        // (σ(x) - y)/2.
        assert_eq!(
            x.grad().map(|g| g.iter().copied().collect()),
            Some(vec![0.5, 0.0])
        );
        Ok(())
    }
}
