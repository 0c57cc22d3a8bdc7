//! The model registry: model types registered by name, built from a config string.
//!
//! - [`ModelSpec`]: `{"model_type": "mlp", ...}` or `mlp(in_dim=64)` → name + config fields;
//! - [`ModelEntry`] / [`Registry`]: the name → type table, filled at link time by `#[model]`
//!   through `inventory`, or explicitly;
//! - [`Init`]: the seeded generator a model's initial weights come from.

mod entry;
mod error;
mod model;
mod seed;
mod spec;
mod table;

pub use entry::{BuildFn, ModelEntry};
pub use error::RegistryError;
pub use model::Model;
pub use seed::{DEFAULT_SEED, Init};
pub use spec::ModelSpec;
pub use table::Registry;

#[cfg(test)]
mod spec_tests;
