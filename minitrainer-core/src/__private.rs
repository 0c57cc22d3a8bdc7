// Not public API. Used by code that `minitrainer-macros` generates.

pub use crate::module::{
    FieldName, Module, ModuleField, PlainData, Visitor, VisitorMut, visit_child, visit_child_mut,
};
pub use inventory;
pub use serde_json;
