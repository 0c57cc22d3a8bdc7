//! Optimizers built by name: `adamw(lr=3e-4, weight_decay=0.01)` or
//! `{"name": "adamw", "lr": 0.0003}`, for run files and the command line.
//!
//! Entry points: [`optimizer_from_str`], [`optimizer_with_groups_from_str`]. Error policy: the text's syntax errors come from
//! [`parse_call`] (with a column) or the JSON parser (line and column), an unknown name is
//! [`OptimError::UnknownOptimizer`] with a suggestion, and every field problem comes from the
//! optimizer's config, naming the field.

use serde_json::{Map, Value};

use super::{
    Adagrad, AdagradConfig, Adam, AdamConfig, AdamW, AdamWConfig, OptimError, Optimizer,
    ParamGroup, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};
use crate::config::{Config, ConfigError, FieldPath, ViolationKind, Violations, parse_call};
use crate::module::{AsDynModule, Module};

/// The names [`optimizer_from_str`] knows.
pub const OPTIMIZERS: &[&str] = &["sgd", "adam", "adamw", "rmsprop", "adagrad"];

/// Builds an optimizer over `model`'s trainable parameters (one group) from its name and
/// hyperparameters, in the compact form `adamw(lr=3e-4, weight_decay=0.01)` or as JSON
/// `{"name": "adamw", "lr": 0.0003}`. Names are those of [`OPTIMIZERS`], in any case
/// (`AdamW` works); fields are those of the optimizer's config (`AdamWConfig`), defaults
/// filling the rest. For Adam and AdamW, PyTorch's `betas=[b1, b2]` may stand for `beta1`
/// and `beta2`.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::nn::{Linear, LinearConfig};
/// use minitrainer::optim::optimizer_from_str;
/// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
/// let opt = optimizer_from_str("adamw(lr=3e-4, betas=[0.9, 0.95])", &model)?;
/// assert_eq!((opt.name(), opt.learning_rates()), ("adamw", vec![3e-4]));
/// let opt = optimizer_from_str(r#"{"name": "sgd", "lr": 0.1, "momentum": 0.9}"#, &model)?;
/// assert_eq!(opt.name(), "sgd");
///
/// let err = optimizer_from_str("adamm(lr=1e-3)", &model).unwrap_err();
/// assert!(err.to_string().contains(r#"did you mean "adam"?"#));
/// let err = optimizer_from_str("adam(lr=-1)", &model).unwrap_err();
/// assert!(err.to_string().contains("lr"));
/// # Ok::<(), minitrainer::optim::OptimError>(())
/// ```
///
/// # Errors
/// - [`OptimError::Spec`] for malformed compact text, [`OptimError::Config`] for malformed
///   JSON, a missing `"name"`, or a field that is unknown, of the wrong type or breaks its
///   rule (named);
/// - [`OptimError::UnknownOptimizer`] with a did-you-mean and the known names;
/// - as the optimizer's `new` ([`OptimError::NoParameters`]).
pub fn optimizer_from_str<M: Module + ?Sized>(
    text: &str,
    model: &M,
) -> Result<Box<dyn Optimizer>, OptimError> {
    optimizer_with_groups_from_str(text, model, [])
}

/// [`optimizer_from_str`] with parameter groups (as each optimizer's `with_groups`: each
/// trainable parameter joins the first group whose pattern matches its path, the rest form
/// group 0 with the text's hyperparameters).
///
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::nn::{Linear, LinearConfig};
/// use minitrainer::optim::{ParamGroup, optimizer_with_groups_from_str};
/// let model = Linear::build(&LinearConfig::new(4, 2), &mut Init::seeded(0));
/// let groups = [ParamGroup::new("bias").lr(0.1)];
/// let opt = optimizer_with_groups_from_str("adam(lr=1e-3)", &model, groups)?;
/// assert_eq!(opt.learning_rates(), vec![1e-3, 0.1]);
/// # Ok::<(), minitrainer::optim::OptimError>(())
/// ```
///
/// # Errors
/// As [`optimizer_from_str`], and as `with_groups` for a pattern that matches nothing.
pub fn optimizer_with_groups_from_str<M: Module + ?Sized>(
    text: &str,
    model: &M,
    groups: impl IntoIterator<Item = ParamGroup>,
) -> Result<Box<dyn Optimizer>, OptimError> {
    // Generic, so compiled in the user's crate: only the conversions stay here, the factory
    // (five optimizers' constructors) is compiled once, in this crate.
    let groups: Vec<ParamGroup> = groups.into_iter().collect();
    optimizer_from_spec(text, AsDynModule::as_dyn_module(model), groups)
}

