//! Which model types a config type belongs to, so `MlpConfig::from_json` accepts the
//! `config.json` that `save_pretrained` wrote (`{"model_type": "mlp", ...}`).
//!
//! `#[model(name = "mlp", config = MlpConfig)]` submits a [`ModelTypeOf`] at link time. It
//! lives here, in the config layer, rather than being read off the registry's entries, because
//! configs sit below the registry and must not reach up to it. Alternative rejected: ignoring
//! any `model_type` key (a config.json of another model would then read silently if its fields
//! happened to fit).

use std::any::TypeId;

use serde_json::Value;

use super::{ConfigError, FieldPath, ViolationKind, Violations};

/// Not public API: one `(model type, config type)` pair, submitted by `#[model]`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct ModelTypeOf {
    /// The registered model type (`"mlp"`).
    pub model_type: &'static str,
    /// The config's `TypeId` (a fn: `TypeId::of` is not const).
    pub config: fn() -> TypeId,
}

inventory::collect!(ModelTypeOf);

/// Not public API: `TypeId::of::<T>` as a plain `fn`, for [`ModelTypeOf::config`].
#[doc(hidden)]
pub fn type_id_of<T: 'static>() -> TypeId {
    TypeId::of::<T>()
}

/// The model types registered with the config of `TypeId` `config`, sorted.
fn model_types_of(config: TypeId) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = inventory::iter::<ModelTypeOf>
        .into_iter()
        .filter(|entry| (entry.config)() == config)
        .map(|entry| entry.model_type)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Removes a top-level `"model_type"` from `value` when it names a model built from `T`; an
/// error when it names another. Left in place (an unknown field, reported by decoding) when no
/// model is registered with `T`.
pub(super) fn accept_own<T: 'static>(value: &mut Value) -> Result<(), ConfigError> {
    // Instantiated once per config type: everything but the two type queries is in
    // `accept_model_type`, compiled once.
    accept_model_type(value, TypeId::of::<T>(), std::any::type_name::<T>())
}

/// [`accept_own`] for the config whose `TypeId` is `config` and type name `type_name`.
fn accept_model_type(
    value: &mut Value,
    config: TypeId,
    type_name: &'static str,
) -> Result<(), ConfigError> {
    let Value::Object(fields) = value else {
        return Ok(());
    };
    let Some(found) = fields.get("model_type") else {
        return Ok(());
    };
    let expected = model_types_of(config);
    if expected.is_empty() {
        return Ok(());
    }
    if found.as_str().is_some_and(|name| expected.contains(&name)) {
        fields.remove("model_type");
        return Ok(());
    }
    let mut errors = Violations::new();
    errors.push(
        &FieldPath::root().field("model_type"),
        ViolationKind::WrongModelType {
            found: found.to_string(),
            config: short_type_name(type_name),
            expected,
        },
    );
    errors.into_result()
}

/// `my_crate::configs::MlpConfig` → `MlpConfig`.
fn short_type_name(full: &'static str) -> &'static str {
    full.rsplit("::").next().unwrap_or(full)
}
