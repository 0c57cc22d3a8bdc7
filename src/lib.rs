#![doc = include_str!("../README.md")]

pub use minitrainer_core::*;

/// Everything a user needs: `use minitrainer::prelude::*;`.
pub mod prelude {
    pub use minitrainer_core::Tensor;
    pub use minitrainer_core::tensor::{is_grad_enabled, no_grad, seeded_rng};
}
