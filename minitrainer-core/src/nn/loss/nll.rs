//! Negative log-likelihood of log-probabilities with integer labels: PyTorch's
//! `F.nll_loss` / `nn.NLLLoss` with class weights, `ignore_index` and reductions.

use super::labels::class_targets;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::ClassLoss;
use crate::tensor::{IntoIndices, NotALabel, Tensor};
use minitrainer_macros::Config;
use ndarray::ArrayD;

/// Config of [`NllLoss`] and [`nll_loss`] (`"nll_loss"`); the defaults are PyTorch's.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct NllLossConfig {
    /// One weight per class (`[C]`); none: every class weighs 1. A weighted mean divides by
    /// the sum of the weights of the counted targets.
    pub weight: Option<Vec<f32>>,
    /// Targets equal to this label are ignored (no loss, no gradient, not counted in a mean).
    #[config(default = -100)]
    pub ignore_index: i64,
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
}

/// Negative log-likelihood `-w_t·x_t` of log-probabilities `x` (e.g. from
/// [`Tensor::log_softmax`]) against class `labels`, PyTorch's `F.nll_loss`.
///
/// When every label is ignored (or the counted weights sum to 0), a mean is `0.0` with a zero
/// gradient (PyTorch: NaN).
///
/// # Shapes
/// `log_probs` `[N, C]` or `[N, C, d1, …]`; `labels` `[N]` or `[N, d1, …]`; the output is a
/// scalar, or `[N, d1, …]` for [`Reduction::None`].
///
/// # Errors
/// As [`cross_entropy`](super::cross_entropy): a label out of range or not an integer, shapes
/// that do not fit, a `weight` without `C` entries, a config breaking its rules.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::Tensor;
/// use minitrainer::nn::loss::{NllLossConfig, nll_loss};
/// let log_probs = Tensor::from_vec(vec![-0.5, -1.0, -2.0, -0.25], &[2, 2])?;
/// let loss = nll_loss(&log_probs, vec![0, 1], &NllLossConfig::default())?;
/// assert_eq!(loss.item(), 0.375);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nll_loss(
    log_probs: &Tensor,
    labels: impl IntoIndices,
    config: &NllLossConfig,
) -> Result<Tensor, LossError> {
    config.validate()?;
    // The labels' conversion is the only code generic over their type (compiled per type, in
    // the caller's crate); its error is still reported after the shapes'.
    nll_loss_of(log_probs, labels.into_labels(), config)
}

/// [`nll_loss`] once the config is valid and the labels converted.
fn nll_loss_of(
    log_probs: &Tensor,
    labels: Result<ArrayD<i64>, NotALabel>,
    config: &NllLossConfig,
) -> Result<Tensor, LossError> {
    let weight = config.weight.as_deref();
    let targets = class_targets("nll_loss", log_probs, labels, weight, config.ignore_index)?;
    Ok(log_probs.nll_loss(ClassLoss {
        targets: targets.classes,
        weight: config.weight.clone(),
        label_smoothing: 0.0,
        reduction: config.reduction.with_count(targets.total_weight),
    }))
}

loss_module!(
    /// Negative log-likelihood of log-probabilities, PyTorch's `nn.NLLLoss`: see [`nll_loss`].
    NllLoss(NllLossConfig)
);

impl NllLoss {
    /// The loss of `log_probs` against `labels`: [`nll_loss`] with this loss's config.
    ///
    /// # Errors
    /// As [`nll_loss`].
    pub fn forward(
        &self,
        log_probs: &Tensor,
        labels: impl IntoIndices,
    ) -> Result<Tensor, LossError> {
        nll_loss(log_probs, labels, &self.config)
    }
}
