//! Runtime of [minitrainer](https://docs.rs/minitrainer): tensors with reverse-mode autograd,
//! the `Module` machinery, validated configs and the built-in layers.
//!
//! Users depend on the `minitrainer` facade crate, which re-exports this crate and the derive
//! macros; depend on `minitrainer-core` directly only to avoid the macros.

// Generated code names the runtime `::minitrainer::__private`; this makes that path resolve
// inside this crate too, so core can derive its own layers.
extern crate self as minitrainer;

pub mod config;
pub mod error;
pub mod io;
pub mod module;
pub mod nn;
pub mod registry;
pub mod suggest;
pub mod tensor;

pub use error::{Error, Result};
pub use tensor::Tensor;

#[doc(hidden)]
pub mod __private;
