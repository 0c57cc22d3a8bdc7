//! The model registry: model types registered by name, built from a config string, saved to
//! and loaded from pretrained directories.
//!
//! - `Build` (config → model, the layer below: [`crate::build`]) is implemented by the
//!   user; `#[model(name = "mlp", config = MlpConfig)]` implements [`Registered`] and submits a
//!   [`ModelEntry`] at link time; the built-in layers are registered in `builtin.rs`;
//! - [`load`] / [`load_seeded`]: `{"model_type": "mlp", ...}` or `mlp(in_dim=64)` →
//!   `Box<dyn` [`Model`]`>`; [`ModelSpec`] is the parsed form;
//! - [`save_pretrained`] / [`from_pretrained`]: `config.json` + `model.safetensors` (the
//!   format itself is [`crate::pretrained`]);
//! - [`list_models`], [`describe`]: for tools;
//! - [`Registry`]: the table behind them — the program's ([`Registry::global`]) or an explicit
//!   one ([`register_models!`](crate::register_models)).
//!
//! # Linking: when are models in another crate found?
//!
//! `#[model]` registers through `inventory`: each registration is a constructor function placed
//! in the object file's init section (`.init_array` on ELF), run before `main`. It runs only if
//! that object file is linked into the program, and rustc links a dependency only if the
//! program *names* it: a crate listed in `Cargo.toml` but never mentioned in the code is not
//! linked at all, so its models are silently absent (loading one reports how many models are
//! registered and what to add). Naming the crate once is enough — rustc then keeps every
//! `#[used]` static of it, registrations included, even if nothing else from it is used:
//!
//! ```text
//! use my_models as _; // links my_models, so its #[model] types are registered
//! ```
//!
//! Where link-time collection does not run at all, build the table explicitly with
//! [`register_models!`](crate::register_models) and call [`Registry::load`] on it.

mod builtin;
mod configured;
mod entry;
mod error;
mod explicit;
mod load;
mod model;
mod registered;
mod spec;
mod table;

pub use configured::Configured;
pub use entry::{BuildFn, ModelEntry, SchemaFn};
pub use error::RegistryError;
pub use explicit::entry_of;
pub use load::{describe, from_pretrained, list_models, load, load_seeded, save_pretrained};
pub use model::Model;
pub use registered::Registered;
pub use spec::ModelSpec;
pub use table::Registry;

// Where these lived before the refit; the layers below own them now.
pub use crate::build::{Build, DEFAULT_SEED, Init};
pub use crate::pretrained::{CONFIG_FILE, WEIGHTS_FILE};

#[doc(hidden)]
pub use registered::{build_boxed, schema_of};

#[cfg(test)]
mod spec_tests;

/// Not public API: `save_pretrained` with a hook run before each rename, to simulate a crash.
#[doc(hidden)]
pub fn __save_pretrained_with_hook(
    model: &dyn Model,
    dir: &std::path::Path,
    before_rename: &mut dyn FnMut(&std::path::Path) -> std::io::Result<()>,
) -> Result<(), crate::Error> {
    let (model_type, config) = (model.model_type(), model.config());
    crate::pretrained::save_with_hook(dir, model_type, config, model, before_rename)
}
