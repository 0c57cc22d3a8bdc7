//! Samplers: which data-set indices an epoch visits, in which order. Each order is a pure
//! function of (seed, epoch) — see `seed.rs` — so a run can be repeated and resumed.
//!
//! Entry points: [`Sampler`] (implement it for your own order), [`SequentialSampler`],
//! [`RandomSampler`] (a permutation), [`WeightedRandomSampler`] (draws with replacement);
//! `Sampler::shard` splits any of them between processes (`shard.rs`).

use super::loader_error::LoaderError;
use super::seed::{PERMUTATION, WEIGHTED, below, epoch_rng, unit_f64};
use super::shard::{Remainder, Shard};

/// The indices one epoch visits, in order (PyTorch's `Sampler`).
///
/// `indices` must be a function of `epoch` alone (no hidden state): the loader calls it again
/// to resume an epoch in the middle.
///
/// # Examples
/// ```
/// use minitrainer_core::data::Sampler;
/// /// Every second sample.
/// struct Evens(usize);
/// impl Sampler for Evens {
///     fn indices(&self, _epoch: u64) -> Vec<usize> {
///         (0..self.0).step_by(2).collect()
///     }
/// }
/// assert_eq!(Evens(5).indices(0), [0, 2, 4]);
/// ```
pub trait Sampler: Send + Sync {
    /// The indices of epoch `epoch`.
    fn indices(&self, epoch: u64) -> Vec<usize>;

    /// This sampler's share for process `rank` of `world_size`, the remainder padded by
    /// wrapping as PyTorch's `DistributedSampler` does ([`Shard::new`] to drop it instead).
    ///
    /// # Errors
    /// [`LoaderError::Shard`] when `rank >= world_size` or `world_size == 0`.
    fn shard(self, rank: usize, world_size: usize) -> Result<Shard<Self>, LoaderError>
    where
        Self: Sized,
    {
        Shard::new(self, rank, world_size, Remainder::Pad)
    }
}

impl<S: Sampler + ?Sized> Sampler for Box<S> {
    fn indices(&self, epoch: u64) -> Vec<usize> {
        (**self).indices(epoch)
    }
}

/// `0, 1, ..., len - 1` every epoch.
#[derive(Clone, Debug)]
pub struct SequentialSampler {
    len: usize,
}

impl SequentialSampler {
    /// The indices of a data set of `len` samples, in order.
    pub fn new(len: usize) -> Self {
        SequentialSampler { len }
    }
}

impl Sampler for SequentialSampler {
    fn indices(&self, _epoch: u64) -> Vec<usize> {
        (0..self.len).collect()
    }
}

/// A new permutation of `0..len` every epoch.
///
/// Epoch `e`'s permutation is a Fisher–Yates shuffle of `0..len` (from the last position down,
/// swapping position `i` with a uniform `j` in `0..=i`) driven by
/// `ChaCha8Rng::seed_from_u64(mix([1, seed, e]))`: a pure function of (seed, epoch).
///
/// # Examples
/// ```
/// use minitrainer_core::data::{RandomSampler, Sampler};
/// let sampler = RandomSampler::new(10, 42);
/// assert_eq!(sampler.indices(3), sampler.indices(3));
/// assert_ne!(sampler.indices(0), sampler.indices(1));
/// ```
#[derive(Clone, Debug)]
pub struct RandomSampler {
    len: usize,
    seed: u64,
}

impl RandomSampler {
    /// Permutations of `0..len` derived from `seed`.
    pub fn new(len: usize, seed: u64) -> Self {
        RandomSampler { len, seed }
    }
}

impl Sampler for RandomSampler {
    fn indices(&self, epoch: u64) -> Vec<usize> {
        let mut rng = epoch_rng(PERMUTATION, self.seed, epoch);
        let mut order: Vec<usize> = (0..self.len).collect();
        for i in (1..order.len()).rev() {
            let j = below(&mut rng, i as u64 + 1) as usize;
            order.swap(i, j);
        }
        order
    }
}

/// `num_samples` indices drawn with replacement, index `i` with probability
/// `weights[i] / sum(weights)` (PyTorch's `WeightedRandomSampler(replacement=True)`).
///
/// Each draw takes a uniform `u` in `[0, 1)` (53 bits) from
/// `ChaCha8Rng::seed_from_u64(mix([2, seed, epoch]))` and picks the first index whose cumulative
/// weight (summed in f64) exceeds `u * total`.
#[derive(Clone, Debug)]
pub struct WeightedRandomSampler {
    cumulative: Vec<f64>,
    num_samples: usize,
    seed: u64,
}

