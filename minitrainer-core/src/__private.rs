// Not public API. Used by code that `minitrainer-macros` generates.

pub use crate::module::{
    FieldName, Module, ModuleField, ParamCollector, PlainData, Visitor, VisitorMut, collect_child,
    visit_child, visit_child_mut,
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
pub use crate::build::Init;
pub use crate::config::{ModelTypeOf, type_id_of};
pub use crate::error::Error;
pub use crate::module::Layer;
pub use crate::registry::{Build, Model, ModelEntry, Registered, build_boxed, schema_of};
/// The config fields handed to a model's build fn.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// `(&LayerProbe(model)).probe()` is `Some(model as &dyn Layer)` when the model's forward maps a
/// tensor to a tensor, `None` otherwise: autoref specialisation, resolved on the concrete type
/// `#[model]` names (the `Layer` impl is preferred because it needs one reference fewer).
pub struct LayerProbe<'a, T>(pub &'a T);

/// The preferred probe: the model is a [`Layer`].
pub trait ProbeLayer<'a> {
    /// The model as a layer.
    fn probe(&self) -> Option<&'a dyn Layer>;
}

impl<'a, T: Layer> ProbeLayer<'a> for LayerProbe<'a, T> {
    fn probe(&self) -> Option<&'a dyn Layer> {
        Some(self.0)
    }
}

/// The fallback probe: any other model.
pub trait ProbeOther<'a> {
    /// `None`: not a layer.
    fn probe(&self) -> Option<&'a dyn Layer>;
}

impl<'a, T> ProbeOther<'a> for &LayerProbe<'a, T> {
    fn probe(&self) -> Option<&'a dyn Layer> {
        None
    }
}

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
