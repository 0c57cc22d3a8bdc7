//! `Model`: a built model as a trait object, whatever its concrete type.
//! (Phase A placeholder: grows `Module`/`Forward` once those land.)

use std::any::Any;

/// A model built by the registry.
pub trait Model: Any + Send + Sync {
    /// The registered name of its type (`"mlp"`).
    fn model_type(&self) -> &'static str;
}
