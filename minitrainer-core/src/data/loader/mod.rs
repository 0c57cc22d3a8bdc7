//! `DataLoader`: batches of a [`Dataset`] in an order that is a function of the seed and the
//! epoch, loaded in the calling thread or by worker threads, delivered in order.
//!
//! Entry points: [`DataLoader::builder`] (for [`Example`] sets, collated by
//! [`collate`](crate::data::collate)) or [`DataLoader::with_collate`] (any item type);
//! [`DataLoader::iter`] runs the current epoch; [`DataLoader::state`] /
//! [`DataLoader::resume`] save and restore the position. Files: `builder.rs` (options),
//! `epoch.rs` (the iterator), `worker.rs` (loading a batch, the worker pool), `state.rs`.
//! Errors: options are checked in `build`; a batch that fails to load ends the epoch with a
//! [`LoaderError`] naming the batch.

mod builder;
mod epoch;
mod state;
mod worker;

use std::sync::{Arc, Mutex, PoisonError};

pub use builder::DataLoaderBuilder;
pub use epoch::Epoch;
pub use state::LoaderState;

use epoch::Source;
use worker::{CollateFn, Job, Pool, TransformFn};

use crate::data::loader_error::BoxError;
use crate::data::{Batch, BatchSampler, Dataset, Example, LoaderError, collate};

fn boxed_collate<I, C, E>(
    collate: impl Fn(Vec<I>) -> Result<C, E> + Send + Sync + 'static,
) -> Arc<CollateFn<I, C>>
where
    E: std::error::Error + Send + Sync + 'static,
{
    Arc::new(move |items| collate(items).map_err(|e| Box::new(e) as BoxError))
}

/// Batches of a data set, epoch after epoch (PyTorch's `DataLoader`).
///
/// The loader remembers its position: [`DataLoader::iter`] runs the rest of the current epoch
/// and, once its last batch is delivered, the next call runs the next epoch. Batch `k` of
/// epoch `e` is the same whatever the number of workers, and after [`DataLoader::resume`].
/// Run one epoch at a time.
///
/// # Examples
/// ```
/// use minitrainer_core::data::{DataLoader, Dataset, Example, Target, Targets};
/// use ndarray::{ArrayD, IxDyn};
///
/// struct Squares;
/// impl Dataset for Squares {
///     type Item = Example;
///     type Error = std::convert::Infallible;
///     fn len(&self) -> usize { 10 }
///     fn get(&self, i: usize) -> Result<Example, Self::Error> {
///         let x = i as f32;
///         Ok(Example {
///             features: ArrayD::from_elem(IxDyn(&[1]), x),
///             target: Target::Values(ArrayD::from_elem(IxDyn(&[1]), x * x)),
///         })
///     }
/// }
///
/// let loader = DataLoader::builder(Squares).batch_size(4).shuffle(true).seed(1).num_workers(2).build()?;
/// let mut sizes = vec![];
/// for batch in loader.iter() {
///     let batch = batch?;
///     assert!(matches!(batch.targets, Targets::Values(_)));
///     sizes.push(batch.inputs.shape()[0]);
/// }
/// assert_eq!(sizes, [4, 4, 2]);
/// assert_eq!(loader.state().epoch, 1);
/// # Ok::<(), minitrainer_core::data::LoaderError>(())
/// ```
pub struct DataLoader<D: Dataset, B = Batch> {
    dataset: Arc<D>,
    batch_sampler: Arc<dyn BatchSampler>,
    collate: Arc<CollateFn<D::Item, B>>,
    transform: Option<Arc<TransformFn<D::Item>>>,
    seed: u64,
    num_workers: usize,
    prefetch: usize,
    state: Arc<Mutex<LoaderState>>,
}

impl<D: Dataset<Item = Example> + 'static> DataLoader<D, Batch> {
    /// A loader of [`Example`]s collated into [`Batch`]es by
    /// [`collate`](crate::data::collate): batch size 1, in order, no workers, until set.
    pub fn builder(dataset: D) -> DataLoaderBuilder<D, Batch> {
        Self::with_collate(dataset, collate)
    }
}

