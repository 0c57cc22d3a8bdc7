//! "did you mean" suggestions for misspelt names (config fields, model types, enum variants).

/// The candidate closest to `name`, if it is close enough to be a likely typo.
///
/// Close enough: an edit distance (with transpositions) of at most a third of the longer name,
/// and at least 1.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_name_within_reach() {
        let names = ["hidden", "in_dim", "out_dim"];
        assert_eq!(did_you_mean("hiden", names), Some("hidden"));
        assert_eq!(did_you_mean("in_dm", names), Some("in_dim"));
        assert_eq!(did_you_mean("learning_rate", names), None);
    }
}
