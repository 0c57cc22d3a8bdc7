//! The `Module` machinery: traversal and naming of parameters, train/eval, state dicts.
//! (Placeholder: filled in by the Module issue.)

mod plain_data;

pub use plain_data::PlainData;

/// A module operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModuleError {}