/// [`optimizer_with_groups_from_str`] without generics.
fn optimizer_from_spec(
    text: &str,
    model: &dyn Module,
    groups: Vec<ParamGroup>,
) -> Result<Box<dyn Optimizer>, OptimError> {
    let (name, mut fields) = if text.trim_start().starts_with('{') {
        named_object(text)?
    } else {
        parse_call(text, "optimizer", "adamw(lr=3e-4)")?
    };
    let lower = name.to_ascii_lowercase();
    if lower == "adam" || lower == "adamw" {
        split_betas(&mut fields)?;
    }
    let fields = Value::Object(fields);
    Ok(match lower.as_str() {
        "sgd" => Box::new(Sgd::with_groups(
            model,
            SgdConfig::from_value(fields)?,
            groups,
        )?),
        "adam" => Box::new(Adam::with_groups(
            model,
            AdamConfig::from_value(fields)?,
            groups,
        )?),
        "adamw" => Box::new(AdamW::with_groups(
            model,
            AdamWConfig::from_value(fields)?,
            groups,
        )?),
        "rmsprop" => Box::new(RmsProp::with_groups(
            model,
            RmsPropConfig::from_value(fields)?,
            groups,
        )?),
        "adagrad" => Box::new(Adagrad::with_groups(
            model,
            AdagradConfig::from_value(fields)?,
            groups,
        )?),
        _ => {
            let suggestion = crate::suggest::did_you_mean(&lower, OPTIMIZERS.iter().copied());
            return Err(OptimError::UnknownOptimizer {
                name,
                suggestion: suggestion.map(str::to_owned),
                known: OPTIMIZERS.to_vec(),
            });
        }
    })
}

/// `{"name": "adamw", ...}` → the name and the other fields.
pub(crate) fn named_object(text: &str) -> Result<(String, Map<String, Value>), ConfigError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::from_json_error(&e))?;
    let root = FieldPath::root();
    let mut errors = Violations::new();
    let Value::Object(mut fields) = value else {
        errors.wrong_type(&root, "an object with a \"name\"".into(), &value);
        return Err(ConfigError::Invalid(errors));
    };
    match fields.remove("name") {
        Some(Value::String(name)) => Ok((name, fields)),
        Some(other) => {
            errors.wrong_type(&root.field("name"), "a name".into(), &other);
            Err(ConfigError::Invalid(errors))
        }
        None => {
            errors.missing(&root.field("name"));
            Err(ConfigError::Invalid(errors))
        }
    }
}

/// PyTorch's `betas=[b1, b2]` → `beta1`, `beta2`.
fn split_betas(fields: &mut Map<String, Value>) -> Result<(), ConfigError> {
    let Some(betas) = fields.remove("betas") else {
        return Ok(());
    };
    let root = FieldPath::root();
    let mut errors = Violations::new();
    match betas.as_array().map(Vec::as_slice) {
        Some([beta1, beta2]) if !fields.contains_key("beta1") && !fields.contains_key("beta2") => {
            fields.insert("beta1".into(), beta1.clone());
            fields.insert("beta2".into(), beta2.clone());
            return Ok(());
        }
        Some([_, _]) => errors.push(
            &root.field("betas"),
            ViolationKind::Check {
                fields: vec!["betas".into(), "beta1".into(), "beta2".into()],
                message: "give either `betas` or `beta1`/`beta2`, not both".into(),
            },
        ),
        _ => errors.wrong_type(&root.field("betas"), "[beta1, beta2]".into(), &betas),
    }
    Err(ConfigError::Invalid(errors))
}
