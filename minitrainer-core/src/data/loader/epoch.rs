//! `Epoch`: the iterator over one epoch's batches, in order, in the calling thread or from a
//! worker pool. It records its position in the loader's shared state as it goes.

use std::sync::{Arc, Mutex, PoisonError};

use super::state::LoaderState;
use super::worker::Pool;
use crate::data::LoaderError;

/// Where an epoch's batches come from.
pub(super) enum Source<B> {
    /// `num_workers == 0`: loaded on demand in the calling thread.
    Inline(Box<dyn Fn(usize) -> Result<B, LoaderError> + Send>),
    /// Loaded by worker threads.
    Pool(Pool<B>),
    /// Starting the workers failed: the error is the epoch's only item.
    Failed(Option<LoaderError>),
    /// Ended by an error (workers already joined).
    Done,
}

/// One epoch of a [`DataLoader`](crate::data::DataLoader): yields `Result<B, LoaderError>`
/// for each batch in order; after an error it ends. Dropping it stops and joins the workers.
pub struct Epoch<B> {
    pub(super) source: Source<B>,
    pub(super) epoch: u64,
    pub(super) next: usize,
    pub(super) total: usize,
    pub(super) state: Arc<Mutex<LoaderState>>,
}

impl<B> Epoch<B> {
    /// The epoch being iterated.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Number of batches in this epoch (including those a resume skipped).
    pub fn num_batches(&self) -> usize {
        self.total
    }

    /// The position after the batches delivered so far: save it to resume from here.
    pub fn state(&self) -> LoaderState {
        if self.next == self.total {
            LoaderState {
                epoch: self.epoch + 1,
                batches: 0,
            }
        } else {
            LoaderState {
                epoch: self.epoch,
                batches: self.next,
            }
        }
    }
}

impl<B: Send + 'static> Iterator for Epoch<B> {
    type Item = Result<B, LoaderError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.total {
            return None;
        }
        let result = match &mut self.source {
            Source::Inline(load) => load(self.next),
            Source::Pool(pool) => pool.next(self.next),
            Source::Failed(error) => Err(error.take()?),
            Source::Done => return None,
        };
        match result {
            Ok(batch) => {
                self.next += 1;
                let state = self.state();
                *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
                Some(Ok(batch))
            }
            Err(error) => {
                // Joins the workers now rather than when the iterator is dropped.
                self.source = Source::Done;
                Some(Err(error))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.source {
            Source::Done => (0, Some(0)),
            _ => (0, Some(self.total - self.next)),
        }
    }
}
