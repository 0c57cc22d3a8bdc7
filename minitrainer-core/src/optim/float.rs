//! `Float`: the two element types the update kernels run on.
//!
//! The kernels are written once, generic over `f32` (the parameters) and `f64` (the float64
//! reference runs of PyTorch, which pin the operation order far more tightly than 2 ulps of
//! f32 can). PyTorch computes its scalars (`lr / bias_correction1`, `1 - beta2`) in Python
//! floats and casts them to the tensor's dtype when an op uses them; [`Float::of`] is that
//! cast. A private trait rather than `num-traits`: the kernels need six operations.

use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

use super::lanes::{AdamLanes, add_scaled_f32, add_scaled_scalar, run_f32};

/// A floating-point element type of parameters and optimizer state.
pub(crate) trait Float:
    Copy
    + Debug
    + PartialOrd
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The scalar `x` cast to this type (round to nearest, as PyTorch's scalar cast).
    fn of(x: f64) -> Self;

    /// The correctly rounded square root (`torch.sqrt`).
    fn sqrt(self) -> Self;

    /// `torch.maximum`: the larger value, NaN when either is NaN (unlike `f32::max`).
    fn max_or_nan(self, other: Self) -> Self;

    /// `param ← param + alpha·grad` (plain SGD's step), vectorized at run time for `f32`.
    fn add_scaled(param: &mut [Self], grad: &[Self], alpha: Self);

    /// Adam's branch-free loop ([`AdamLanes::run_scalar`]), vectorized at run time for `f32`.
    fn adam_lanes<const DECAY: bool>(
        lanes: &AdamLanes<Self>,
        param: &mut [Self],
        grad: &[Self],
        m: &mut [Self],
        v: &mut [Self],
    );
}

macro_rules! float {
    ($ty:ty, $add_scaled:expr, $adam_lanes:expr) => {
        impl Float for $ty {
            #[allow(clippy::cast_possible_truncation)]
            fn of(x: f64) -> Self {
                x as $ty
            }
            fn sqrt(self) -> Self {
                <$ty>::sqrt(self)
            }
            fn max_or_nan(self, other: Self) -> Self {
                if self.is_nan() || other.is_nan() {
                    <$ty>::NAN
                } else if other > self {
                    other
                } else {
                    self
                }
            }
            fn add_scaled(param: &mut [Self], grad: &[Self], alpha: Self) {
                $add_scaled(param, grad, alpha);
            }
            fn adam_lanes<const DECAY: bool>(
                lanes: &AdamLanes<Self>,
                param: &mut [Self],
                grad: &[Self],
                m: &mut [Self],
                v: &mut [Self],
            ) {
                $adam_lanes(lanes, param, grad, m, v);
            }
        }
    };
}

float!(f32, add_scaled_f32, run_f32::<DECAY>);
float!(f64, add_scaled_scalar, AdamLanes::run_scalar::<DECAY>);

/// `torch.lerp(start, end, weight)` for one element, as ATen computes it: from the start for
/// small weights, from the end otherwise, so that weight 1 gives `end` exactly.
pub(crate) fn lerp<T: Float>(start: T, end: T, weight: T) -> T {
    // |weight| < 0.5
    if weight < T::of(0.5) && weight > T::of(-0.5) {
        start + weight * (end - start)
    } else {
        end - (end - start) * (T::of(1.0) - weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_or_nan_propagates_nan_and_lerp_hits_its_ends() {
        assert!(1.0f32.max_or_nan(f32::NAN).is_nan());
        assert_eq!(2.0f64.max_or_nan(-3.0), 2.0);
        assert_eq!(lerp(0.3f32, 0.7, 1.0), 0.7);
        assert_eq!(lerp(0.3f64, 0.7, 0.0), 0.3);
        // weight 0.75 is computed from the end: 1 - (1 - 0)·0.25
        assert_eq!(lerp(0.0f64, 1.0, 0.75), 0.75);
    }
}
