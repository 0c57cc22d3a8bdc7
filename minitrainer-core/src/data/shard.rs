//! `Shard`: one process's share of a sampler's epoch, for data-parallel training.
//!
//! Every process builds the same sampler with the same seed, so all see the same epoch order;
//! process `rank` keeps positions `rank, rank + world_size, ...` of it (PyTorch's
//! `DistributedSampler`). The shares are disjoint by position and all the same size, which
//! keeps the processes' step counts in lock step. When the epoch's length is not a multiple of
//! `world_size` the remainder is either padded ([`Remainder::Pad`]: the order is extended by
//! wrapping round to its start, so a few samples are seen twice — PyTorch's default) or dropped
//! ([`Remainder::Drop`]: the last `len % world_size` samples of the order are skipped that
//! epoch — PyTorch's `drop_last=True`).

use super::loader_error::LoaderError;
use super::sampler::Sampler;

/// What [`Shard`] does with the samples left over when the epoch does not divide evenly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remainder {
    /// Extend the order by wrapping round to its start until it divides evenly.
    Pad,
    /// Skip the last `len % world_size` positions of the order.
    Drop,
}

/// Process `rank`'s share of `inner`'s epochs (see the module docs).
///
/// # Examples
/// ```
/// use minitrainer_core::data::{Remainder, Sampler, SequentialSampler, Shard};
/// let rank1 = SequentialSampler::new(5).shard(1, 2)?;
/// assert_eq!(rank1.indices(0), [1, 3, 0]); // padded with index 0
/// let rank1 = Shard::new(SequentialSampler::new(5), 1, 2, Remainder::Drop)?;
/// assert_eq!(rank1.indices(0), [1, 3]);
/// # Ok::<(), minitrainer_core::data::LoaderError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Shard<S> {
    inner: S,
    rank: usize,
    world_size: usize,
    remainder: Remainder,
}

impl<S: Sampler> Shard<S> {
    /// Process `rank`'s share of `inner`, out of `world_size` processes.
    ///
    /// # Errors
    /// [`LoaderError::Shard`] when `rank >= world_size` (which includes `world_size == 0`).
    pub fn new(
        inner: S,
        rank: usize,
        world_size: usize,
        remainder: Remainder,
    ) -> Result<Self, LoaderError> {
        if rank >= world_size {
            return Err(LoaderError::Shard { rank, world_size });
        }
        Ok(Shard {
            inner,
            rank,
            world_size,
            remainder,
        })
    }
}

impl<S: Sampler> Sampler for Shard<S> {
    fn indices(&self, epoch: u64) -> Vec<usize> {
        let order = self.inner.indices(epoch);
        if order.is_empty() {
            return order;
        }
        let len = match self.remainder {
            Remainder::Pad => order.len().div_ceil(self.world_size) * self.world_size,
            Remainder::Drop => order.len() / self.world_size * self.world_size,
        };
        (self.rank..len)
            .step_by(self.world_size)
            .map(|position| order[position % order.len()])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::RandomSampler;
    use std::collections::HashSet;

    fn shares(len: usize, world: usize, remainder: Remainder) -> Vec<Vec<usize>> {
        (0..world)
            .map(|rank| {
                Shard::new(RandomSampler::new(len, 9), rank, world, remainder)
                    .map(|s| s.indices(2))
                    .expect("valid rank")
            })
            .collect()
    }

    #[test]
    fn dropped_remainder_gives_disjoint_equal_shares() {
        let shares = shares(103, 4, Remainder::Drop);
        assert!(shares.iter().all(|s| s.len() == 25));
        let union: HashSet<usize> = shares.iter().flatten().copied().collect();
        assert_eq!(union.len(), 100, "shares overlap");
    }

    #[test]
    fn padded_remainder_covers_the_epoch_with_equal_shares() {
        let shares = shares(103, 4, Remainder::Pad);
        assert!(shares.iter().all(|s| s.len() == 26));
        let union: HashSet<usize> = shares.iter().flatten().copied().collect();
        assert_eq!(union.len(), 103);
        // 104 positions for 103 samples: exactly one sample (the order's first) is repeated.
        let order = RandomSampler::new(103, 9).indices(2);
        assert_eq!(shares[3].last(), Some(&order[0]));
    }

    #[test]
    fn shard_rejects_rank_outside_world() {
        assert!(matches!(
            Shard::new(RandomSampler::new(4, 0), 2, 2, Remainder::Pad),
            Err(LoaderError::Shard {
                rank: 2,
                world_size: 2
            })
        ));
        assert!(Shard::new(RandomSampler::new(4, 0), 0, 0, Remainder::Drop).is_err());
    }
}
