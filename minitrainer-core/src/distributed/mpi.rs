//! The MPI adapter (feature `mpi`): one rank per process, on one or many hosts, launched by
//! `mpiexec` (MPICH's hydra), through rsmpi's safe API.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use ::mpi::Threading;
use ::mpi::collective::SystemOperation;
use ::mpi::environment::Universe;
use ::mpi::topology::SimpleCommunicator;
use ::mpi::traits::{Communicator, CommunicatorCollectives, Root};

use super::{Collective, DistributedError};

/// The most elements one MPI call moves: MPI counts are C `int`s, so longer buffers go in pieces.
const CHUNK: usize = 1 << 26;
/// The top bit of a `u64`.
const SIGN: u64 = 1 << 63;

/// The MPI world as a [`Collective`]: every process started by `mpiexec -n N` is one rank.
///
/// It owns the MPI environment: [`MpiCollective::new`] initialises MPI, dropping it finalises
/// MPI (once per process; MPI cannot be started again afterwards). Drop it on every rank at the
/// same point (after the last collective), as MPI's finalisation is collective.
///
/// Every operation first checks, with one small all-gather, that all ranks passed the same
/// length (and root), so a mismatch is a [`DistributedError::LengthMismatch`] on every rank
/// instead of undefined behaviour. [`all_reduce_sum`](Collective::all_reduce_sum) sums on rank 0
/// (`MPI_Reduce`) and broadcasts the result, so every rank holds the same bits whatever
/// algorithm the MPI library picks for the reduction (MPI does not promise that for `MPI_Allreduce`
/// with more than two ranks).
///
/// A process that dies makes `mpiexec` end the whole job (MPICH's default), and an MPI error
/// aborts it (`MPI_ERRORS_ARE_FATAL`): no rank waits forever, but such failures end the process
/// instead of returning [`DistributedError::PeerGone`]. An error that one rank detects itself
/// should be shared with the status agreement of data-parallel training (`all_reduce_max`) or,
/// failing that, end the job with [`MpiCollective::abort`].
///
/// It is `Send` and `Sync`: MPI is initialised with `MPI_THREAD_SERIALIZED` and every operation
/// holds a lock, so threads that share the handle (in an `Arc`) take turns. Each rank must still
/// call the operations in the same order.
///
/// # Examples
/// Run with `mpiexec -n 2 target/debug/examples/NAME` (alone, it is a group of one):
/// ```no_run
/// use minitrainer_core::distributed::{Collective, MpiCollective};
/// let world = MpiCollective::new()?;
/// let mut grads = vec![world.rank() as f32; 3];
/// world.all_reduce_sum(&mut grads)?;
/// let n = world.world_size() as f32;
/// assert_eq!(grads, vec![n * (n - 1.0) / 2.0; 3]);
/// # Ok::<(), minitrainer_core::distributed::DistributedError>(())
/// ```
pub struct MpiCollective {
    world: SimpleCommunicator,
    rank: usize,
    size: usize,
    /// Held during every operation (MPI calls from one thread at a time); inside, rank 0's
    /// receive buffer for `MPI_Reduce` (rsmpi has no `MPI_IN_PLACE`), kept between calls.
    serial: Mutex<Vec<f32>>,
    /// Declared last: finalises MPI when dropped, after the communicator.
    _universe: Universe,
}

impl MpiCollective {
    /// Initialises MPI and takes its world communicator (`MPI_COMM_WORLD`).
    ///
    /// Run under `mpiexec -n N` for N ranks; started alone, the process is a world of one.
    ///
    /// # Errors
    /// [`DistributedError::Transport`] if MPI was already initialised in this process (by another
    /// `MpiCollective`, alive or dropped, or by other code) or cannot give the thread support
    /// this handle needs. An MPI library that fails to start aborts the process (MPI's default
    /// error handler) with its own message.
    pub fn new() -> Result<Self, DistributedError> {
        let (universe, threading) = ::mpi::initialize_with_threading(Threading::Serialized)
            .ok_or_else(|| {
                DistributedError::Transport(
                    "MPI was already initialised in this process (one MpiCollective per process; \
                     MPI cannot be restarted after it is finalised)"
                        .to_owned(),
                )
            })?;
        if threading < Threading::Serialized {
            return Err(DistributedError::Transport(format!(
                "the MPI library provides thread support {threading:?}; MpiCollective needs \
                 Serialized (build MPICH with thread support)"
            )));
        }
        let world = universe.world();
        let rank = to_usize(world.rank(), "rank")?;
        let size = to_usize(world.size(), "world size")?;
        Ok(Self {
            world,
            rank,
            size,
            serial: Mutex::new(Vec::new()),
            _universe: universe,
        })
    }

    /// Ends every rank of the job now (`MPI_Abort` on the world, with `code` as the exit status
    /// `mpiexec` reports), for an error one rank cannot share with the others through a
    /// collective. An associated function, so that it works while a `Trainer` owns the handle;
    /// without MPI running (not started yet, or finalised), it exits this process with `code`.
    pub fn abort(code: i32) -> ! {
        if ::mpi::environment::is_initialized() && !::mpi::environment::is_finalized() {
            SimpleCommunicator::world().abort(code)
        }
        std::process::exit(code)
    }

