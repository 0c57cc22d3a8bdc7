//! `DataLoaderBuilder`: a loader's options, checked together in `build` (PyTorch's
//! `DataLoader(...)` keyword arguments and their exclusions).

use std::sync::{Arc, Mutex};

use rand::rngs::ChaCha8Rng;

use super::DataLoader;
use super::state::LoaderState;
use super::worker::{CollateFn, TransformFn};
use crate::data::{
    BatchSampler, Batched, Dataset, LoaderError, RandomSampler, Sampler, SequentialSampler,
};

/// Options of a [`DataLoader`]; start with [`DataLoader::builder`] or
/// [`DataLoader::with_collate`], finish with [`DataLoaderBuilder::build`].
pub struct DataLoaderBuilder<D: Dataset, B> {
    pub(super) dataset: D,
    pub(super) collate: Arc<CollateFn<D::Item, B>>,
    pub(super) batch_size: Option<usize>,
    pub(super) shuffle: bool,
    pub(super) seed: u64,
    pub(super) drop_last: bool,
    pub(super) sampler: Option<Box<dyn Sampler>>,
    pub(super) batch_sampler: Option<Box<dyn BatchSampler>>,
    pub(super) num_workers: usize,
    pub(super) prefetch: Option<usize>,
    pub(super) transform: Option<Arc<TransformFn<D::Item>>>,
}

fn invalid(option: &'static str, reason: &str) -> LoaderError {
    LoaderError::InvalidOption {
        option,
        reason: reason.into(),
    }
}

impl<D: Dataset + 'static, B: Send + 'static> DataLoaderBuilder<D, B> {
    /// Samples per batch (default 1, as in PyTorch).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = Some(batch_size);
        self
    }

    /// Visit the samples in a new random order every epoch (a [`RandomSampler`] seeded with
    /// [`DataLoaderBuilder::seed`]); default off.
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The seed of the shuffled order and of the generators [`DataLoaderBuilder::map_with_rng`]
    /// hands out (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Drop the last batch of an epoch when it is short (default off).
    pub fn drop_last(mut self, drop_last: bool) -> Self {
        self.drop_last = drop_last;
        self
    }

    /// Take the epoch's order from `sampler` (excludes `shuffle`).
    pub fn sampler(mut self, sampler: impl Sampler + 'static) -> Self {
        self.sampler = Some(Box::new(sampler));
        self
    }

    /// Take whole batches of indices from `batch_sampler` (excludes `batch_size`, `shuffle`,
    /// `sampler` and `drop_last`).
    pub fn batch_sampler(mut self, batch_sampler: impl BatchSampler + 'static) -> Self {
        self.batch_sampler = Some(Box::new(batch_sampler));
        self
    }

    /// Worker threads loading batches ahead (default 0: load in the calling thread). The
    /// batches and their order are the same for any number.
    pub fn num_workers(mut self, num_workers: usize) -> Self {
        self.num_workers = num_workers;
        self
    }

    /// Batches the workers may load ahead of the consumer (default `2 * num_workers`, PyTorch's
    /// `prefetch_factor=2` per worker); the memory bound. Ignored without workers.
    pub fn prefetch(mut self, prefetch: usize) -> Self {
        self.prefetch = Some(prefetch);
        self
    }

    /// A random transform (augmentation) applied to every sample before collation. Its
    /// generator comes from [`sample_rng`](crate::data::sample_rng)`(seed, epoch, index,
    /// position)` — never from the worker — so the numbers are the same for any number of
    /// workers and after a resume.
    pub fn map_with_rng(
        mut self,
        transform: impl Fn(D::Item, &mut ChaCha8Rng) -> D::Item + Send + Sync + 'static,
    ) -> Self {
        self.transform = Some(Arc::new(transform));
        self
    }

    /// Replaces the collate function; the loader then yields `C`s.
    pub fn collate_with<C, E>(
        self,
        collate: impl Fn(Vec<D::Item>) -> Result<C, E> + Send + Sync + 'static,
    ) -> DataLoaderBuilder<D, C>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        DataLoaderBuilder {
            dataset: self.dataset,
            collate: super::boxed_collate(collate),
            batch_size: self.batch_size,
            shuffle: self.shuffle,
            seed: self.seed,
            drop_last: self.drop_last,
            sampler: self.sampler,
            batch_sampler: self.batch_sampler,
            num_workers: self.num_workers,
            prefetch: self.prefetch,
            transform: self.transform,
        }
    }

    /// The loader, at epoch 0.
    ///
    /// # Errors
    /// [`LoaderError::InvalidOption`] for a zero batch size, a zero prefetch with workers,
    /// `shuffle` with a `sampler`, or a `batch_sampler` with `batch_size`, `shuffle`, `sampler`
    /// or `drop_last`.
    pub fn build(self) -> Result<DataLoader<D, B>, LoaderError> {
        let len = self.dataset.len();
        let batch_sampler: Arc<dyn BatchSampler> = match self.batch_sampler {
            Some(batch_sampler) => {
                if self.batch_size.is_some()
                    || self.shuffle
                    || self.sampler.is_some()
                    || self.drop_last
                {
                    return Err(invalid(
                        "batch_sampler",
                        "it sets the batches itself; leave `batch_size`, `shuffle`, `sampler` and `drop_last` unset",
                    ));
                }
                Arc::from(batch_sampler)
            }
            None => {
                let sampler: Box<dyn Sampler> = match (self.sampler, self.shuffle) {
                    (Some(_), true) => {
                        return Err(invalid(
                            "shuffle",
                            "a `sampler` sets the order; shuffle inside the sampler (e.g. `RandomSampler`) instead",
                        ));
                    }
                    (Some(sampler), false) => sampler,
                    (None, true) => Box::new(RandomSampler::new(len, self.seed)),
                    (None, false) => Box::new(SequentialSampler::new(len)),
                };
                let batch_size = self.batch_size.unwrap_or(1);
                Arc::new(Batched::new(sampler, batch_size, self.drop_last)?)
            }
        };
        let prefetch = self.prefetch.unwrap_or(2 * self.num_workers);
        if self.num_workers > 0 && prefetch == 0 {
            return Err(invalid("prefetch", "must be at least 1 with workers"));
        }
        Ok(DataLoader {
            dataset: Arc::new(self.dataset),
            batch_sampler,
            collate: self.collate,
            transform: self.transform,
            seed: self.seed,
            num_workers: self.num_workers,
            prefetch,
            state: Arc::new(Mutex::new(LoaderState::default())),
        })
    }
}
