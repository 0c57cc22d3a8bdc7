//! `Batches`: the trainer's view of a data loader — an epoch's batches and a position to save
//! and seek to. Object safe, so `fit(&train, Some(&valid))` takes loaders of any data set.

use crate::data::{Batch, DataLoader, Dataset, LoaderError, LoaderState};

/// The batches the trainer reads. Implemented for [`DataLoader`] over any data set with the
/// default collation; implement it to feed the trainer from elsewhere.
pub trait Batches {
    /// The rest of the current epoch, in order.
    fn epoch_batches(&self) -> Box<dyn Iterator<Item = Result<Batch, LoaderError>> + '_>;

    /// Moves to `state`: the next [`Batches::epoch_batches`] delivers what follows it.
    ///
    /// # Errors
    /// When the state does not fit the data (more batches than the epoch has).
    fn seek(&self, state: LoaderState) -> Result<(), LoaderError>;

    /// Number of batches in epoch `epoch` (from 0).
    fn batches_in_epoch(&self, epoch: u64) -> usize;
}

impl<D: Dataset + 'static> Batches for DataLoader<D, Batch> {
    fn epoch_batches(&self) -> Box<dyn Iterator<Item = Result<Batch, LoaderError>> + '_> {
        Box::new(self.iter())
    }

    fn seek(&self, state: LoaderState) -> Result<(), LoaderError> {
        self.resume(state)
    }

    fn batches_in_epoch(&self, epoch: u64) -> usize {
        self.num_batches(epoch)
    }
}
