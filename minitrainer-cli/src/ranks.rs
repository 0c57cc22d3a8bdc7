//! The ranks of a data-parallel `train`: `mpiexec -n N minitrainer train RUN.json` starts N
//! processes; with the `mpi` feature each joins the MPI world and trains its share of every
//! epoch, and rank 0 alone writes the run directory.

use std::sync::Arc;

use minitrainer::distributed::Collective;

use crate::data_spec::Share;
use crate::error::CliError;

/// How many processes the launcher started, read from its environment (MPICH's hydra sets
/// `PMI_SIZE`, Open MPI `OMPI_COMM_WORLD_SIZE`); `None` when not started by `mpiexec`.
fn launched_ranks() -> Option<usize> {
    ["PMI_SIZE", "OMPI_COMM_WORLD_SIZE"]
        .iter()
        .find_map(|name| std::env::var(name).ok()?.parse().ok())
}

/// The group of a data-parallel run, shared: the trainer holds one handle (an `Arc` clone) and
/// `train` another, so that MPI stays up until every rank is done (or aborted) even when this
/// rank fails before its trainer exists.
pub type Group = Arc<dyn Collective + Send + Sync>;

/// The group this process trains in: `None` for a single process (no `mpiexec`), the MPI world
/// under `mpiexec` (feature `mpi`).
///
/// # Errors
/// MPI cannot start, or `mpiexec` started several processes of a `minitrainer` built without
/// the `mpi` feature (each would train alone and write the same run directory).
pub fn group() -> Result<Option<Group>, CliError> {
    let Some(ranks) = launched_ranks() else {
        return Ok(None);
    };
    #[cfg(feature = "mpi")]
    {
        let _ = ranks;
        let world = minitrainer::distributed::MpiCollective::new()
            .map_err(|e| CliError::library("starting MPI", e))?;
        Ok(Some(Arc::new(world)))
    }
    #[cfg(not(feature = "mpi"))]
    match ranks {
        0 | 1 => Ok(None),
        n => Err(CliError::Usage(format!(
            "mpiexec started {n} processes, but this minitrainer was built without the `mpi` \
             feature: each would train alone and write the same run directory; build it with \
             `--features mpi` (needs MPICH)"
        ))),
    }
}

/// The share of each epoch `group` trains on.
pub fn share(group: Option<&(dyn Collective + Send + Sync)>) -> Share {
    group.map_or(Share::ALL, |g| Share {
        rank: g.rank(),
        world_size: g.world_size(),
    })
}

/// A failed rank of a data-parallel run ends every rank (`MPI_Abort`) after printing its error,
/// so that no rank waits for it in the next collective; otherwise `result` as it is.
pub fn stop_all_on_error<T>(result: Result<T, CliError>, share: Share) -> Result<T, CliError> {
    #[cfg(feature = "mpi")]
    if let Err(e) = &result
        && share.world_size > 1
    {
        eprintln!("error (rank {} of {}): {e}", share.rank, share.world_size);
        minitrainer::distributed::MpiCollective::abort(1)
    }
    let _ = share;
    result
}
