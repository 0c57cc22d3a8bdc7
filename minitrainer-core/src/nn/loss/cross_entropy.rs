//! Cross-entropy on logits with integer labels: PyTorch's `F.cross_entropy` /
//! `nn.CrossEntropyLoss` with class weights, `ignore_index`, label smoothing and reductions,
//! as one fused op (log-sum-exp; backward `softmax - onehot_smoothed`, scaled).

use super::labels::class_targets;
use super::{LossError, Reduction, loss_module};
use crate::config::Config as _;
use crate::tensor::ClassLoss;
use crate::tensor::{IntoIndices, NotALabel, Tensor};
use minitrainer_macros::Config;
use ndarray::ArrayD;

/// Config of [`CrossEntropyLoss`] and [`cross_entropy`] (`"cross_entropy_loss"`); the
/// defaults are PyTorch's.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct CrossEntropyLossConfig {
    /// One weight per class (`[C]`); none: every class weighs 1. A weighted mean divides by
    /// the sum of the weights of the counted targets.
    pub weight: Option<Vec<f32>>,
    /// Targets equal to this label are ignored (no loss, no gradient, not counted in a mean);
    /// PyTorch's default `-100` is only possible in a label tensor.
    #[config(default = -100)]
    pub ignore_index: i64,
    /// ε: the target becomes `(1 - ε)·onehot + ε/C`, as PyTorch mixes it (with class weights,
    /// the uniform part is weighted too).
    #[config(default = 0.0, range = 0.0..=1.0)]
    pub label_smoothing: f32,
    /// `mean`, `sum` or `none`.
    #[config(default = Reduction::Mean)]
    pub reduction: Reduction,
}

/// Cross-entropy of `logits` against class `labels`, PyTorch's `F.cross_entropy`: per target
/// `-w_t·log softmax(x)_t`, mixed with `-(1/C) Σ_c w_c·log softmax(x)_c` by label smoothing.
///
/// When every label is ignored (or the counted weights sum to 0), a mean is `0.0` with a zero
/// gradient (PyTorch: NaN).
///
/// # Shapes
/// `logits` `[N, C]` or `[N, C, d1, …]` (classes on axis 1); `labels` `[N]` or `[N, d1, …]`
/// (anything [`IntoIndices`]: a slice, a `Vec<usize>`, an integer-valued tensor, which may
/// hold a negative `ignore_index`); the output is a scalar, or `[N, d1, …]` for
/// [`Reduction::None`].
///
/// # Errors
/// [`LossError`] when a label is neither in `0..C` nor `ignore_index` (naming the label, its
/// position and `C`), a label tensor holds a non-integer, the shapes do not fit, `weight` does
/// not have `C` entries, or the config breaks its rules.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::Tensor;
/// use minitrainer::nn::loss::{CrossEntropyLossConfig, cross_entropy};
/// let logits = Tensor::from_vec(vec![2.0, 0.0, 0.0, 0.0, 0.0, 3.0], &[2, 3])?;
/// let config = CrossEntropyLossConfig { label_smoothing: 0.1, ..Default::default() };
/// let loss = cross_entropy(&logits, &[0, 2], &config)?;
/// assert!((loss.item() - 0.3339).abs() < 1e-4);
/// let error = cross_entropy(&logits, &[0, 3], &config).unwrap_err();
/// assert!(error.to_string().contains("label 3 at position [1] is out of range for 3 classes"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn cross_entropy(
    logits: &Tensor,
    labels: impl IntoIndices,
    config: &CrossEntropyLossConfig,
) -> Result<Tensor, LossError> {
    config.validate()?;
    // The labels' conversion is the only code generic over their type (compiled per type, in
    // the caller's crate); its error is still reported after the shapes'.
    cross_entropy_of(logits, labels.into_labels(), config)
}

/// [`cross_entropy`] once the config is valid and the labels converted.
fn cross_entropy_of(
    logits: &Tensor,
    labels: Result<ArrayD<i64>, NotALabel>,
    config: &CrossEntropyLossConfig,
) -> Result<Tensor, LossError> {
    let weight = config.weight.as_deref();
    let targets = class_targets("cross_entropy", logits, labels, weight, config.ignore_index)?;
    Ok(logits.cross_entropy_loss(ClassLoss {
        targets: targets.classes,
        weight: config.weight.clone(),
        label_smoothing: config.label_smoothing,
        reduction: config.reduction.with_count(targets.total_weight),
    }))
}

