//! `LoaderError`: what building a sampler or a loader, and loading a batch, can fail with.
//! Every batch-time variant names the batch (its number in the epoch) so a bad sample can be
//! found; after any of them the epoch ends.

/// A boxed error from user code (a data set's `get`, a custom collate function).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a sampler, a loader or one of its batches can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoaderError {
    /// A loader or sampler option has a value it cannot work with, or conflicts with another.
    #[error("data loader option `{option}`: {reason}")]
    InvalidOption {
        /// The option (`batch_size`, `shuffle`, `prefetch`, ...).
        option: &'static str,
        /// What is wrong and what to do.
        reason: String,
    },

    /// A sampling weight is negative, infinite or NaN.
    #[error("sampling weight {index} is {value}; weights must be finite and >= 0")]
    Weight {
        /// Position of the weight.
        index: usize,
        /// Its value.
        value: f64,
    },

    /// Every sampling weight is zero (or there are none): nothing can be drawn.
    #[error("all {len} sampling weights are zero; give at least one sample a positive weight")]
    ZeroWeights {
        /// Number of weights.
        len: usize,
    },

    /// `shard(rank, world_size)` with `rank >= world_size` or `world_size == 0`.
    #[error(
        "shard rank {rank} is out of range for world size {world_size}; expected 0 <= rank < world_size"
    )]
    Shard {
        /// The rank asked for.
        rank: usize,
        /// The number of processes.
        world_size: usize,
    },

    /// A sampler produced an index past the end of the data set.
    #[error(
        "batch {batch}: the sampler produced index {index}, but the data set holds {len} samples"
    )]
    IndexOutOfRange {
        /// Batch number in the epoch.
        batch: usize,
        /// The index.
        index: usize,
        /// The data set's length.
        len: usize,
    },

    /// The data set's `get` failed.
    #[error("batch {batch}: reading sample {index} failed: {source}")]
    Get {
        /// Batch number in the epoch.
        batch: usize,
        /// Index of the sample in the data set.
        index: usize,
        /// The data set's error.
        source: BoxError,
    },

    /// Collating the batch failed (ragged shapes, mixed targets, a custom collate's error).
    #[error("batch {batch}: {source}")]
    Collate {
        /// Batch number in the epoch.
        batch: usize,
        /// The collate function's error (the default one names the sample position).
        source: BoxError,
    },

    /// Loading the batch panicked (in `get`, a transform or the collate function).
    #[error("batch {batch}: loading panicked: {message}")]
    Panic {
        /// Batch number in the epoch.
        batch: usize,
        /// The panic message.
        message: String,
    },

    /// A worker thread stopped without delivering its batch, or could not be started.
    #[error("data loader worker {worker} is gone ({reason}); the epoch was stopped")]
    Worker {
        /// Worker number (`0..num_workers`).
        worker: usize,
        /// What happened.
        reason: String,
    },

    /// A saved loader state could not be read or does not fit this loader.
    #[error("data loader state: {reason}")]
    State {
        /// What is wrong and what to do.
        reason: String,
    },
}
