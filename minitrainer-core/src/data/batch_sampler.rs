//! Batch samplers: an epoch as a list of batches of indices. [`Batched`] groups a
//! [`Sampler`]'s order (PyTorch's `BatchSampler`); implement [`BatchSampler`] directly for
//! batches of varying size (bucketing by length, ...).

use super::loader_error::LoaderError;
use super::sampler::Sampler;

/// The batches of indices one epoch loads, in order.
///
/// Like [`Sampler::indices`], `batches` must be a function of `epoch` alone.
pub trait BatchSampler: Send + Sync {
    /// The batches of epoch `epoch`.
    fn batches(&self, epoch: u64) -> Vec<Vec<usize>>;
}

/// A sampler's order cut into batches of `batch_size`; the last, shorter batch is kept unless
/// `drop_last`.
///
/// # Examples
/// ```
/// use minitrainer_core::data::{BatchSampler, Batched, SequentialSampler};
/// let keep = Batched::new(SequentialSampler::new(5), 2, false)?;
/// assert_eq!(keep.batches(0), [vec![0, 1], vec![2, 3], vec![4]]);
/// let drop = Batched::new(SequentialSampler::new(5), 2, true)?;
/// assert_eq!(drop.batches(0), [vec![0, 1], vec![2, 3]]);
/// # Ok::<(), minitrainer_core::data::LoaderError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Batched<S> {
    sampler: S,
    batch_size: usize,
    drop_last: bool,
}

impl<S: Sampler> Batched<S> {
    /// Batches of `batch_size` indices from `sampler`.
    ///
    /// # Errors
    /// [`LoaderError::InvalidOption`] when `batch_size` is 0.
    pub fn new(sampler: S, batch_size: usize, drop_last: bool) -> Result<Self, LoaderError> {
        if batch_size == 0 {
            return Err(LoaderError::InvalidOption {
                option: "batch_size",
                reason: "must be at least 1".into(),
            });
        }
        Ok(Batched {
            sampler,
            batch_size,
            drop_last,
        })
    }
}

impl<S: Sampler> BatchSampler for Batched<S> {
    fn batches(&self, epoch: u64) -> Vec<Vec<usize>> {
        self.sampler
            .indices(epoch)
            .chunks(self.batch_size)
            .filter(|chunk| !self.drop_last || chunk.len() == self.batch_size)
            .map(<[usize]>::to_vec)
            .collect()
    }
}

impl<B: BatchSampler + ?Sized> BatchSampler for Box<B> {
    fn batches(&self, epoch: u64) -> Vec<Vec<usize>> {
        (**self).batches(epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::SequentialSampler;

    #[test]
    fn batched_rejects_zero_batch_size() {
        assert!(Batched::new(SequentialSampler::new(3), 0, false).is_err());
    }

    #[test]
    fn drop_last_only_drops_a_short_batch() -> Result<(), LoaderError> {
        let even = Batched::new(SequentialSampler::new(6), 3, true)?;
        assert_eq!(even.batches(0).len(), 2);
        let odd = Batched::new(SequentialSampler::new(7), 3, true)?;
        assert_eq!(odd.batches(0), [vec![0, 1, 2], vec![3, 4, 5]]);
        Ok(())
    }
}