loss_module!(
    /// Cross-entropy on logits with class labels, PyTorch's `nn.CrossEntropyLoss`: see
    /// [`cross_entropy`] for the semantics, shapes and errors.
    ///
    /// # Examples
    /// ```
    /// # use minitrainer_core as minitrainer;
    /// use minitrainer::Tensor;
    /// use minitrainer::build::{Build, Init};
    /// use minitrainer::config::Config;
    /// use minitrainer::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};
    /// let config = CrossEntropyLossConfig::from_json(r#"{"label_smoothing": 0.1}"#)?;
    /// let loss_fn = CrossEntropyLoss::try_build(&config, &mut Init::default())?;
    /// let logits = Tensor::from_vec(vec![2.0, 0.0, 0.0, 0.0, 0.0, 3.0], &[2, 3])?;
    /// logits.set_requires_grad(true);
    /// let labels = Tensor::from_vec(vec![0.0, 2.0], &[2])?;
    /// loss_fn.forward(&logits, &labels)?.backward();
    /// assert_eq!(logits.grad().map(|g| g.shape().to_vec()), Some(vec![2, 3]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    CrossEntropyLoss(CrossEntropyLossConfig)
);

impl CrossEntropyLoss {
    /// The loss of `logits` against `labels`: [`cross_entropy`] with this loss's config.
    ///
    /// # Errors
    /// As [`cross_entropy`].
    pub fn forward(&self, logits: &Tensor, labels: impl IntoIndices) -> Result<Tensor, LossError> {
        cross_entropy(logits, labels, &self.config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logits() -> Tensor {
        let values = vec![
            0.3, -1.2, 2.0, 0.5, 1.1, -0.4, 0.0, 0.9, -2.0, 1.5, 0.2, 0.7,
        ];
        let logits = Tensor::from_vec(values, &[3, 4]).expect("12 values");
        logits.set_requires_grad(true);
        logits
    }

    #[test]
    fn fused_cross_entropy_equals_log_softmax_gather_mean_with_its_gradient() -> crate::Result<()> {
        let (fused, composed) = (logits(), logits());
        let labels = [2, 0, 3];
        cross_entropy(&fused, &labels, &CrossEntropyLossConfig::default())?.backward();
        let picked = composed.log_softmax(1).gather(1, &labels);
        picked.mean().neg().backward();
        let (a, b) = (fused.grad(), composed.grad());
        let (a, b) = (a.expect("fused grad"), b.expect("composed grad"));
        assert!(a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() < 1e-7));
        Ok(())
    }

    #[test]
    fn full_label_smoothing_is_the_cross_entropy_with_the_uniform_distribution() -> crate::Result<()>
    {
        let x = logits();
        let config = CrossEntropyLossConfig {
            label_smoothing: 1.0,
            ..Default::default()
        };
        // ε = 1: -(1/C) Σ_c log softmax(x)_c, whatever the label.
        let loss = cross_entropy(&x, &[0, 1, 2], &config)?.item();
        let uniform = x.log_softmax(1).mean().neg().item();
        assert!((loss - uniform).abs() < 1e-6, "{loss} vs {uniform}");
        Ok(())
    }

    #[test]
    fn an_ignore_index_inside_the_class_range_ignores_that_class() -> crate::Result<()> {
        let x = logits();
        let config = CrossEntropyLossConfig {
            ignore_index: 1,
            reduction: Reduction::None,
            ..Default::default()
        };
        let per_sample = cross_entropy(&x, &[1, 0, 1], &config)?.to_vec();
        assert_eq!(per_sample[0], 0.0);
        assert_eq!(per_sample[2], 0.0);
        assert!(per_sample[1] > 0.0);
        Ok(())
    }

    #[test]
    fn inference_under_no_grad_records_nothing() -> crate::Result<()> {
        let x = logits();
        let _guard = crate::tensor::no_grad();
        let loss = cross_entropy(&x, &[0, 1, 2], &CrossEntropyLossConfig::default())?;
        assert!(!loss.requires_grad());
        Ok(())
    }
}
