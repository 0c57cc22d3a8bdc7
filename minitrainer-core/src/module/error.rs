//! Errors of module operations: submodule lookup, freezing by pattern, state dict loading,
//! hook registration.

use std::fmt;

/// A module operation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModuleError {
    /// `get_submodule` (or a hook registration) named a path that does not exist.
    #[error(
        "no submodule `{missing}` in `{parent}` (looking up `{path}`){}; children are: {}",
        suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default(),
        list(available)
    )]
    NoSubmodule {
        /// The full path asked for.
        path: String,
        /// The first segment that was not found.
        missing: String,
        /// The path of the module that lacks it (`""` for the root).
        parent: String,
        /// The children `parent` does have.
        available: Vec<String>,
        /// The closest child name, when it looks like a typo.
        suggestion: Option<String>,
    },

    /// `freeze` / `unfreeze` with a pattern that matches no parameter.
    #[error(
        "pattern `{pattern}` matches no parameter{}",
        suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
    )]
    NoMatch {
        /// The pattern given.
        pattern: String,
        /// The closest parameter or module path, when it looks like a typo.
        suggestion: Option<String>,
    },

    /// A strict `load_state_dict` found keys that do not fit; the model was left unchanged.
    #[error("state dict does not fit the model (nothing was loaded): {report}")]
    StateDict {
        /// What did not fit.
        report: super::LoadReport,
    },

    /// `load_generator_states` was given states that do not fit the model's generators; no
    /// generator was changed.
    #[error(
        "generator states do not fit the model (nothing was loaded): missing {}, unexpected {}",
        list(missing),
        list(unexpected)
    )]
    GeneratorStates {
        /// Generators of the model with no state given.
        missing: Vec<String>,
        /// States given for generators the model does not have.
        unexpected: Vec<String>,
    },

    /// A hook was registered on a zero-sized module, which has no address of its own to be
    /// recognised by when it runs.
    #[error(
        "cannot hook `{path}`: a zero-sized module (`{type_name}`) can't be told apart from its \
         neighbours; hook its parent instead"
    )]
    ZeroSizedHookTarget {
        /// The path given.
        path: String,
        /// The module's type name.
        type_name: String,
    },
}

pub(crate) fn list(items: &[String]) -> ListDisplay<'_> {
    ListDisplay(items)
}

/// Displays names as `` `a`, `b` `` or `(none)`.
pub(crate) struct ListDisplay<'a>(&'a [String]);

impl fmt::Display for ListDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(none)");
        }
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{item}`")?;
        }
        Ok(())
    }
}
