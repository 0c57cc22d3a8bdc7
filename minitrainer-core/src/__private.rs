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
