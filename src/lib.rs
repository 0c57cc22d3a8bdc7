#![doc = include_str!("../README.md")]

pub use minitrainer_core::*;
pub use minitrainer_macros::model;

/// Everything a user needs: `use minitrainer::prelude::*;`.
pub mod prelude {
    pub use minitrainer_core::Tensor;
}
