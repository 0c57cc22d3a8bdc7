//! Gradient clipping, PyTorch's `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`.
//!
//! Entry points: [`clip_grad_norm`] (and [`clip_grad_norm_with`], which can refuse a
//! non-finite norm), [`grad_norm`] (the norm alone, for logging), [`clip_grad_value`]. They
//! take any parameters ([`GradSource`]: `&[Param]`, `model.trainable_parameters()`, tensors),
//! skip those without a gradient, and rewrite gradients in place (`Tensor::update_grad`).
//! Errors: [`ClipError`] for a bad argument, or a non-finite norm when asked to refuse it.

use crate::module::Param;
use crate::tensor::Tensor;

/// Something holding a gradient: a [`Tensor`] or a [`Param`] (or a reference to one).
pub trait GradSource {
    /// The tensor whose gradient is read and clipped.
    fn grad_tensor(&self) -> &Tensor;
}

impl GradSource for Tensor {
    fn grad_tensor(&self) -> &Tensor {
        self
    }
}

impl GradSource for Param {
    fn grad_tensor(&self) -> &Tensor {
        self.tensor()
    }
}

impl<T: GradSource + ?Sized> GradSource for &T {
    fn grad_tensor(&self) -> &Tensor {
        (**self).grad_tensor()
    }
}

/// What [`clip_grad_norm_with`] does when the total norm is NaN or infinite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonFinite {
    /// Scale the gradients by the non-finite coefficient anyway (PyTorch's default,
    /// `error_if_nonfinite=False`): gradients become zero or NaN, and the returned norm shows
    /// why.
    Scale,
    /// Leave the gradients alone and return [`ClipError::NonFiniteNorm`]
    /// (`error_if_nonfinite=True`): skip the step, or stop the run.
    Error,
}

/// Gradient clipping was given a bad argument, or met a non-finite norm.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClipError {
    /// `norm_type` is not a p >= 0 or infinity.
    #[error("norm_type must be a p >= 0 (2.0 for L2, 1.0 for L1) or f32::INFINITY, got {0}")]
    NormType(f32),
    /// `max_norm` is negative or NaN.
    #[error("max_norm must be >= 0 (f32::INFINITY to only measure the norm), got {0}")]
    MaxNorm(f32),
    /// `clip_value` is negative or NaN.
    #[error("clip_value must be >= 0, got {0}")]
    ClipValue(f32),
    /// The total gradient norm is NaN or infinite, and [`NonFinite::Error`] was asked for.
    #[error(
        "the total norm of order {norm_type} of the gradients is {norm}, so they can't be \
         clipped; look for a diverging loss, or pass NonFinite::Scale to scale them anyway"
    )]
    NonFiniteNorm {
        /// The norm found.
        norm: f32,
        /// Its order.
        norm_type: f32,
    },
}

/// The p-norm of `values` (accumulated in f64, rounded to f32 once).
fn p_norm(values: impl Iterator<Item = f32>, p: f32) -> f32 {
    let magnitudes = values.map(|x| f64::from(x.abs()));
    let norm = if p == f32::INFINITY {
        magnitudes.fold(0.0, f64::max)
    } else if p == 0.0 {
        // PyTorch's order 0: the number of non-zero entries.
        magnitudes.filter(|&x| x != 0.0).count() as f64
    } else if p == 1.0 {
        magnitudes.sum()
    } else if p == 2.0 {
        magnitudes.map(|x| x * x).sum::<f64>().sqrt()
    } else {
        let p = f64::from(p);
        magnitudes.map(|x| x.powf(p)).sum::<f64>().powf(1.0 / p)
    };
    norm as f32
}

/// The L2 norm of `values`: squares summed in f64 over eight independent lanes (a fixed order,
/// so the same bits on every run, and one the compiler vectorises; a single running sum would
/// be a chain of dependent scalar additions), rounded to f32 once.
fn l2_norm(values: &[f32]) -> f32 {
    let mut lanes = [0.0f64; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            let x = f64::from(x);
            *lane += x * x;
        }
    }
    let tail: f64 = rest.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
    (lanes.iter().sum::<f64>() + tail).sqrt() as f32
}

