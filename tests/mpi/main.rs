//! `MpiCollective` under `mpiexec`: the collective operations' semantics, errors that reach every
//! rank, and data-parallel SGD (by hand and through the `Trainer`) on 2 and 3 ranks against one
//! process with the whole batch.
//!
//! `cargo test --features mpi --test mpi` runs this binary once; it then starts itself under
//! `mpiexec -n 2` and `mpiexec -n 3` (the ranks), and once more with one rank made to fail, and
//! checks each job's exit status within a deadline, so a hang fails instead of blocking. The
//! ranks can also be started by hand (e.g. across hosts, `scripts/two_hosts.sh`):
//! `MINITRAINER_MPI_RANKS=2 mpiexec -n 2 target/debug/deps/mpi-HASH`.
//!
//! A failed check on any rank ends the whole job with `MPI_Abort` (exit status 1).

mod checks;
mod equivalence;
mod launch;
mod trainer;

use std::process::ExitCode;
use std::sync::Arc;

use minitrainer::distributed::{Collective, MpiCollective};

/// Set in the ranks' environment: how many ranks the job must have.
const RANKS: &str = "MINITRAINER_MPI_RANKS";
/// Set in the ranks' environment: this rank fails on purpose (the no-hang check).
const FAIL_RANK: &str = "MINITRAINER_MPI_FAIL_RANK";

fn main() -> ExitCode {
    let Some(expected) = std::env::var(RANKS).ok() else {
        return launch::run_jobs();
    };
    let world = match MpiCollective::new() {
        Ok(world) => Arc::new(world),
        Err(e) => {
            eprintln!("cannot start MPI: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rank = world.rank();
    let result = run_rank(&world, &expected);
    match result {
        Ok(()) => {
            println!("rank {rank}/{}: all checks passed", world.world_size());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("rank {rank}: FAILED: {message}");
            MpiCollective::abort(1)
        }
    }
}

fn run_rank(world: &Arc<MpiCollective>, expected: &str) -> Result<(), String> {
    if expected != world.world_size().to_string() {
        return Err(format!(
            "the job has {} ranks, expected {expected}: is `mpiexec` the launcher of the MPI \
             library this binary is linked with (MPICH)?",
            world.world_size()
        ));
    }
    if let Ok(fail) = std::env::var(FAIL_RANK) {
        if fail == world.rank().to_string() {
            return Err("failing on purpose (the no-hang check)".to_owned());
        }
        // The others wait in a collective the failed rank never joins: MPI_Abort must end them.
        let mut buffer = vec![0.0_f32; 4];
        world
            .all_reduce_sum(&mut buffer)
            .map_err(|e| e.to_string())?;
        return Err("a rank failed, yet the collective completed".to_owned());
    }
    checks::run(world)?;
    equivalence::run(world)?;
    trainer::run(world)?;
    Ok(())
}
