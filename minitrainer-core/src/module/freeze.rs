//! Freezing parameters by path pattern, and the trainable-vs-frozen summary.

use std::collections::BTreeSet;
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
    let mut count = 0;
    root.visit_parameters(&mut |name, param| {
        if matches(pattern, name) {
            param.set_frozen(frozen);
            count += 1;
        }
    });
    if count == 0 {
        // Names are only built when there is a typo to correct.
        let params = root.named_parameters();
        let names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        return Err(ModuleError::NoMatch {
            pattern: pattern.to_owned(),
            suggestion: suggest(root, pattern, &names),
        });
    }
    Ok(count)
}

/// A correction for a pattern that matches none of the parameter paths `names`.
///
/// A glob gets a glob: its misspelt segments rewritten (`layrs.*` → `layers.*`). A plain path
/// gets the closest parameter or module path, else the same segment rewrite. Either is
/// suggested only if it really matches a parameter.
pub(crate) fn suggest(root: &dyn Module, pattern: &str, names: &[&str]) -> Option<String> {
    if !pattern.contains(['*', '?']) {
        let modules = root.named_modules();
        let module_names = modules.iter().map(|(n, _)| n.as_str());
        let closest =
            crate::suggest::did_you_mean(pattern, names.iter().copied().chain(module_names));
        if let Some(closest) = closest {
            return Some(closest.to_owned());
        }
    }
    let rewritten = rewrite_segments(pattern, names);
    let useful = rewritten != pattern && names.iter().any(|name| matches(&rewritten, name));
    useful.then_some(rewritten)
}

/// `pattern` with each literal segment that names nothing replaced by the closest name
/// segment that could stand there. Wildcard segments and indices (`layers.9`) are kept.
///
/// Until the first `*` (which may span dots), pattern segment `i` can only match segment `i`
/// of a name whose earlier segments the rewritten pattern matches: those are the candidates.
/// After a `*` a segment may sit at any depth, so every segment of every name is one (as when
/// no name is in line any more).
fn rewrite_segments(pattern: &str, names: &[&str]) -> String {
    let split: Vec<Vec<&str>> = names.iter().map(|n| n.split('.').collect()).collect();
    let everywhere: BTreeSet<&str> = split.iter().flatten().copied().collect();
    // The names still in line with the rewritten prefix; `None` once a `*` is passed.
    let mut aligned: Option<Vec<&Vec<&str>>> = Some(split.iter().collect());
    let mut out: Vec<String> = Vec::new();
    for (i, segment) in pattern.split('.').enumerate() {
        let literal = !segment.contains(['*', '?']);
        let index = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
        let candidates: BTreeSet<&str> = match &aligned {
            Some(names) if !names.is_empty() => {
                names.iter().filter_map(|n| n.get(i).copied()).collect()
            }
            _ => everywhere.clone(),
        };
        let fixed = match literal && !index && !candidates.contains(segment) {
            true => crate::suggest::did_you_mean(segment, candidates.iter().copied()),
            false => None,
        };
        let fixed = fixed.unwrap_or(segment);
        aligned = match segment.contains('*') {
            true => None,
            false => aligned.map(|mut names| {
                names.retain(|n| {
                    n.get(i)
                        .is_some_and(|s| glob(fixed.as_bytes(), s.as_bytes()))
                });
                names
            }),
        };
        out.push(fixed.to_owned());
    }
    out.join(".")
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
    pub(super) fn add(&mut self, param: &Param) {
        if param.is_frozen() {
            self.frozen_tensors += 1;
            self.frozen += param.numel();
        } else {
            self.trainable_tensors += 1;
            self.trainable += param.numel();
        }
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
    use super::{matches, rewrite_segments};

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

    #[test]
    fn misspelt_segments_are_rewritten_where_they_stand() {
        let names = ["layers.0.weight", "layers.0.bias", "head.weight"];
        assert_eq!(rewrite_segments("layrs.*", &names), "layers.*");
        assert_eq!(rewrite_segments("*.wieght", &names), "*.weight");
        // Position 1 under `head` holds `weight`/`bias` only: `0` is not a typo of either.
        assert_eq!(rewrite_segments("haed.0", &names), "head.0");
        // Indices and wildcard segments are kept as written.
        assert_eq!(rewrite_segments("layers.7.bais", &names), "layers.7.bias");
        assert_eq!(rewrite_segments("lay*.?.bias", &names), "lay*.?.bias");
    }
}