    /// The lock every operation holds (a panic inside one leaves nothing half-done to MPI).
    fn serial(&self) -> MutexGuard<'_, Vec<f32>> {
        self.serial.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Agrees that every rank passed the same `len` and `root`; the same error on every rank
    /// otherwise. One all-gather of two integers per rank.
    fn check_agreement(
        &self,
        operation: &'static str,
        len: usize,
        root: usize,
    ) -> Result<(), DistributedError> {
        let mine = [len as u64, root as u64];
        let mut all = vec![0_u64; 2 * self.size];
        self.world.all_gather_into(&mine[..], &mut all[..]);
        let (expected, expected_root) = (all[0], all[1]);
        for (rank, pair) in all.chunks_exact(2).enumerate() {
            if pair[0] != expected {
                return Err(DistributedError::LengthMismatch {
                    operation,
                    rank,
                    len: pair[0] as usize,
                    expected: expected as usize,
                });
            }
            if pair[1] != expected_root {
                return Err(DistributedError::Transport(format!(
                    "{operation}: rank {rank} named root {}, rank 0 named root {expected_root}; \
                     every rank must name the same root",
                    pair[1]
                )));
            }
        }
        if root >= self.size {
            return Err(DistributedError::RootOutOfRange {
                root,
                world_size: self.size,
            });
        }
        Ok(())
    }

    fn broadcast_chunks<T: ::mpi::datatype::Equivalence>(&self, buffer: &mut [T], root: usize) {
        let process = self.world.process_at_rank(root as i32);
        for chunk in buffer.chunks_mut(CHUNK) {
            process.broadcast_into(chunk);
        }
    }
}

impl Collective for MpiCollective {
    fn rank(&self) -> usize {
        self.rank
    }

    fn world_size(&self) -> usize {
        self.size
    }

    fn broadcast(&self, buffer: &mut [f32], root: usize) -> Result<(), DistributedError> {
        let _serial = self.serial();
        self.check_agreement("broadcast", buffer.len(), root)?;
        self.broadcast_chunks(buffer, root);
        Ok(())
    }

    fn all_reduce_sum(&self, buffer: &mut [f32]) -> Result<(), DistributedError> {
        let mut scratch = self.serial();
        self.check_agreement("all_reduce_sum", buffer.len(), 0)?;
        if self.size == 1 {
            return Ok(());
        }
        if self.size == 2 {
            // Two ranks: every sum is `a + b` or `b + a`, the same bits in IEEE 754 whatever
            // MPI's algorithm, so the native all-reduce (half the traffic of reduce +
            // broadcast) keeps the ranks bitwise equal. (Two NaNs with different payloads are
            // the exception; the trainer stops or skips on a non-finite gradient anyway.)
            for chunk in buffer.chunks_mut(CHUNK) {
                scratch.clear();
                scratch.resize(chunk.len(), 0.0);
                self.world
                    .all_reduce_into(&chunk[..], &mut scratch[..], SystemOperation::sum());
                chunk.copy_from_slice(&scratch);
            }
            return Ok(());
        }
        let root = self.world.process_at_rank(0);
        if self.rank == 0 {
            for chunk in buffer.chunks_mut(CHUNK) {
                scratch.clear();
                scratch.resize(chunk.len(), 0.0);
                root.reduce_into_root(&chunk[..], &mut scratch[..], SystemOperation::sum());
                chunk.copy_from_slice(&scratch);
            }
        } else {
            for chunk in buffer.chunks(CHUNK) {
                root.reduce_into(chunk, SystemOperation::sum());
            }
        }
        // Rank 0's sums, bit for bit, on every rank.
        self.broadcast_chunks(buffer, 0);
        Ok(())
    }

    fn broadcast_bytes(&self, bytes: &mut Vec<u8>, root: usize) -> Result<(), DistributedError> {
        let _serial = self.serial();
        // Lengths may differ here: only the root's counts, so agree on the root alone.
        self.check_agreement("broadcast_bytes", 0, root)?;
        let mut len = [bytes.len() as u64];
        self.broadcast_chunks(&mut len[..], root);
        let len = usize::try_from(len[0]).map_err(|_| {
            DistributedError::Transport(format!(
                "broadcast_bytes: rank {root} sent {} bytes, more than this rank can address",
                len[0]
            ))
        })?;
        bytes.resize(len, 0);
        self.broadcast_chunks(&mut bytes[..], root);
        Ok(())
    }

    fn all_reduce_max(&self, value: u64) -> Result<u64, DistributedError> {
        // MPICH 4.0.2 (Debian 12's) compares MPI_UINT64_T as signed under MPI_MAX, so
        // u64::MAX lost to 0. Flipping the top bit maps unsigned order onto signed order:
        // reduce as i64 (whose MAX every MPI gets right), flip back.
        let _serial = self.serial();
        let key = (value ^ SIGN) as i64;
        let mut max = 0_i64;
        self.world
            .all_reduce_into(&key, &mut max, SystemOperation::max());
        Ok(max as u64 ^ SIGN)
    }
}

impl fmt::Debug for MpiCollective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MpiCollective")
            .field("rank", &self.rank)
            .field("world_size", &self.size)
            .finish_non_exhaustive()
    }
}

fn to_usize(value: i32, what: &str) -> Result<usize, DistributedError> {
    usize::try_from(value).map_err(|_| {
        DistributedError::Transport(format!("MPI reported a negative {what}: {value}"))
    })
}
