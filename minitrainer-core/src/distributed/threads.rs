//! In-process ranks: a group of threads that meet at each collective operation. It runs the
//! data-parallel logic in every `cargo test`, without MPI.
//!
//! One `Mutex` guards the meeting: each rank leaves its contribution and waits on a `Condvar`
//! until the last rank to arrive has combined them (in rank order, so every rank reads the same
//! bits) and advanced the generation. A rank whose handle is dropped (its thread returned or
//! panicked) is marked departed, which wakes the waiting ranks with
//! [`DistributedError::PeerGone`] instead of leaving them waiting forever.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::{Collective, DistributedError};

/// Builds a group of in-process ranks; see [`ThreadGroup::new`].
#[derive(Debug)]
pub struct ThreadGroup;

impl ThreadGroup {
    /// `world_size` connected ranks, in rank order: move each into its own thread (for example
    /// with `std::thread::scope`), where it is that thread's [`Collective`].
    ///
    /// # Panics
    /// When `world_size` is 0.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::distributed::{Collective, ThreadGroup};
    /// let sums = std::thread::scope(|scope| {
    ///     let handles: Vec<_> = ThreadGroup::new(3)
    ///         .into_iter()
    ///         .map(|rank| {
    ///             scope.spawn(move || {
    ///                 let mut values = vec![rank.rank() as f32, 1.0];
    ///                 rank.all_reduce_sum(&mut values).map(|()| values)
    ///             })
    ///         })
    ///         .collect();
    ///     handles.into_iter().map(|h| h.join().unwrap()).collect::<Result<Vec<_>, _>>()
    /// })?;
    /// assert_eq!(sums, vec![vec![3.0, 3.0]; 3]);
    /// # Ok::<(), minitrainer_core::distributed::DistributedError>(())
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(world_size: usize) -> Vec<ThreadRank> {
        assert!(world_size > 0, "a thread group needs at least one rank");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                generation: 0,
                arrivals: vec![None; world_size],
                arrived: 0,
                outcome: Arc::new(Ok(Payload::Max(0))),
                departed: None,
            }),
            wake: Condvar::new(),
        });
        (0..world_size)
            .map(|rank| ThreadRank {
                rank,
                world_size,
                shared: Arc::clone(&shared),
            })
            .collect()
    }
}

/// One rank of a [`ThreadGroup`], used from its own thread. Dropping it tells the other ranks
/// it left.
#[derive(Debug)]
pub struct ThreadRank {
    rank: usize,
    world_size: usize,
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Debug)]
struct State {
    /// Operations completed so far.
    generation: u64,
    /// Each rank's contribution to the operation under way.
    arrivals: Vec<Option<Arrival>>,
    arrived: usize,
    /// The result of the last completed operation (every rank reads it before it can arrive at
    /// the next one, so one slot is enough).
    outcome: Arc<Result<Payload, DistributedError>>,
    /// The first rank that left: the one every waiting rank reports (a rank that then fails
    /// because of it and leaves too must not be blamed instead).
    departed: Option<usize>,
}

#[derive(Clone, Debug)]
struct Arrival {
    operation: &'static str,
    root: usize,
    payload: Payload,
}

#[derive(Clone, Debug)]
enum Payload {
    Floats(Vec<f32>),
    /// A non-root rank's broadcast: only its length matters.
    Length(usize),
    Bytes(Vec<u8>),
    Max(u64),
}

