//! PyTorch's default initialisations (`torch.nn.init`), as the built-in layers use them; public
//! so that a user's own layer initialises the way PyTorch's would.
//!
//! ```
//! # use minitrainer_core as minitrainer;
//! use minitrainer::build::{Init, initializers};
//! let mut init = Init::seeded(0);
//! let weight = initializers::uniform_fan_in(&[8, 16], 16, &mut init); // U(-1/4, 1/4)
//! assert!(weight.to_vec().iter().all(|v| v.abs() <= 0.25));
//! ```

use super::Init;
use crate::module::Param;
use crate::tensor::Tensor;

/// `U(-1/sqrt(fan_in), 1/sqrt(fan_in))`: what PyTorch's `kaiming_uniform_(a=sqrt(5))` gives
/// for Linear weights, and its bias init. Zeros when `fan_in` is 0 (an empty layer).
///
/// # Panics
/// When a tensor of `shape` can't be allocated.
pub fn uniform_fan_in(shape: &[usize], fan_in: usize, init: &mut Init) -> Param {
    if fan_in == 0 {
        return Param::new(&Tensor::zeros(shape));
    }
    let bound = 1.0 / (fan_in as f32).sqrt();
    Param::new(&Tensor::rand_uniform(shape, -bound, bound, init.rng()))
}

/// `N(0, 1)`, Embedding's init.
///
/// # Panics
/// When a tensor of `shape` can't be allocated.
pub fn standard_normal(shape: &[usize], init: &mut Init) -> Param {
    Param::new(&Tensor::randn(shape, 0.0, 1.0, init.rng()))
}
