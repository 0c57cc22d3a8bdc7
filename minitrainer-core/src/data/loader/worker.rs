//! Loading batches: [`Job`] loads batch `k` of an epoch (in the calling thread or a worker),
//! [`Pool`] runs it on worker threads and hands batches back in order.
//!
//! Scheduling (PyTorch's): batch `k` goes to worker `k % num_workers` through that worker's
//! task channel; results come back on one shared channel, possibly out of order, and wait in a
//! small map until their turn. Tasks are handed out only up to `prefetch` batches past the one
//! the consumer waits for, so at most `prefetch` batches exist at once (memory
//! O(batch × prefetch)) and the reorder map never holds more. Shutdown: closing the task
//! channels ends the workers' loops, dropping the result receiver unblocks a worker waiting to
//! deliver, then every thread is joined. A panic while loading is caught in the worker and
//! delivered as an error; a worker that vanishes anyway is noticed by a bounded wait.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use rand::rngs::ChaCha8Rng;

use crate::data::loader_error::BoxError;
use crate::data::seed::sample_rng;
use crate::data::{Dataset, LoaderError};

/// A collate function, type-erased.
pub(super) type CollateFn<I, B> = dyn Fn(Vec<I>) -> Result<B, BoxError> + Send + Sync;
/// A random transform, type-erased.
pub(super) type TransformFn<I> = dyn Fn(I, &mut ChaCha8Rng) -> I + Send + Sync;

/// How long the consumer waits for a result before checking that the workers are alive.
const LIVENESS_POLL: Duration = Duration::from_millis(100);

/// Everything needed to load any batch of one epoch.
pub(super) struct Job<D: Dataset, B> {
    pub(super) dataset: Arc<D>,
    pub(super) batches: Vec<Vec<usize>>,
    /// Position in the epoch of each batch's first sample.
    pub(super) offsets: Vec<usize>,
    pub(super) epoch: u64,
    pub(super) seed: u64,
    pub(super) transform: Option<Arc<TransformFn<D::Item>>>,
    pub(super) collate: Arc<CollateFn<D::Item, B>>,
}

impl<D: Dataset, B> Job<D, B> {
    /// Batch `k`, a panic while loading it turned into [`LoaderError::Panic`].
    pub(super) fn load(&self, k: usize) -> Result<B, LoaderError> {
        catch_unwind(AssertUnwindSafe(|| self.load_unguarded(k))).unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a non-string panic payload".into());
            Err(LoaderError::Panic { batch: k, message })
        })
    }

    fn load_unguarded(&self, k: usize) -> Result<B, LoaderError> {
        let len = self.dataset.len();
        let mut items = Vec::with_capacity(self.batches[k].len());
        for (j, &index) in self.batches[k].iter().enumerate() {
            if index >= len {
                return Err(LoaderError::IndexOutOfRange {
                    batch: k,
                    index,
                    len,
                });
            }
            let item = self.dataset.get(index).map_err(|e| LoaderError::Get {
                batch: k,
                index,
                source: Box::new(e),
            })?;
            items.push(match &self.transform {
                Some(transform) => {
                    let mut rng = sample_rng(self.seed, self.epoch, index, self.offsets[k] + j);
                    transform(item, &mut rng)
                }
                None => item,
            });
        }
        (self.collate)(items).map_err(|source| LoaderError::Collate { batch: k, source })
    }
}

type Delivery<B> = (usize, Result<B, LoaderError>);

/// Worker threads loading one epoch's batches (see the module docs).
pub(super) struct Pool<B> {
    tasks: Vec<SyncSender<usize>>,
    results: Option<Receiver<Delivery<B>>>,
    handles: Vec<JoinHandle<()>>,
    pending: HashMap<usize, Result<B, LoaderError>>,
    sent: usize,
    total: usize,
    prefetch: usize,
}

impl<B: Send + 'static> Pool<B> {
    /// Starts `workers` threads for `job`'s batches from `start` on.
    pub(super) fn spawn<D: Dataset + 'static>(
        job: Arc<Job<D, B>>,
        start: usize,
        workers: usize,
        prefetch: usize,
    ) -> Result<Self, LoaderError> {
        let (result_tx, results) = sync_channel(prefetch);
        let mut pool = Pool {
            tasks: Vec::with_capacity(workers),
            results: Some(results),
            handles: Vec::with_capacity(workers),
            pending: HashMap::new(),
            sent: start,
            total: job.batches.len(),
            prefetch,
        };
        for worker in 0..workers {
            let (task_tx, tasks) = sync_channel::<usize>(prefetch);
            let (job, result_tx) = (Arc::clone(&job), result_tx.clone());
            let handle = std::thread::Builder::new()
                .name(format!("minitrainer-loader-{worker}"))
                .spawn(move || {
                    while let Ok(k) = tasks.recv() {
                        if result_tx.send((k, job.load(k))).is_err() {
                            break; // the consumer is gone
                        }
                    }
                })
                .map_err(|e| LoaderError::Worker {
                    worker,
                    reason: format!("could not start its thread: {e}"),
                })?; // dropping `pool` joins the workers already started
            pool.tasks.push(task_tx);
            pool.handles.push(handle);
        }
        Ok(pool)
    }

    /// Batch `k`, waiting for it if needed; hands out tasks up to `k + prefetch` first.
    pub(super) fn next(&mut self, k: usize) -> Result<B, LoaderError> {
        let workers = self.tasks.len();
        while self.sent < self.total && self.sent < k + self.prefetch {
            let worker = self.sent % workers;
            self.tasks[worker]
                .send(self.sent)
                .map_err(|_| self.lost(worker, "it stopped taking batches"))?;
            self.sent += 1;
        }
        let results = self
            .results
            .as_ref()
            .ok_or_else(|| self.lost(k % workers, "shut down"))?;
        loop {
            if let Some(result) = self.pending.remove(&k) {
                return result;
            }
            match results.recv_timeout(LIVENESS_POLL) {
                Ok((i, result)) => {
                    self.pending.insert(i, result);
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Workers only exit when their task channel closes; one that finished
                    // while we still hold it died. Take what it delivered first.
                    if let Some(worker) = self.handles.iter().position(JoinHandle::is_finished) {
                        while let Ok((i, result)) = results.try_recv() {
                            self.pending.insert(i, result);
                        }
                        if let Some(result) = self.pending.remove(&k) {
                            return result;
                        }
                        return Err(self.lost(worker, "its thread ended"));
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(self.lost(k % workers, "every worker thread ended"));
                }
            }
        }
    }

    fn lost(&self, worker: usize, reason: &str) -> LoaderError {
        LoaderError::Worker {
            worker,
            reason: reason.to_owned(),
        }
    }
}

impl<B> Drop for Pool<B> {
    fn drop(&mut self) {
        self.tasks.clear(); // a worker waiting for a task sees the channel closed
        self.results = None; // a worker waiting to deliver sees the receiver gone
        self.pending.clear();
        for handle in self.handles.drain(..) {
            // A worker's panics are caught inside `Job::load`; nothing left to report here.
            let _ = handle.join();
        }
    }
}
