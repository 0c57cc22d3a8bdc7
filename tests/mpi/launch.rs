//! The launching process: starts this binary as the ranks of `mpiexec` jobs, with a deadline.

use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use super::{FAIL_RANK, RANKS};

/// Longest a job may take before it counts as hung (debug builds on a busy 2-core machine).
const DEADLINE: Duration = Duration::from_secs(300);

/// Runs the 2- and 3-rank jobs (they must pass) and a 2-rank job whose rank 1 fails (it must
/// end, non-zero, before the deadline).
pub fn run_jobs() -> ExitCode {
    let mpiexec = std::env::var("MPIEXEC").unwrap_or_else(|_| "mpiexec".to_owned());
    let mut failures = 0;
    for (ranks, fail, want_success) in [(2, None, true), (3, None, true), (2, Some(1), false)] {
        let label = match fail {
            Some(rank) => format!("{mpiexec} -n {ranks} (rank {rank} fails on purpose)"),
            None => format!("{mpiexec} -n {ranks}"),
        };
        match job(&mpiexec, ranks, fail) {
            Ok(success) if success == want_success => println!("ok: {label}"),
            Ok(success) => {
                failures += 1;
                println!("FAILED: {label}: exit success = {success}, expected {want_success}");
            }
            Err(e) => {
                failures += 1;
                println!("FAILED: {label}: {e}");
            }
        }
    }
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One job: whether it exited successfully, or an error if it could not start or hung.
fn job(mpiexec: &str, ranks: usize, fail: Option<usize>) -> Result<bool, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let mut command = Command::new(mpiexec);
    command
        .args(["-n", &ranks.to_string()])
        .arg(&exe)
        .env(RANKS, ranks.to_string())
        .stdin(Stdio::null());
    if let Some(rank) = fail {
        command.env(FAIL_RANK, rank.to_string());
    }
    let mut child = command.spawn().map_err(|e| {
        format!("cannot run `{mpiexec}` ({e}); install MPICH (Debian: apt-get install mpich)")
    })?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status.success());
        }
        if start.elapsed() > DEADLINE {
            stop(&mut child);
            return Err(format!("still running after {DEADLINE:?}: a rank hangs"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Ends the hung job: SIGTERM first (hydra passes it on to its ranks), SIGKILL if it lingers.
/// Only the `mpiexec` this process started, by its id.
fn stop(child: &mut std::process::Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    for _ in 0..100 {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}