/// The total gradient norm of `params` without clipping: PyTorch's `get_total_norm`, the norm
/// of each gradient, then the norm of those norms. Parameters without a gradient are skipped;
/// none at all gives 0.
///
/// # Errors
/// [`ClipError::NormType`] for a `norm_type` below 0 or NaN.
pub fn grad_norm<P: GradSource>(
    params: impl IntoIterator<Item = P>,
    norm_type: f32,
) -> Result<f32, ClipError> {
    if norm_type.is_nan() || norm_type < 0.0 {
        return Err(ClipError::NormType(norm_type));
    }
    let norms: Vec<f32> = params
        .into_iter()
        .filter_map(|p| {
            p.grad_tensor().with_grad(|g| {
                g.map(|g| match g.as_slice() {
                    // The trainer logs this norm every step: the common case takes the fast path.
                    Some(values) if norm_type == 2.0 => l2_norm(values),
                    _ => p_norm(g.iter().copied(), norm_type),
                })
            })
        })
        .collect();
    Ok(p_norm(norms.into_iter(), norm_type))
}

/// Rescales the gradients of `params` so their total `norm_type`-norm is at most `max_norm`,
/// and returns the total norm **before** clipping, as `torch.nn.utils.clip_grad_norm_` does.
///
/// The norm is PyTorch's: each gradient's norm, then the norm of those norms (L2:
/// `norm_type = 2.0`; `f32::INFINITY` for the largest magnitude). Every gradient is then
/// multiplied by `min(max_norm / (total + 1e-6), 1)` in f32. `max_norm = f32::INFINITY`
/// leaves them as they are (measuring only). A non-finite total norm scales anyway, as
/// PyTorch does by default; see [`clip_grad_norm_with`] to refuse it.
///
/// # Examples
/// ```
/// use minitrainer_core::optim::clip_grad_norm;
/// use minitrainer_core::Tensor;
/// let w = Tensor::from_vec(vec![3.0, 4.0], &[2])?;
/// w.set_requires_grad(true);
/// w.mul(&w).sum().backward(); // grad = 2w = [6, 8], norm 10
/// let norm = clip_grad_norm([&w], 1.0, 2.0)?;
/// assert_eq!(norm, 10.0);
/// let clipped = w.grad().unwrap();
/// assert!((clipped[0] - 0.6).abs() < 1e-6 && (clipped[1] - 0.8).abs() < 1e-6);
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
///
/// # Errors
/// [`ClipError::NormType`], [`ClipError::MaxNorm`] for a bad argument.
pub fn clip_grad_norm<P: GradSource>(
    params: impl IntoIterator<Item = P>,
    max_norm: f32,
    norm_type: f32,
) -> Result<f32, ClipError> {
    clip_grad_norm_with(params, max_norm, norm_type, NonFinite::Scale)
}

/// [`clip_grad_norm`], choosing what a NaN or infinite total norm does ([`NonFinite`],
/// PyTorch's `error_if_nonfinite`).
///
/// # Errors
/// [`ClipError::NormType`], [`ClipError::MaxNorm`]; [`ClipError::NonFiniteNorm`] with
/// [`NonFinite::Error`] (the gradients are then left unchanged).
pub fn clip_grad_norm_with<P: GradSource>(
    params: impl IntoIterator<Item = P>,
    max_norm: f32,
    norm_type: f32,
    non_finite: NonFinite,
) -> Result<f32, ClipError> {
    if max_norm.is_nan() || max_norm < 0.0 {
        return Err(ClipError::MaxNorm(max_norm));
    }
    let params: Vec<P> = params.into_iter().collect();
    let total = grad_norm(params.iter().map(GradSource::grad_tensor), norm_type)?;
    if !total.is_finite() && non_finite == NonFinite::Error {
        return Err(ClipError::NonFiniteNorm {
            norm: total,
            norm_type,
        });
    }
    // PyTorch: clip_coef = max_norm / (total + 1e-6), which a tensor computes as
    // reciprocal(total + 1e-6) · max_norm, in f32; then clamp(max = 1) and multiply.
    let coef = ((total + 1e-6).recip() * max_norm).min(1.0);
    // NaN stays NaN (f32::min would drop it), as torch.clamp keeps it.
    let coef = if coef.is_nan() || total.is_nan() {
        f32::NAN
    } else {
        coef
    };
    for param in &params {
        param
            .grad_tensor()
            .update_grad(|g| g.mapv_inplace(|x| x * coef));
    }
    Ok(total)
}