impl WeightedRandomSampler {
    /// A sampler over `weights.len()` samples drawing `num_samples` per epoch.
    ///
    /// # Errors
    /// [`LoaderError::Weight`] for a negative, infinite or NaN weight;
    /// [`LoaderError::ZeroWeights`] when no weight is positive;
    /// [`LoaderError::InvalidOption`] when their sum overflows f64.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::data::{Sampler, WeightedRandomSampler};
    /// let sampler = WeightedRandomSampler::new(&[0.0, 1.0, 0.0], 4, 7)?;
    /// assert_eq!(sampler.indices(0), [1, 1, 1, 1]);
    /// assert!(WeightedRandomSampler::new(&[0.0, 0.0], 4, 7).is_err());
    /// # Ok::<(), minitrainer_core::data::LoaderError>(())
    /// ```
    pub fn new(weights: &[f64], num_samples: usize, seed: u64) -> Result<Self, LoaderError> {
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut total = 0.0;
        for (index, &value) in weights.iter().enumerate() {
            if !value.is_finite() || value < 0.0 {
                return Err(LoaderError::Weight { index, value });
            }
            total += value;
            cumulative.push(total);
        }
        // Every weight is finite and >= 0 here, so `total` is >= 0 (or overflowed).
        if total == 0.0 {
            return Err(LoaderError::ZeroWeights { len: weights.len() });
        }
        if total.is_infinite() {
            return Err(LoaderError::InvalidOption {
                option: "weights",
                reason: "their sum overflows f64; scale them down".into(),
            });
        }
        Ok(WeightedRandomSampler {
            cumulative,
            num_samples,
            seed,
        })
    }
}

impl Sampler for WeightedRandomSampler {
    fn indices(&self, epoch: u64) -> Vec<usize> {
        let mut rng = epoch_rng(WEIGHTED, self.seed, epoch);
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let last = self.cumulative.len().saturating_sub(1);
        (0..self.num_samples)
            .map(|_| {
                let target = unit_f64(&mut rng) * total;
                // First index whose cumulative weight exceeds the target: zero weights (equal
                // cumulative values) are never picked. `min` guards rounding at the top.
                self.cumulative.partition_point(|&c| c <= target).min(last)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_sampler_is_a_permutation_that_changes_with_the_epoch() {
        let sampler = RandomSampler::new(100, 3);
        let mut first = sampler.indices(0);
        assert_ne!(first, (0..100).collect::<Vec<_>>());
        assert_ne!(first, sampler.indices(1));
        assert_eq!(first, RandomSampler::new(100, 3).indices(0));
        assert_ne!(first, RandomSampler::new(100, 4).indices(0));
        first.sort_unstable();
        assert_eq!(first, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn random_sampler_handles_empty_and_single() {
        assert!(RandomSampler::new(0, 1).indices(0).is_empty());
        assert_eq!(RandomSampler::new(1, 1).indices(5), [0]);
    }

    #[test]
    fn weighted_sampler_rejects_bad_weights() {
        for (weights, index) in [
            (vec![1.0, -1.0], 1),
            (vec![f64::NAN], 0),
            (vec![0.0, f64::INFINITY], 1),
        ] {
            match WeightedRandomSampler::new(&weights, 3, 0) {
                Err(LoaderError::Weight { index: i, .. }) => assert_eq!(i, index),
                other => panic!("expected a weight error, got {other:?}"),
            }
        }
        assert!(WeightedRandomSampler::new(&[f64::MAX, f64::MAX], 3, 0).is_err());
        assert!(matches!(
            WeightedRandomSampler::new(&[], 3, 0),
            Err(LoaderError::ZeroWeights { len: 0 })
        ));
    }

    #[test]
    fn weighted_sampler_draws_in_proportion_to_the_weights() -> Result<(), LoaderError> {
        let sampler = WeightedRandomSampler::new(&[1.0, 0.0, 3.0, 6.0], 10_000, 11)?;
        let mut counts = [0usize; 4];
        for i in sampler.indices(0) {
            counts[i] += 1;
        }
        // Expected 1000 / 0 / 3000 / 6000; a binomial standard deviation is at most ~50.
        assert_eq!(counts[1], 0);
        for (count, expected) in counts.iter().zip([1000.0, 0.0, 3000.0, 6000.0]) {
            assert!((*count as f64 - expected).abs() < 200.0, "{counts:?}");
        }
        // Deterministic for the seed, different for the next epoch.
        assert_eq!(sampler.indices(0), sampler.indices(0));
        assert_ne!(sampler.indices(0), sampler.indices(1));
        Ok(())
    }
}
