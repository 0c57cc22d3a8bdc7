//! Data-parallel training across processes (PyTorch's DistributedDataParallel): one model
//! trained on N ranks, each on its own share of every batch, gradients averaged between them.
//!
//! [`Collective`] is the port: the few group operations data parallelism needs. Its adapters are
//! [`SingleProcess`] (a group of one: every operation is a no-op), in-process threads (tests the
//! data-parallel logic in every `cargo test` without MPI) and `MpiCollective` (one rank per
//! process under `mpiexec`, behind the `mpi` feature).

mod collective;
mod error;
#[cfg(feature = "mpi")]
mod mpi;
mod single;

pub use collective::Collective;
pub use error::DistributedError;
#[cfg(feature = "mpi")]
pub use mpi::MpiCollective;
pub use single::SingleProcess;
