// "did you mean" for misspelt attribute keys and variant names; `attr::unknown_key` is the one
// place that reports an unknown attribute key with it.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// "unknown X attribute `k`; expected one of `a`, `b` (did you mean `a`?)".
pub fn unknown_key_message(what: &str, key: &str, candidates: &[&str]) -> String {
    let list = candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match did_you_mean(key, candidates) {
        Some(close) => {
            format!(
                "unknown {what} attribute `{key}`; did you mean `{close}`? expected one of {list}"
            )
        }
        None => format!("unknown {what} attribute `{key}`; expected one of {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["default", "min", "max", "range", "non_empty"];
        assert_eq!(did_you_mean("mni", &keys), Some("min"));
        assert_eq!(did_you_mean("defualt", &keys), Some("default"));
        assert_eq!(did_you_mean("validate_everything", &keys), None);
    }
}
