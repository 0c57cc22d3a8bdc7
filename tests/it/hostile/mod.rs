//! Hostile conditions (issue 14): processes killed mid-save, many threads at once, numerical
//! faults, and files that lie about their sizes. Fuzzing itself lives in `fuzz/`; the inputs
//! it found are in `fuzz_inputs.rs`.

mod concurrency;
mod limits;
mod numeric;
mod save_kill;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set in a child process run by [`run_child`]: the `#[ignore]`d child tests check it so that
/// `cargo test -- --ignored` alone does not run them out of context.
pub(crate) const CHILD_ENV: &str = "MINITRAINER_HOSTILE_CHILD";

/// Runs the ignored test `name` alone in a fresh process of this test binary (nothing else
/// runs there: thread counts and first-use races are its own), and asserts it passes within
/// `limit`.
pub(crate) fn run_child(name: &str, limit: Duration) {
    run_child_within(name, limit, None);
}

/// [`run_child`] with the child's address space capped at `max_memory_kib` (`ulimit -v`):
/// an allocation past it fails in the child, so a reader that sizes a buffer from a lying
/// header aborts the child (and fails the test) whatever the machine's overcommit policy.
pub(crate) fn run_child_within(name: &str, limit: Duration, max_memory_kib: Option<u64>) {
    let exe = std::env::current_exe().expect("the test binary");
    let args = [
        "--ignored",
        "--exact",
        name,
        "--test-threads=1",
        "--nocapture",
    ];
    let mut command = match max_memory_kib {
        None => Command::new(&exe),
        Some(kib) => {
            let mut sh = Command::new("sh");
            sh.arg("-c")
                .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
                .arg(&exe);
            sh
        }
    };
    let mut child = command
        .args(args)
        .env(CHILD_ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the child starts");
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("the child is polled") {
            let output = child.wait_with_output().expect("the child's output");
            assert!(
                status.success(),
                "{name} failed: {}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains("1 passed"), "{name} did not run: {stdout}");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name} hung: killed after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether this process is a child run by [`run_child`].
pub(crate) fn in_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}