impl ThreadRank {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A rank that panicked holds no invariant half-done: the state is updated in one piece.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Leaves `arrival`, waits for every rank, and returns the combined result.
    fn meet(&self, arrival: Arrival) -> Result<Payload, DistributedError> {
        let operation = arrival.operation;
        if arrival.root >= self.world_size {
            return Err(DistributedError::RootOutOfRange {
                root: arrival.root,
                world_size: self.world_size,
            });
        }
        let mut state = self.lock();
        if let Some(rank) = state.departed {
            return Err(DistributedError::PeerGone { rank, operation });
        }
        let generation = state.generation;
        state.arrivals[self.rank] = Some(arrival);
        state.arrived += 1;
        if state.arrived == self.world_size {
            let arrivals: Vec<Arrival> =
                state.arrivals.iter_mut().filter_map(Option::take).collect();
            state.outcome = Arc::new(combine(&arrivals));
            state.arrived = 0;
            state.generation += 1;
            self.shared.wake.notify_all();
        } else {
            while state.generation == generation {
                if let Some(rank) = state.departed {
                    return Err(DistributedError::PeerGone { rank, operation });
                }
                state = self
                    .shared
                    .wake
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        let outcome = Arc::clone(&state.outcome);
        drop(state);
        match &*outcome {
            Ok(payload) => Ok(payload.clone()),
            Err(error) => Err(clone_error(error)),
        }
    }
}

/// Combines the ranks' contributions (in rank order): the same result, bit for bit, for all.
fn combine(arrivals: &[Arrival]) -> Result<Payload, DistributedError> {
    let first = &arrivals[0];
    if let Some((rank, other)) = arrivals
        .iter()
        .enumerate()
        .find(|(_, a)| a.operation != first.operation || a.root != first.root)
    {
        return Err(DistributedError::Transport(format!(
            "rank {rank} called {}(root {}) while rank 0 called {}(root {}); every rank must call the same operations in the same order",
            other.operation, other.root, first.operation, first.root
        )));
    }
    let len = |payload: &Payload| match payload {
        Payload::Floats(values) => values.len(),
        Payload::Length(len) => *len,
        Payload::Bytes(_) | Payload::Max(_) => 0,
    };
    let expected = len(&first.payload);
    if let Some((rank, other)) = arrivals
        .iter()
        .enumerate()
        .find(|(_, a)| len(&a.payload) != expected)
    {
        return Err(DistributedError::LengthMismatch {
            operation: first.operation,
            rank,
            len: len(&other.payload),
            expected,
        });
    }
    Ok(match first.operation {
        "all_reduce_sum" => {
            // Rank 0's values, then ranks 1, 2, ... added in order.
            let mut sum = match &first.payload {
                Payload::Floats(values) => values.clone(),
                _ => vec![0.0; expected],
            };
            for arrival in &arrivals[1..] {
                if let Payload::Floats(values) = &arrival.payload {
                    sum.iter_mut().zip(values).for_each(|(s, v)| *s += v);
                }
            }
            Payload::Floats(sum)
        }
        "all_reduce_max" => Payload::Max(
            arrivals
                .iter()
                .filter_map(|a| match a.payload {
                    Payload::Max(value) => Some(value),
                    _ => None,
                })
                .max()
                .unwrap_or(0),
        ),
        _ => arrivals[first.root].payload.clone(),
    })
}

/// `DistributedError` is not `Clone` (its `Transport` could hold anything); every rank gets
/// its own copy of the shared outcome.
fn clone_error(error: &DistributedError) -> DistributedError {
    match error {
        DistributedError::RootOutOfRange { root, world_size } => DistributedError::RootOutOfRange {
            root: *root,
            world_size: *world_size,
        },
        DistributedError::LengthMismatch {
            operation,
            rank,
            len,
            expected,
        } => DistributedError::LengthMismatch {
            operation,
            rank: *rank,
            len: *len,
            expected: *expected,
        },
        DistributedError::PeerGone { rank, operation } => DistributedError::PeerGone {
            rank: *rank,
            operation,
        },
        other => DistributedError::Transport(other.to_string()),
    }
}

impl Collective for ThreadRank {
    fn rank(&self) -> usize {
        self.rank
    }

    fn world_size(&self) -> usize {
        self.world_size
    }

    fn broadcast(&self, buffer: &mut [f32], root: usize) -> Result<(), DistributedError> {
        let payload = if self.rank == root {
            Payload::Floats(buffer.to_vec())
        } else {
            Payload::Length(buffer.len())
        };
        let arrival = Arrival {
            operation: "broadcast",
            root,
            payload,
        };
        if let Payload::Floats(values) = self.meet(arrival)? {
            buffer.copy_from_slice(&values);
        }
        Ok(())
    }

    fn all_reduce_sum(&self, buffer: &mut [f32]) -> Result<(), DistributedError> {
        let arrival = Arrival {
            operation: "all_reduce_sum",
            root: 0,
            payload: Payload::Floats(buffer.to_vec()),
        };
        if let Payload::Floats(sum) = self.meet(arrival)? {
            buffer.copy_from_slice(&sum);
        }
        Ok(())
    }

    fn broadcast_bytes(&self, bytes: &mut Vec<u8>, root: usize) -> Result<(), DistributedError> {
        let payload = if self.rank == root {
            Payload::Bytes(bytes.clone())
        } else {
            Payload::Bytes(Vec::new())
        };
        let arrival = Arrival {
            operation: "broadcast_bytes",
            root,
            payload,
        };
        if let Payload::Bytes(received) = self.meet(arrival)? {
            *bytes = received;
        }
        Ok(())
    }

    fn all_reduce_max(&self, value: u64) -> Result<u64, DistributedError> {
        let arrival = Arrival {
            operation: "all_reduce_max",
            root: 0,
            payload: Payload::Max(value),
        };
        match self.meet(arrival)? {
            Payload::Max(max) => Ok(max),
            _ => Ok(value),
        }
    }
}

impl Drop for ThreadRank {
    fn drop(&mut self) {
        let mut state = self.lock();
        state.departed.get_or_insert(self.rank);
        self.shared.wake.notify_all();
    }
}

#[cfg(test)]
#[path = "threads_tests.rs"]
mod tests;
