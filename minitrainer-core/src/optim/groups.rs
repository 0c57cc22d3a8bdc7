//! Parameter groups by path pattern: PyTorch's `param_groups`, chosen by name instead of by
//! listing tensors.
//!
//! Entry point: [`ParamGroup`] (a pattern and its overrides) and `assign`, which sorts a
//! model's trainable parameters into groups. The rule: a parameter joins the **first** group
//! whose pattern matches it; the parameters no pattern matches form the default group, which
//! is group 0 (the given groups are 1, 2, … in order). Frozen parameters join no group. A
//! pattern that matches no trainable parameter is an error with a suggestion (a typo would
//! otherwise silently train with the wrong hyperparameters).

use super::OptimError;
use crate::module::{Module, Param, path_matches as matches};

/// A parameter group: the parameters whose path matches `pattern`, with their own learning
/// rate and/or weight decay (the optimizer's config gives everything else).
///
/// Patterns are those of [`Module::freeze`]: a glob where `*` matches any run of characters
/// (dots included) and `?` one character (`"*.bias"`, `"encoder.*"`), or a plain path naming
/// one parameter or a whole subtree (`"encoder"`).
///
/// # Examples
/// The two usual recipes: no weight decay on biases and norm weights, a lower learning rate
/// for a pretrained encoder.
/// ```
/// use minitrainer_core::optim::ParamGroup;
/// let groups = [
///     ParamGroup::new("*.bias").weight_decay(0.0),
///     ParamGroup::new("*norm*").weight_decay(0.0),
///     ParamGroup::new("encoder.*").lr(1e-4),
/// ];
/// assert_eq!(groups[2].pattern(), "encoder.*");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ParamGroup {
    pattern: String,
    lr: Option<f64>,
    weight_decay: Option<f64>,
}

impl ParamGroup {
    /// A group of the parameters matching `pattern`, with the optimizer's hyperparameters
    /// until overridden.
    pub fn new(pattern: impl Into<String>) -> Self {
        ParamGroup {
            pattern: pattern.into(),
            lr: None,
            weight_decay: None,
        }
    }

    /// This group's learning rate (checked by the config's `lr` rule when the optimizer is
    /// built).
    #[must_use]
    pub fn lr(mut self, lr: f64) -> Self {
        self.lr = Some(lr);
        self
    }

    /// This group's weight decay (checked by the config's `weight_decay` rule when the
    /// optimizer is built).
    #[must_use]
    pub fn weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = Some(weight_decay);
        self
    }

    /// The pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The learning rate override, if any.
    pub fn lr_override(&self) -> Option<f64> {
        self.lr
    }

    /// The weight decay override, if any.
    pub fn weight_decay_override(&self) -> Option<f64> {
        self.weight_decay
    }
}

/// The trainable parameters of `model`, sorted into the default group (index 0) and one per
/// `groups` entry (index i + 1), each in field order.
///
/// # Errors
/// [`OptimError::NoParameters`] when nothing is trainable; [`OptimError::NoMatch`] for a
/// pattern matching no trainable parameter; [`OptimError::ShadowedGroup`] for a pattern whose
/// parameters all joined earlier groups.
pub(crate) fn assign(
    model: &dyn Module,
    groups: &[ParamGroup],
) -> Result<Vec<Vec<(String, Param)>>, OptimError> {
    let trainable: Vec<(String, Param)> = model
        .named_parameters()
        .into_iter()
        .filter(|(_, param)| !param.is_frozen())
        .collect();
    if trainable.is_empty() {
        return Err(OptimError::NoParameters);
    }
    for group in groups {
        if !trainable
            .iter()
            .any(|(name, _)| matches(&group.pattern, name))
        {
            return Err(no_match(model, &trainable, &group.pattern));
        }
    }
    let mut sorted = vec![Vec::new(); groups.len() + 1];
    for (name, param) in trainable {
        let index = groups
            .iter()
            .position(|group| matches(&group.pattern, &name))
            .map_or(0, |i| i + 1);
        sorted[index].push((name, param));
    }
    for (i, group) in groups.iter().enumerate() {
        if sorted[i + 1].is_empty() {
            // Some earlier group matched each of its parameters; name the first one.
            let earlier = groups[..i]
                .iter()
                .find(|g| sorted_matches(&sorted, &g.pattern, &group.pattern))
                .map_or_else(String::new, |g| g.pattern.clone());
            return Err(OptimError::ShadowedGroup {
                pattern: group.pattern.clone(),
                earlier,
            });
        }
    }
    Ok(sorted)
}

/// Whether some parameter matched by `shadowed` is matched by `earlier` too.
fn sorted_matches(sorted: &[Vec<(String, Param)>], earlier: &str, shadowed: &str) -> bool {
    sorted
        .iter()
        .flatten()
        .any(|(name, _)| matches(shadowed, name) && matches(earlier, name))
}

/// The error for a pattern that matches no trainable parameter, with `freeze`'s suggestion: a
/// pattern that does match (`layrs.*` → `layers.*`).
fn no_match(model: &dyn Module, trainable: &[(String, Param)], pattern: &str) -> OptimError {
    let names: Vec<&str> = trainable.iter().map(|(name, _)| name.as_str()).collect();
    let suggestion = crate::module::suggest_pattern(model, pattern, &names);
    OptimError::NoMatch {
        pattern: pattern.to_owned(),
        suggestion,
    }
}
