//! PyTorch's default initialisations (`torch.nn.init`), as the layers use them.

use rand::Rng;

use crate::module::Param;
use crate::tensor::Tensor;

/// `U(-1/sqrt(fan_in), 1/sqrt(fan_in))`: what PyTorch's `kaiming_uniform_(a=sqrt(5))` gives
/// for Linear weights, and its bias init. Zeros when `fan_in` is 0 (an empty layer).
pub(crate) fn uniform_fan_in<R: Rng + ?Sized>(
    shape: &[usize],
    fan_in: usize,
    rng: &mut R,
) -> Param {
    if fan_in == 0 {
        return Param::new(&Tensor::zeros(shape));
    }
    let bound = 1.0 / (fan_in as f32).sqrt();
    Param::new(&Tensor::rand_uniform(shape, -bound, bound, rng))
}

/// `N(0, 1)`, Embedding's init.
pub(crate) fn standard_normal<R: Rng + ?Sized>(shape: &[usize], rng: &mut R) -> Param {
    Param::new(&Tensor::randn(shape, 0.0, 1.0, rng))
}
