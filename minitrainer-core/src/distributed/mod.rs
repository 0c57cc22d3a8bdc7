//! Data-parallel training across processes (PyTorch's DistributedDataParallel): one model
//! trained on N ranks, each on its own share of every batch, gradients averaged between them.
//!
//! [`Collective`] is the port: the few group operations data parallelism needs. Its adapters are
//! [`SingleProcess`] (a group of one: every operation is a no-op), in-process threads
//! ([`ThreadGroup`]: the data-parallel logic runs in every `cargo test`, without MPI) and
//! `MpiCollective` (one rank per process under `mpiexec`, behind the `mpi` feature).
//!
//! On top of the port, whatever the adapter: [`broadcast_parameters`] (rank 0's weights on
//! every rank), [`average_gradients`] (bucketed, like DDP's `bucket_cap_mb`),
//! [`agree_on_failure`] (one rank's error stops every rank) and [`all_gather_f64`]. The
//! [`Trainer`](crate::train::Trainer) puts them together:
//! [`TrainerBuilder::distributed`](crate::train::TrainerBuilder::distributed) documents what a
//! data-parallel `fit` does.

mod agreement;
mod collective;
mod data_parallel;
mod error;
#[cfg(feature = "mpi")]
mod mpi;
mod single;
mod threads;

pub use agreement::{agree_on_failure, all_gather_f64};
pub use collective::Collective;
pub use data_parallel::{
    DEFAULT_BUCKET_BYTES, GradientBuckets, average_gradients, broadcast_parameters,
};
pub use error::DistributedError;
#[cfg(feature = "mpi")]
pub use mpi::MpiCollective;
pub use single::SingleProcess;
pub use threads::{ThreadGroup, ThreadRank};
