//! The port: what data-parallel training asks of a group of ranks.

use super::DistributedError;

/// A fixed group of `world_size()` ranks that call the same operations in the same order.
///
/// Every operation is collective: each rank of the group must call it, with buffers of the same
/// length, before any returns. An adapter reports a peer that left (ended, crashed, dropped its
/// handle) as [`DistributedError::PeerGone`] instead of waiting forever.
///
/// Results are identical on every rank, bit for bit (the reduction order is fixed), which is
/// what keeps the ranks' parameters bitwise equal after each optimizer step.
pub trait Collective {
    /// This rank's index, `0 <= rank < world_size`. Rank 0 is the one that writes files.
    fn rank(&self) -> usize;

    /// How many ranks the group has (at least 1).
    fn world_size(&self) -> usize;

    /// Replaces `buffer` on every rank with rank `root`'s.
    ///
    /// # Errors
    /// A peer left, lengths differ, or the transport failed.
    fn broadcast(&self, buffer: &mut [f32], root: usize) -> Result<(), DistributedError>;

    /// Replaces `buffer` on every rank with the element-wise sum over all ranks.
    ///
    /// # Errors
    /// A peer left, lengths differ, or the transport failed.
    fn all_reduce_sum(&self, buffer: &mut [f32]) -> Result<(), DistributedError>;

    /// Replaces `bytes` on every rank with rank `root`'s (any length: other ranks' contents and
    /// lengths are ignored). Used to share an error message or a small JSON state.
    ///
    /// # Errors
    /// A peer left or the transport failed.
    fn broadcast_bytes(&self, bytes: &mut Vec<u8>, root: usize) -> Result<(), DistributedError>;

    /// The largest `value` over all ranks, on every rank. Used to agree on a status each step
    /// (0 = all well; otherwise `1 + rank` of a rank that failed), so that an error on one rank
    /// stops every rank instead of leaving them waiting in the next all-reduce.
    ///
    /// # Errors
    /// A peer left or the transport failed.
    fn all_reduce_max(&self, value: u64) -> Result<u64, DistributedError>;

    /// `true` on rank 0: the rank that writes logs, plots and checkpoints.
    fn is_main(&self) -> bool {
        self.rank() == 0
    }
}

impl<C: Collective + ?Sized> Collective for Box<C> {
    fn rank(&self) -> usize {
        (**self).rank()
    }
    fn world_size(&self) -> usize {
        (**self).world_size()
    }
    fn broadcast(&self, buffer: &mut [f32], root: usize) -> Result<(), DistributedError> {
        (**self).broadcast(buffer, root)
    }
    fn all_reduce_sum(&self, buffer: &mut [f32]) -> Result<(), DistributedError> {
        (**self).all_reduce_sum(buffer)
    }
    fn broadcast_bytes(&self, bytes: &mut Vec<u8>, root: usize) -> Result<(), DistributedError> {
        (**self).broadcast_bytes(bytes, root)
    }
    fn all_reduce_max(&self, value: u64) -> Result<u64, DistributedError> {
        (**self).all_reduce_max(value)
    }
}

/// A group shared between a trainer (which owns one handle) and the code around it.
impl<C: Collective + ?Sized> Collective for std::sync::Arc<C> {
    fn rank(&self) -> usize {
        (**self).rank()
    }
    fn world_size(&self) -> usize {
        (**self).world_size()
    }
    fn broadcast(&self, buffer: &mut [f32], root: usize) -> Result<(), DistributedError> {
        (**self).broadcast(buffer, root)
    }
    fn all_reduce_sum(&self, buffer: &mut [f32]) -> Result<(), DistributedError> {
        (**self).all_reduce_sum(buffer)
    }
    fn broadcast_bytes(&self, bytes: &mut Vec<u8>, root: usize) -> Result<(), DistributedError> {
        (**self).broadcast_bytes(bytes, root)
    }
    fn all_reduce_max(&self, value: u64) -> Result<u64, DistributedError> {
        (**self).all_reduce_max(value)
    }
}
