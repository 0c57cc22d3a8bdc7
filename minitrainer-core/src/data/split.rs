//! Splits: by row ranges, by a seeded random fraction, stratified by class. Entry points are
//! the [`DatasetExt`](super::DatasetExt) methods; a split is a pure function of the set's length
//! (and classes) and the seed: the permutation comes from `ChaCha8Rng::seed_from_u64(seed)`,
//! whose stream is fixed by its algorithm, not by the platform or the `rand` version.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;

use super::combinators::Subset;
use super::dataset::{Dataset, Example, Target};
use super::error::DataError;

pub(super) fn ranges<D: Dataset>(
    set: Arc<D>,
    ranges: &[Range<usize>],
) -> Result<Vec<Subset<D>>, DataError> {
    let len = set.len();
    ranges
        .iter()
        .map(|range| {
            if range.start > range.end || range.end > len {
                return Err(DataError::Split {
                    reason: format!("row range {range:?} does not fit a set of {len} samples"),
                });
            }
            Subset::new(Arc::clone(&set), range.clone().collect())
        })
        .collect()
}

fn check_fraction(fraction: f64) -> Result<(), DataError> {
    if (0.0..=1.0).contains(&fraction) {
        Ok(())
    } else {
        Err(DataError::Split {
            reason: format!("fraction {fraction} is not in [0, 1]"),
        })
    }
}

/// `floor(fraction × n)`, computed so that 0.8 × 10 is 8 and not 7 (0.8 is not exact in f64).
fn part(fraction: f64, n: usize) -> usize {
    let exact = fraction * n as f64;
    let rounded = exact.round();
    let count = if (exact - rounded).abs() < 1e-9 {
        rounded
    } else {
        exact.floor()
    };
    (count as usize).min(n)
}

pub(super) fn random<D: Dataset>(
    set: Arc<D>,
    fraction: f64,
    seed: u64,
) -> Result<(Subset<D>, Subset<D>), DataError> {
    check_fraction(fraction)?;
    let mut order: Vec<usize> = (0..set.len()).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    // PyTorch's `random_split(set, [f, 1 - f])`: floor each part, give the remainder to the first.
    let n = set.len();
    let first = n - part(1.0 - fraction, n).min(n - part(fraction, n));
    let rest = order.split_off(first);
    Ok((
        Subset::new(Arc::clone(&set), order)?,
        Subset::new(set, rest)?,
    ))
}

pub(super) fn stratified<D: Dataset<Item = Example>>(
    set: Arc<D>,
    fraction: f64,
    seed: u64,
) -> Result<(Subset<D>, Subset<D>), DataError> {
    check_fraction(fraction)?;
    // Classes in ascending order, so the rng is consumed the same way on every run.
    let mut by_class: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..set.len() {
        match set.get(index).map_err(DataError::wrap)?.target {
            Target::Class(class) => by_class.entry(class).or_default().push(index),
            _ => return Err(DataError::NotAClass { index }),
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for mut members in by_class.into_values() {
        members.shuffle(&mut rng);
        let take = ((fraction * members.len() as f64).round() as usize).min(members.len());
        second.extend_from_slice(&members[take..]);
        members.truncate(take);
        first.extend(members);
    }
    first.sort_unstable();
    second.sort_unstable();
    Ok((
        Subset::new(Arc::clone(&set), first)?,
        Subset::new(set, second)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::part;

    #[test]
    fn part_rounds_down_but_not_below_an_exact_product() {
        assert_eq!(part(0.8, 10), 8);
        assert_eq!(part(0.7, 10), 7);
        assert_eq!(part(0.8, 1797), 1437);
        assert_eq!(part(0.5, 3), 1);
        assert_eq!(part(1.0, 5), 5);
        assert_eq!(part(0.0, 5), 0);
    }
}
