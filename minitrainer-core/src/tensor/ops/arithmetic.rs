//! Elementwise arithmetic: broadcast binary ops, scalar ops and elementwise functions.

use ndarray::ArrayD;

use crate::tensor::Tensor;
use crate::tensor::broadcast::broadcast_shape_or_panic;
use crate::tensor::op::Op;

impl Tensor {
    /// A broadcast binary op whose value is `f(self, other)`.
    fn binary(
        &self,
        name: &str,
        other: &Tensor,
        op: Op,
        f: impl FnOnce(&ArrayD<f32>, &ArrayD<f32>) -> ArrayD<f32>,
    ) -> Tensor {
        broadcast_shape_or_panic(name, self.shape(), other.shape());
        let data = f(&self.data(), &other.data());
        Tensor::from_op(data, &[self, other], || op)
    }

    /// Elementwise `self + other` with NumPy broadcasting.
    ///
    /// # Shapes
    /// `self` and `other` broadcast (trailing axes equal or 1); the result has the broadcast
    /// shape, e.g. `[3, 1] + [1, 4] -> [3, 4]`, `[2, 3, 4] + [4] -> [2, 3, 4]`.
    ///
    /// # Panics
    /// When the shapes do not broadcast.
    pub fn add(&self, other: &Tensor) -> Tensor {
        self.binary("add", other, Op::Add, |a, b| a + b)
    }

    /// Elementwise `self - other` with broadcasting.
    ///
    /// # Shapes
    /// As [`Tensor::add`].
    ///
    /// # Panics
    /// When the shapes do not broadcast.
    pub fn sub(&self, other: &Tensor) -> Tensor {
        self.binary("sub", other, Op::Sub, |a, b| a - b)
    }

    /// Elementwise `self * other` with broadcasting.
    ///
    /// # Shapes
    /// As [`Tensor::add`].
    ///
    /// # Panics
    /// When the shapes do not broadcast.
    pub fn mul(&self, other: &Tensor) -> Tensor {
        self.binary("mul", other, Op::Mul, |a, b| a * b)
    }

    /// Elementwise `self / other` with broadcasting.
    ///
    /// # Shapes
    /// As [`Tensor::add`].
    ///
    /// # Panics
    /// When the shapes do not broadcast.
    pub fn div(&self, other: &Tensor) -> Tensor {
        self.binary("div", other, Op::Div, |a, b| a / b)
    }

    /// Elementwise `-self`.
    pub fn neg(&self) -> Tensor {
        self.unary(|| Op::Neg, |a| -a)
    }

    /// `self + value` for every element.
    pub fn add_scalar(&self, value: f32) -> Tensor {
        self.unary(|| Op::AddScalar, |a| a + value)
    }

    /// `self - value` for every element.
    pub fn sub_scalar(&self, value: f32) -> Tensor {
        self.unary(|| Op::AddScalar, |a| a - value)
    }

    /// `self * value` for every element.
    pub fn mul_scalar(&self, value: f32) -> Tensor {
        self.unary(|| Op::MulScalar(value), |a| a * value)
    }

    /// `self / value` for every element.
    pub fn div_scalar(&self, value: f32) -> Tensor {
        self.unary(|| Op::MulScalar(value.recip()), |a| a / value)
    }

    /// `self` raised to the constant power `exponent`, elementwise.
    pub fn powf(&self, exponent: f32) -> Tensor {
        self.unary(|| Op::Powf(exponent), |a| a.mapv(|x| x.powf(exponent)))
    }

    /// `e` raised to each element.
    pub fn exp(&self) -> Tensor {
        self.unary(|| Op::Exp, |a| a.mapv(f32::exp))
    }

    /// Natural logarithm of each element (`-inf` at 0, NaN below).
    pub fn log(&self) -> Tensor {
        self.unary(|| Op::Log, |a| a.mapv(f32::ln))
    }

    /// Square root of each element.
    pub fn sqrt(&self) -> Tensor {
        self.unary(|| Op::Sqrt, |a| a.mapv(f32::sqrt))
    }

    /// Absolute value of each element. Its gradient at 0 is 0, as in PyTorch.
    pub fn abs(&self) -> Tensor {
        self.unary(|| Op::Abs, |a| a.mapv(f32::abs))
    }

    /// Each element limited to `[min, max]`. The gradient passes where `min <= x <= max`
    /// and is 0 outside, as in PyTorch.
    ///
    /// # Panics
    /// When `min > max` or either is NaN.
    pub fn clamp(&self, min: f32, max: f32) -> Tensor {
        assert!(
            min <= max,
            "clamp: min ({min}) must not exceed max ({max}), on a tensor of shape {:?}",
            self.shape()
        );
        self.unary(|| Op::Clamp { min, max }, |a| a.mapv(|x| x.clamp(min, max)))
    }
}
