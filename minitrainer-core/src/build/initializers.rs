//! PyTorch's default initialisations (`torch.nn.init`), as the built-in layers use them; public
//! so that a user's own layer initialises the way PyTorch's would.
//!
//! Each allocates through [`Init`], fallibly: `what` names the tensor (`"linear.weight"`) in
//! the error when it does not fit in memory, which [`Build::try_build`](super::Build::try_build)
//! and the registry return, and a direct `build` panics with.
//!
//! ```
//! # use minitrainer_core as minitrainer;
//! use minitrainer::build::{Init, initializers};
//! let mut init = Init::seeded(0);
//! let weight = initializers::uniform_fan_in("my_layer.weight", &[8, 16], 16, &mut init); // U(-1/4, 1/4)
//! assert!(weight.to_vec().iter().all(|v| v.abs() <= 0.25));
//! ```

use ndarray::ArrayD;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, Uniform};

use super::Init;
use crate::module::Param;

/// `U(-1/sqrt(fan_in), 1/sqrt(fan_in))`: what PyTorch's `kaiming_uniform_(a=sqrt(5))` gives
/// for Linear weights, and its bias init. Zeros when `fan_in` is 0 (an empty layer).
///
/// # Panics
/// When a tensor of `shape` can't be allocated, outside a fallible build (see the module docs).
pub fn uniform_fan_in(what: &str, shape: &[usize], fan_in: usize, init: &mut Init) -> Param {
    if fan_in == 0 {
        return constant(what, shape, 0.0, init);
    }
    let bound = 1.0 / (fan_in as f32).sqrt();
    // `bound` is positive and finite for every `fan_in` >= 1.
    let uniform = Uniform::new(-bound, bound)
        .unwrap_or_else(|e| panic!("uniform_fan_in: invalid range ±{bound}: {e}"));
    Param::from_array(filled(what, shape, init, |rng| uniform.sample(rng)))
}

/// `N(0, 1)`, Embedding's init.
///
/// # Panics
/// When a tensor of `shape` can't be allocated, outside a fallible build (see the module docs).
pub fn standard_normal(what: &str, shape: &[usize], init: &mut Init) -> Param {
    let normal = Normal::new(0.0, 1.0).unwrap_or_else(|e| panic!("standard_normal: {e}"));
    Param::from_array(filled(what, shape, init, |rng| normal.sample(rng)))
}

/// Every element `value` (`init.ones_`, `init.zeros_`): the norms' weights and biases. Draws
/// nothing from the generator.
///
/// # Panics
/// When a tensor of `shape` can't be allocated, outside a fallible build (see the module docs).
pub fn constant(what: &str, shape: &[usize], value: f32, init: &mut Init) -> Param {
    Param::from_array(filled(what, shape, init, |_| value))
}

/// An array of `shape` whose elements `fill` gives in row-major order (drawing from the
/// generator it is handed), allocated fallibly: the building block of the others, also for
/// buffers (`Buffer::new(filled("batch_norm1d.running_mean", &[c], init, |_| 0.0))`).
///
/// # Panics
/// When it can't be allocated, outside a fallible build (see the module docs).
pub fn filled(
    what: &str,
    shape: &[usize],
    init: &mut Init,
    fill: impl FnMut(&mut StdRng) -> f32,
) -> ArrayD<f32> {
    init.filled(what, shape, fill)
}
