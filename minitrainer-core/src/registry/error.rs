//! Errors of the model registry: spec syntax, unknown or duplicate model types.

/// Building a model by name failed before its config was validated, or the registry itself is
/// inconsistent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The compact form (`mlp(in_dim=64)`) is malformed.
    #[error(
        "malformed model spec at column {column}: {message}{}",
        crate::config::Snippet { input, column: *column }
    )]
    Syntax {
        /// The whole text given.
        input: String,
        /// 1-based column (in characters) where the problem starts.
        column: usize,
        /// What was wrong and what was expected there.
        message: String,
    },

    /// The JSON form is not valid JSON.
    #[error("malformed JSON model spec: {0}")]
    Json(#[source] serde_json::Error),

    /// The JSON form is valid JSON but not an object.
    #[error(
        "a JSON model spec must be an object with a \"model_type\" key, e.g. \
         {{\"model_type\": \"mlp\", \"in_dim\": 64}}; got {found}"
    )]
    NotAnObject {
        /// What it is instead ("a list", "a number", ...).
        found: &'static str,
    },

    /// The JSON form has no `"model_type"`, or it is not a string.
    #[error("{}", missing_model_type(.found.as_deref(), .keys))]
    MissingModelType {
        /// The non-string value found under `model_type`, if any.
        found: Option<String>,
        /// The keys the object does have.
        keys: Vec<String>,
    },

    /// No model is registered under this name.
    #[error("{}", unknown_model(.name, .suggestion.as_deref(), .registered))]
    UnknownModel {
        /// The name asked for.
        name: String,
        /// The closest registered name, when one is close enough to be a typo.
        suggestion: Option<&'static str>,
        /// Every registered name, sorted.
        registered: Vec<&'static str>,
    },

    /// Two or more types were registered under one name.
    #[error(
        "model type \"{name}\" is registered by {} types: {}; rename all but one \
         (#[model(name = \"...\")]){}",
        types.len(),
        quoted_types(types),
        if *others > 0 { format!(" ({others} more names are registered twice)") } else { String::new() }
    )]
    DuplicateModel {
        /// The name registered twice.
        name: &'static str,
        /// Every type registered under it (at least two), sorted.
        types: Vec<&'static str>,
        /// How many other names are also registered more than once.
        others: usize,
    },

    /// A typed constructor (`Mlp::from_config_str`) was given a spec for another model type.
    #[error(
        "this config is for model type \"{found}\", but `{type_name}` is registered as \"{expected}\""
    )]
    WrongModelType {
        /// The name the type is registered under.
        expected: &'static str,
        /// The Rust type asked for.
        type_name: &'static str,
        /// The `model_type` in the spec.
        found: String,
    },

    /// `forward` on a `Box<dyn Model>` whose model does not map a tensor to a tensor.
    #[error(
        "model type \"{model_type}\" (`{type_path}`) does not map a Tensor to a Tensor, so it \
         can't be called through `Box<dyn Model>`; downcast it \
         (`model.downcast_ref::<Type>()`) and call its own `forward`"
    )]
    NotATensorModel {
        /// The registered name.
        model_type: &'static str,
        /// The Rust type.
        type_path: &'static str,
    },
}

impl From<crate::config::CallSyntaxError> for RegistryError {
    fn from(error: crate::config::CallSyntaxError) -> Self {
        RegistryError::Syntax {
            input: error.input,
            column: error.column,
            message: error.message,
        }
    }
}

fn missing_model_type(found: Option<&str>, keys: &[String]) -> String {
    match found {
        Some(found) => {
            format!("\"model_type\" must be a string naming a registered model, got {found}")
        }
        None => {
            let keys = if keys.is_empty() {
                "no keys".to_string()
            } else {
                format!("keys {}", quoted(keys.iter().map(String::as_str)))
            };
            format!(
                "missing \"model_type\": the config must say which model it is for, e.g. \
                 {{\"model_type\": \"mlp\", ...}} (it has {keys})"
            )
        }
    }
}

const LINK_HINT: &str = "models are registered by `#[model]` when their crate is linked into \
     the program; if the model lives in another crate that this program never names, add \
     `use that_crate as _;` to it (or register it explicitly with `minitrainer::register_models!`)";

fn unknown_model(name: &str, suggestion: Option<&str>, registered: &[&str]) -> String {
    let mut message = format!("unknown model type \"{name}\"");
    if let Some(suggestion) = suggestion {
        message += &format!("; did you mean \"{suggestion}\"?");
    }
    if registered.is_empty() {
        message += &format!("; no models are registered at all: {LINK_HINT}");
    } else {
        message += &format!(
            " ({} registered: {})",
            registered.len(),
            quoted(registered.iter().copied())
        );
        if suggestion.is_none() {
            message += &format!(". Note: {LINK_HINT}");
        }
    }
    message
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quoted_types(types: &[&str]) -> String {
    types
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}
