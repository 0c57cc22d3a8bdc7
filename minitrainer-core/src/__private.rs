// Not public API. Used by code that `minitrainer-macros` generates.

pub use crate::module::{
    FieldName, Module, ModuleField, PlainData, Visitor, VisitorMut, visit_child, visit_child_mut,
};
pub use inventory;
pub use serde_json;

pub use crate::config::rules;
pub use crate::config::typestate::{IsSet, IsUnset, Set};
pub use crate::config::{
    CheckError, Config, ConfigError, ConfigValue, Constraint, FieldPath, FieldSchema,
    JsonSchemaDefs, Schema, VariantSchema, Violations, decode_and_validate, validate_tree,
};

// ---- #[model] ----------------------------------------------------------------------------
pub use crate::error::Error;
pub use crate::registry::{
    Build, Init, Model, ModelEntry, Registered, assert_config_of, build_boxed, schema_of,
};
/// The config fields handed to a model's build fn.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// The registry entry `#[model(config = C)]` submits for `M`. Its bound is the one place the
/// generated code requires `impl Build for M { type Config = C; .. }`, so a missing impl, or
/// one naming another config, is one error, which rustc puts on the `M` argument: the
/// model's name. (The generated impl and build fn only assume `Build`.)
pub const fn model_entry<M, C>() -> ModelEntry
where
    M: Registered + Build<Config = C>,
{
    M::ENTRY
}
