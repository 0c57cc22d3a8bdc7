//! Runtime of [minitrainer](https://docs.rs/minitrainer): tensors with reverse-mode autograd,
//! the `Module` machinery, validated configs, the built-in layers, weight files, the pretrained
//! directory format and the model registry.
//!
//! Layers, bottom to top (each uses only the ones before it): [`threads`] → [`tensor`] →
//! [`module`], [`config`] → [`build`] → [`nn`], [`metrics`], [`data`] → [`weights`] →
//! [`optim`] → [`pretrained`] → [`registry`] → [`distributed`] → [`train`]. See
//! `ARCHITECTURE.md` for the files and how a training step flows through them.
//!
//! Users depend on the `minitrainer` facade crate, which re-exports this crate and the derive
//! macros; depend on `minitrainer-core` directly only to avoid the macros.

// Generated code names the runtime `::minitrainer::__private`; this makes that path resolve
// inside this crate too, so core can derive its own layers.
extern crate self as minitrainer;

pub mod build;
pub mod config;
pub mod data;
pub mod distributed;
pub mod error;
pub mod metrics;
pub mod module;
pub mod nn;
pub mod optim;
pub mod pretrained;
pub mod registry;
pub mod suggest;
pub mod tensor;
pub mod threads;
pub mod train;
pub mod weights;

/// The weight files' module under its old name.
#[deprecated(since = "0.2.0", note = "renamed `weights`: it holds weight files")]
pub mod io {
    pub use crate::weights::*;
}

/// The `ndarray` version minitrainer's API uses (`Tensor::from_array`, gradients).
pub use ndarray;

pub use error::{Error, Result};
pub use tensor::Tensor;
pub use threads::{num_threads, set_num_threads};

#[doc(hidden)]
pub mod __private;
