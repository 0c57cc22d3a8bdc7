//! What can go wrong between ranks.

/// An error of a collective operation or of the rank group.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DistributedError {
    /// A broadcast named a root rank the group does not have.
    #[error("broadcast root {root} is out of range for world size {world_size}")]
    RootOutOfRange {
        /// The root asked for.
        root: usize,
        /// The group's size.
        world_size: usize,
    },

    /// Ranks passed buffers of different lengths to the same operation.
    #[error(
        "{operation}: rank {rank} passed {len} values, rank 0 passed {expected}; every rank must pass the same length (same model on every rank?)"
    )]
    LengthMismatch {
        /// The collective operation (`all_reduce_sum`, `broadcast`).
        operation: &'static str,
        /// The rank whose length differs.
        rank: usize,
        /// Its length.
        len: usize,
        /// Rank 0's length.
        expected: usize,
    },

    /// A peer left the group (its thread or process ended) while others waited for it.
    #[error("rank {rank} left the group during {operation}; stopping instead of waiting for it")]
    PeerGone {
        /// The rank that left.
        rank: usize,
        /// The operation the others were in.
        operation: &'static str,
    },

    /// Another rank failed; this rank stops with that rank's message.
    #[error("rank {rank} failed: {message}")]
    RankFailed {
        /// The rank that failed first.
        rank: usize,
        /// Its error, as displayed there.
        message: String,
    },

    /// The ranks reached different points of a run: one is at another step than the others
    /// (a rank had more batches: shard every rank's loader with `Sampler::shard`).
    #[error("the ranks are out of step: {detail}")]
    OutOfStep {
        /// Where each rank was.
        detail: String,
    },

    /// The transport (MPI) reported an error or could not start.
    #[error("{0}")]
    Transport(String),
}
