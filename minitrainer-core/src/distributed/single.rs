//! The group of one: training without distribution goes through the same code path.

use super::{Collective, DistributedError};

/// A group of one rank: every collective operation leaves its buffer as it is.
///
/// # Examples
/// ```
/// use minitrainer_core::distributed::{Collective, SingleProcess};
/// let group = SingleProcess;
/// let mut grads = vec![1.0, 2.0];
/// group.all_reduce_sum(&mut grads)?;
/// assert_eq!((group.rank(), group.world_size(), grads), (0, 1, vec![1.0, 2.0]));
/// # Ok::<(), minitrainer_core::distributed::DistributedError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SingleProcess;

impl Collective for SingleProcess {
    fn rank(&self) -> usize {
        0
    }
    fn world_size(&self) -> usize {
        1
    }
    fn broadcast(&self, _buffer: &mut [f32], root: usize) -> Result<(), DistributedError> {
        check_root(root)
    }
    fn all_reduce_sum(&self, _buffer: &mut [f32]) -> Result<(), DistributedError> {
        Ok(())
    }
    fn broadcast_bytes(&self, _bytes: &mut Vec<u8>, root: usize) -> Result<(), DistributedError> {
        check_root(root)
    }
    fn all_reduce_max(&self, value: u64) -> Result<u64, DistributedError> {
        Ok(value)
    }
}

fn check_root(root: usize) -> Result<(), DistributedError> {
    if root == 0 {
        Ok(())
    } else {
        Err(DistributedError::RootOutOfRange {
            root,
            world_size: 1,
        })
    }
}
