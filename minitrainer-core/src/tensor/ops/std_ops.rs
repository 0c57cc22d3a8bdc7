//! `+ - * /` and unary `-` for tensors (owned or borrowed) and `f32` scalars on either side,
//! delegating to the named methods (`a + &b` is `a.add(&b)`, `2.0 * a` is `a.mul_scalar(2.0)`).
//!
//! These operators and the inherent methods share names (`add`, `mul`, ...). Inherent methods
//! win in method-call syntax, so `a.add(&b)` always means [`Tensor::add`], whether or not
//! `std::ops::Add` is in scope.

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::tensor::Tensor;

/// Implements `$trait` for every owned/borrowed combination of tensors and with `f32`.
macro_rules! binary_operator {
    ($trait:ident, $method:ident, $tensor_fn:ident, $scalar_fn:ident, $scalar_lhs:expr) => {
        impl $trait<&Tensor> for &Tensor {
            type Output = Tensor;
            fn $method(self, rhs: &Tensor) -> Tensor {
                Tensor::$tensor_fn(self, rhs)
            }
        }
        impl $trait<Tensor> for &Tensor {
            type Output = Tensor;
            fn $method(self, rhs: Tensor) -> Tensor {
                Tensor::$tensor_fn(self, &rhs)
            }
        }
        impl $trait<&Tensor> for Tensor {
            type Output = Tensor;
            fn $method(self, rhs: &Tensor) -> Tensor {
                Tensor::$tensor_fn(&self, rhs)
            }
        }
        impl $trait<Tensor> for Tensor {
            type Output = Tensor;
            fn $method(self, rhs: Tensor) -> Tensor {
                Tensor::$tensor_fn(&self, &rhs)
            }
        }
        impl $trait<f32> for &Tensor {
            type Output = Tensor;
            fn $method(self, rhs: f32) -> Tensor {
                Tensor::$scalar_fn(self, rhs)
            }
        }
        impl $trait<f32> for Tensor {
            type Output = Tensor;
            fn $method(self, rhs: f32) -> Tensor {
                Tensor::$scalar_fn(&self, rhs)
            }
        }
        impl $trait<&Tensor> for f32 {
            type Output = Tensor;
            fn $method(self, rhs: &Tensor) -> Tensor {
                let scalar_lhs: fn(f32, &Tensor) -> Tensor = $scalar_lhs;
                scalar_lhs(self, rhs)
            }
        }
        impl $trait<Tensor> for f32 {
            type Output = Tensor;
            fn $method(self, rhs: Tensor) -> Tensor {
                let scalar_lhs: fn(f32, &Tensor) -> Tensor = $scalar_lhs;
                scalar_lhs(self, &rhs)
            }
        }
    };
}

binary_operator!(Add, add, add, add_scalar, |c, t| t.add_scalar(c));
binary_operator!(Sub, sub, sub, sub_scalar, |c, t| t.neg().add_scalar(c));
binary_operator!(Mul, mul, mul, mul_scalar, |c, t| t.mul_scalar(c));
// c / t = c · t⁻¹
binary_operator!(Div, div, div, div_scalar, |c, t| t.powf(-1.0).mul_scalar(c));

impl Neg for &Tensor {
    type Output = Tensor;
    fn neg(self) -> Tensor {
        Tensor::neg(self)
    }
}

impl Neg for Tensor {
    type Output = Tensor;
    fn neg(self) -> Tensor {
        Tensor::neg(&self)
    }
}