/// Clamps every gradient entry of `params` to `[-clip_value, clip_value]`
/// (`torch.nn.utils.clip_grad_value_`); parameters without a gradient are skipped.
///
/// # Errors
/// [`ClipError::ClipValue`] for a negative or NaN `clip_value`.
pub fn clip_grad_value<P: GradSource>(
    params: impl IntoIterator<Item = P>,
    clip_value: f32,
) -> Result<(), ClipError> {
    if clip_value.is_nan() || clip_value < 0.0 {
        return Err(ClipError::ClipValue(clip_value));
    }
    for param in params {
        param
            .grad_tensor()
            .update_grad(|g| g.mapv_inplace(|x| x.clamp(-clip_value, clip_value)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_grad(values: Vec<f32>) -> Tensor {
        let t = Tensor::from_vec(values.clone(), &[values.len()]).expect("a vector");
        t.set_requires_grad(true);
        // d Σ(x · c)/dx = c with c = the values: the gradient equals `values`.
        let c = Tensor::from_vec(values.clone(), &[values.len()]).expect("a vector");
        t.mul(&c).sum().backward();
        t
    }

    #[test]
    fn the_lane_sum_agrees_with_the_plain_sum() {
        let values: Vec<f32> = (0..1003)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) * 1e-3)
            .collect();
        let plain = p_norm(values.iter().copied(), 2.0);
        assert!(
            (l2_norm(&values) - plain).abs() <= plain * 1e-6,
            "{} vs {plain}",
            l2_norm(&values)
        );
        assert_eq!(l2_norm(&[3.0, 4.0]), 5.0);
        assert_eq!(l2_norm(&[]), 0.0);
    }

    #[test]
    fn norms_of_each_order() {
        // |[3, -4]|: L2 = 5, L1 = 7, inf = 4
        let g = [3.0f32, -4.0];
        assert_eq!(p_norm(g.into_iter(), 2.0), 5.0);
        assert_eq!(p_norm(g.into_iter(), 1.0), 7.0);
        assert_eq!(p_norm(g.into_iter(), f32::INFINITY), 4.0);
        assert_eq!(p_norm(g.into_iter(), 0.0), 2.0);
        assert!((p_norm(g.into_iter(), 3.0) - 91f32.cbrt()).abs() < 1e-6);
    }

    #[test]
    fn below_the_max_nothing_changes_but_the_norm_is_returned() -> Result<(), ClipError> {
        let (a, b) = (with_grad(vec![3.0]), with_grad(vec![4.0]));
        let untouched = Tensor::from_vec(vec![1.0], &[1]).expect("a vector");
        // total = |[|3|, |4|]| = 5
        assert_eq!(clip_grad_norm([&a, &b, &untouched], 10.0, 2.0)?, 5.0);
        assert_eq!(a.grad().unwrap()[0], 3.0);
        assert!(untouched.grad().is_none());
        Ok(())
    }

    #[test]
    fn a_non_finite_norm_can_be_refused_leaving_the_gradients() {
        let a = with_grad(vec![f32::INFINITY, 1.0]);
        let err = clip_grad_norm_with([&a], 1.0, 2.0, NonFinite::Error).unwrap_err();
        assert!(matches!(err, ClipError::NonFiniteNorm { .. }));
        assert_eq!(a.grad().unwrap()[1], 1.0);
    }

    #[test]
    fn value_clipping_clamps_each_entry() -> Result<(), ClipError> {
        let a = with_grad(vec![-3.0, 0.5, 2.0]);
        clip_grad_value([&a], 1.0)?;
        assert_eq!(
            a.grad().unwrap().into_raw_vec_and_offset().0,
            [-1.0, 0.5, 1.0]
        );
        assert!(matches!(
            clip_grad_value([&a], -1.0),
            Err(ClipError::ClipValue(_))
        ));
        Ok(())
    }

    #[test]
    fn bad_arguments_are_errors() {
        let a = with_grad(vec![1.0]);
        assert!(matches!(
            clip_grad_norm([&a], f32::NAN, 2.0),
            Err(ClipError::MaxNorm(_))
        ));
        assert!(matches!(
            clip_grad_norm([&a], 1.0, -1.0),
            Err(ClipError::NormType(_))
        ));
    }
}
