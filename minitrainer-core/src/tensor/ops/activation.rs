//! Activations, and softmax / log-softmax along an axis (stable: the lane maximum is
//! subtracted before exponentiating).

use ndarray::{Axis, Zip};

use crate::tensor::Tensor;
use crate::tensor::op::Op;
use crate::tensor::recycle;

/// √(2/π), in the tanh approximation of GELU.
pub(crate) const SQRT_2_OVER_PI: f32 = 0.797_884_6;
/// Cubic coefficient of the tanh approximation of GELU.
pub(crate) const GELU_TANH_COEF: f32 = 0.044_715;

impl Tensor {
    /// `max(x, 0)` elementwise; the gradient at 0 is 0.
    pub fn relu(&self) -> Tensor {
        // `f32::max` would turn NaN into 0 and hide it; PyTorch's relu propagates NaN.
        let relu = |x: f32| if x.is_nan() { x } else { x.max(0.0) };
        self.unary(
            || Op::Relu,
            // Large activations have the same size every step: into a kept buffer if any.
            |a| match recycle::take(a.shape()) {
                Some(mut out) => {
                    Zip::from(&mut out).and(a).for_each(|o, &x| *o = relu(x));
                    out
                }
                None => a.mapv(relu),
            },
        )
    }

    /// GELU, exact form: `x Φ(x) = x/2 (1 + erf(x/√2))` (PyTorch's default `gelu`).
    pub fn gelu(&self) -> Tensor {
        self.unary(|| Op::Gelu, |a| a.mapv(|x| x * normal_cdf(x)))
    }

    /// GELU, tanh approximation: `x/2 (1 + tanh(√(2/π) (x + 0.044715 x³)))`
    /// (PyTorch's `gelu(approximate="tanh")`, GPT-2's).
    pub fn gelu_tanh(&self) -> Tensor {
        self.unary(
            || Op::GeluTanh,
            |a| {
                a.mapv(|x| {
                    0.5 * x * (1.0 + (SQRT_2_OVER_PI * (x + GELU_TANH_COEF * x * x * x)).tanh())
                })
            },
        )
    }

    /// Logistic sigmoid `1 / (1 + e^-x)`, computed without overflow for large `|x|`.
    pub fn sigmoid(&self) -> Tensor {
        self.unary(|| Op::Sigmoid, |a| a.mapv(sigmoid))
    }

    /// Hyperbolic tangent.
    pub fn tanh(&self) -> Tensor {
        self.unary(|| Op::Tanh, |a| a.mapv(f32::tanh))
    }

    /// SiLU (swish): `x σ(x)`.
    pub fn silu(&self) -> Tensor {
        self.unary(|| Op::Silu, |a| a.mapv(|x| x * sigmoid(x)))
    }

    /// Softmax along `axis`: each lane is exponentiated and normalised to sum to 1.
    ///
    /// # Shapes
    /// Unchanged.
    ///
    /// # Panics
    /// When `axis >= self.ndim()`.
    pub fn softmax(&self, axis: usize) -> Tensor {
        self.check_axis("softmax", axis);
        self.unary(
            || Op::Softmax { axis },
            |a| {
                let mut out = a.to_owned();
                for mut lane in out.lanes_mut(Axis(axis)) {
                    let max = lane.fold(f32::NEG_INFINITY, |m, &x| m.max(x));
                    lane.mapv_inplace(|x| (x - max).exp());
                    let total = lane.sum();
                    lane /= total;
                }
                out
            },
        )
    }

    /// Log-softmax along `axis`: `x - max - ln Σ e^(x - max)` per lane, exact where
    /// `softmax(..).log()` would underflow to `-inf`.
    ///
    /// # Shapes
    /// Unchanged.
    ///
    /// # Panics
    /// When `axis >= self.ndim()`.
    pub fn log_softmax(&self, axis: usize) -> Tensor {
        self.check_axis("log_softmax", axis);
        self.unary(
            || Op::LogSoftmax { axis },
            |a| {
                let mut out = a.to_owned();
                for mut lane in out.lanes_mut(Axis(axis)) {
                    let max = lane.fold(f32::NEG_INFINITY, |m, &x| m.max(x));
                    let log_sum = lane.fold(0.0, |s, &x| s + (x - max).exp()).ln();
                    // Subtract separately: `max + log_sum` would round away the digits of
                    // `log_sum` when `max` is large.
                    lane -= max;
                    lane -= log_sum;
                }
                out
            },
        )
    }
}

/// `σ(x)`, written per sign so that `e^-x` never overflows.
pub(crate) fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Standard normal CDF `Φ(x) = (1 + erf(x/√2)) / 2`, via `erf` in f64 for full f32 accuracy.
pub(crate) fn normal_cdf(x: f32) -> f32 {
    (0.5 * (1.0 + libm::erf(f64::from(x) * std::f64::consts::FRAC_1_SQRT_2))) as f32
}

/// Standard normal density `φ(x)`.
pub(crate) fn normal_pdf(x: f32) -> f32 {
    const INV_SQRT_2PI: f32 = 0.398_942_3;
    INV_SQRT_2PI * (-0.5 * x * x).exp()
}
