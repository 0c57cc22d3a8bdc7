//! Freezing parameters by path pattern, and the trainable-vs-frozen summary.

use std::fmt;

use super::{Module, ModuleError, Param};

/// Whether parameter path `name` is selected by `pattern`: a glob (`*` = any run of
/// characters, dots included; `?` = one character) when it has wildcards, else the exact
/// parameter path or a module path prefix (`encoder` selects `encoder.*`).
pub(crate) fn matches(pattern: &str, name: &str) -> bool {
    if pattern.contains(['*', '?']) {
        return glob(pattern.as_bytes(), name.as_bytes());
    }
    name == pattern
        || (name.starts_with(pattern) && name.as_bytes().get(pattern.len()) == Some(&b'.'))
        || pattern.is_empty()
}

// Iterative wildcard matching with backtracking to the last `*` (linear in practice).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

pub(super) fn set_frozen(
    root: &dyn Module,
    pattern: &str,
    frozen: bool,
) -> Result<usize, ModuleError> {
    let params = root.named_parameters();
    let mut count = 0;
    for (name, param) in &params {
        if matches(pattern, name) {
            param.set_frozen(frozen);
            count += 1;
        }
    }
    if count == 0 {
        let names = params.iter().map(|(n, _)| n.as_str());
        let modules = root.named_modules();
        let module_names = modules.iter().map(|(n, _)| n.as_str());
        let suggestion =
            crate::suggest::did_you_mean(pattern, names.chain(module_names)).map(str::to_owned);
        return Err(ModuleError::NoMatch {
            pattern: pattern.to_owned(),
            suggestion,
        });
    }
    Ok(count)
}

/// How many parameters (tensors and elements) are trainable and how many frozen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParamSummary {
    /// Trainable parameter tensors.
    pub trainable_tensors: usize,
    /// Trainable elements.
    pub trainable: usize,
    /// Frozen parameter tensors.
    pub frozen_tensors: usize,
    /// Frozen elements.
    pub frozen: usize,
}

impl ParamSummary {
    pub(super) fn of(params: &[(String, Param)]) -> Self {
        let mut summary = ParamSummary::default();
        for (_, param) in params {
            if param.is_frozen() {
                summary.frozen_tensors += 1;
                summary.frozen += param.numel();
            } else {
                summary.trainable_tensors += 1;
                summary.trainable += param.numel();
            }
        }
        summary
    }

    /// Trainable plus frozen elements.
    pub fn total(&self) -> usize {
        self.trainable + self.frozen
    }
}

impl fmt::Display for ParamSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "trainable: {} ({} tensors), frozen: {} ({} tensors), total: {}",
            self.trainable,
            self.trainable_tensors,
            self.frozen,
            self.frozen_tensors,
            self.total()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn glob_star_crosses_dots_and_plain_paths_select_subtrees() {
        assert!(matches("encoder.*", "encoder.layers.0.weight"));
        assert!(!matches("encoder.*", "decoder.weight"));
        assert!(matches("*.bias", "head.bias"));
        assert!(!matches("*.bias", "head.weight"));
        assert!(matches("layers.?.weight", "layers.3.weight"));
        assert!(!matches("layers.?.weight", "layers.10.weight"));
        assert!(matches("encoder", "encoder.weight"));
        assert!(!matches("encoder", "encoder2.weight"));
        assert!(matches("head.weight", "head.weight"));
    }
}
