//! `ModelEntry`: one registered model type, as `#[model]` submits it to `inventory`.

use serde_json::{Map, Value};

use super::model::Model;
use crate::Error;
use crate::build::Init;
use crate::config::Schema;

/// Builds a model from its (unvalidated) config fields: parses and validates the config, builds
/// the model and boxes it with its config.
pub type BuildFn = fn(fields: Map<String, Value>, init: &mut Init) -> Result<Box<dyn Model>, Error>;

/// The schema of a model's config.
pub type SchemaFn = fn() -> Schema;

/// One registered model type: its name, its Rust type and how to build it.
///
/// `#[model(name = "mlp", config = MlpConfig)]` submits one of these to the link-time
/// collection (`inventory`) and exposes it as [`Registered::ENTRY`](super::Registered::ENTRY);
/// [`Registry::register`](super::Registry::register) takes one explicitly. Every field is a
/// constant (a `&'static str` or a named `fn`), because `inventory::submit!` needs a const
/// expression.
#[derive(Clone, Copy, Debug)]
pub struct ModelEntry {
    /// The `model_type`, e.g. `"mlp"`.
    pub name: &'static str,
    /// The Rust type, with its module path, for error messages (`my_models::Mlp`).
    pub type_name: &'static str,
    /// Builds the model from its config fields.
    pub build: BuildFn,
    /// The config's schema, for `describe`.
    pub schema: SchemaFn,
}

inventory::collect!(ModelEntry);

/// Every entry submitted with `inventory::submit!` in the linked program.
pub(crate) fn submitted() -> impl Iterator<Item = &'static ModelEntry> {
    inventory::iter::<ModelEntry>.into_iter()
}