impl<D: Dataset + 'static, B: Send + 'static> DataLoader<D, B> {
    /// A loader of any item type, collated by `collate` (`Fn(Vec<Item>) -> Result<B, E>`).
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::data::{DataLoader, Dataset};
    /// struct Numbers;
    /// impl Dataset for Numbers {
    ///     type Item = u32;
    ///     type Error = std::convert::Infallible;
    ///     fn len(&self) -> usize { 5 }
    ///     fn get(&self, i: usize) -> Result<u32, Self::Error> { Ok(i as u32) }
    /// }
    /// let sum = |items: Vec<u32>| Ok::<_, std::convert::Infallible>(items.iter().sum::<u32>());
    /// let loader = DataLoader::with_collate(Numbers, sum).batch_size(2).build()?;
    /// let sums: Vec<u32> = loader.iter().collect::<Result<_, _>>()?;
    /// assert_eq!(sums, [1, 5, 4]);
    /// # Ok::<(), minitrainer_core::data::LoaderError>(())
    /// ```
    pub fn with_collate<E>(
        dataset: D,
        collate: impl Fn(Vec<D::Item>) -> Result<B, E> + Send + Sync + 'static,
    ) -> DataLoaderBuilder<D, B>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        DataLoaderBuilder {
            dataset,
            collate: boxed_collate(collate),
            batch_size: None,
            shuffle: false,
            seed: 0,
            drop_last: false,
            sampler: None,
            batch_sampler: None,
            num_workers: 0,
            prefetch: None,
            transform: None,
        }
    }

    /// The data set (shared with the workers while an epoch runs).
    pub fn dataset(&self) -> &Arc<D> {
        &self.dataset
    }

    /// Number of batches in epoch `epoch` (asks the sampler for the epoch's order).
    pub fn num_batches(&self, epoch: u64) -> usize {
        self.batch_sampler.batches(epoch).len()
    }

    /// The position: the current epoch and how many of its batches were delivered.
    pub fn state(&self) -> LoaderState {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves to `state` (from [`DataLoader::state`] or [`Epoch::state`], possibly of another
    /// run with the same options): the next [`DataLoader::iter`] delivers the batches that
    /// followed it.
    ///
    /// # Errors
    /// [`LoaderError::State`] when `state.batches` is more than the epoch holds.
    pub fn resume(&self, state: LoaderState) -> Result<(), LoaderError> {
        let total = self.num_batches(state.epoch);
        if state.batches > total {
            return Err(LoaderError::State {
                reason: format!(
                    "epoch {} has {total} batches, but the state says {} were delivered; was it saved by a loader with other options?",
                    state.epoch, state.batches
                ),
            });
        }
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
        Ok(())
    }

    /// Starts epoch `epoch` from its first batch (PyTorch's `sampler.set_epoch`).
    pub fn set_epoch(&self, epoch: u64) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) =
            LoaderState { epoch, batches: 0 };
    }

    /// The rest of the current epoch. Worker threads (if any) start here and are joined when
    /// the epoch ends or the iterator is dropped; an error starting them is the first item.
    pub fn iter(&self) -> Epoch<B> {
        let LoaderState {
            epoch,
            batches: start,
        } = self.state();
        let batches = self.batch_sampler.batches(epoch);
        let total = batches.len();
        let offsets = batches
            .iter()
            .scan(0, |position, batch| {
                let offset = *position;
                *position += batch.len();
                Some(offset)
            })
            .collect();
        let job = Arc::new(Job {
            dataset: Arc::clone(&self.dataset),
            batches,
            offsets,
            epoch,
            seed: self.seed,
            transform: self.transform.clone(),
            collate: Arc::clone(&self.collate),
        });
        let start = start.min(total);
        let source = if start == total {
            // Nothing left (an empty epoch): move on so the next call runs the next epoch.
            self.set_epoch(epoch + 1);
            Source::Done
        } else if self.num_workers == 0 {
            Source::Inline(Box::new(move |k| job.load(k)))
        } else {
            match Pool::spawn(job, start, self.num_workers, self.prefetch) {
                Ok(pool) => Source::Pool(pool),
                Err(error) => Source::Failed(Some(error)),
            }
        };
        Epoch {
            source,
            epoch,
            next: start,
            total,
            state: Arc::clone(&self.state),
        }
    }
}

impl<D: Dataset + 'static, B: Send + 'static> IntoIterator for &DataLoader<D, B> {
    type Item = Result<B, LoaderError>;
    type IntoIter = Epoch<B>;

    fn into_iter(self) -> Epoch<B> {
        self.iter()
    }
}

#[cfg(test)]
mod tests;
