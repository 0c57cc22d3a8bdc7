//! The one thread-count control of the runtime: every parallel path (today the GEMMs behind
//! `matmul`, `Linear` and their gradients) asks [`num_threads`] at each call, so a change made
//! with [`set_num_threads`] applies from the next operation on, on every thread.
//!
//! The default, resolved at first use: the `MINITRAINER_NUM_THREADS` environment variable when
//! it holds a positive integer, else two threads when the machine has them (one when it has
//! one). Two, not all cores: the products of a training step are small enough that a third
//! and fourth thread cost more in hand-off than they give, and a machine is usually shared.
//!
//! The work itself runs on the calling thread and on persistent workers (a rayon-core pool
//! started at the first split product, one worker fewer than the machine has cores, asleep
//! when idle): starting a thread per product cost 13–20 µs, a tenth of a small product.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The environment variable read once for the default thread count.
pub const NUM_THREADS_ENV: &str = "MINITRAINER_NUM_THREADS";

/// The count set by [`set_num_threads`], or 0 while unresolved (the default applies).
static NUM_THREADS: AtomicUsize = AtomicUsize::new(0);

/// The default, resolved at first use (the environment is read once).
static DEFAULT_THREADS: OnceLock<usize> = OnceLock::new();

/// The number of threads the runtime's parallel operations use (at least 1).
///
/// # Examples
/// ```
/// assert!(minitrainer_core::num_threads() >= 1);
/// ```
pub fn num_threads() -> usize {
    match NUM_THREADS.load(Ordering::Relaxed) {
        0 => default_threads(),
        n => n,
    }
}

/// Sets the number of threads of every parallel operation, for all threads of the process,
/// from the next operation on (PyTorch's `torch.set_num_threads`). `1` runs everything on the
/// calling thread; `0` returns to the default (`MINITRAINER_NUM_THREADS`, else up to two).
///
/// A product only uses a second thread when it is large enough to pay for the hand-off, so a
/// higher count never slows small models down.
///
/// # Examples
/// ```
/// use minitrainer_core::{num_threads, set_num_threads};
/// set_num_threads(1);
/// assert_eq!(num_threads(), 1);
/// set_num_threads(0); // back to the default
/// assert!(num_threads() >= 1);
/// ```
pub fn set_num_threads(n: usize) {
    NUM_THREADS.store(n, Ordering::Relaxed);
}

fn default_threads() -> usize {
    *DEFAULT_THREADS.get_or_init(|| {
        parse_env(std::env::var(NUM_THREADS_ENV).ok().as_deref()).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, |cores| cores.get().min(2))
        })
    })
}

/// Runs `work` on the calling thread and on `threads - 1` workers of the pool at once, and
/// returns when every call has returned (re-raising a worker's panic). `work` shares itself
/// out (each call takes blocks until none are left), so the caller finishes the job alone
/// when the workers are busy or could not be started.
pub(crate) fn run_on_threads(threads: usize, work: &(dyn Fn() + Sync)) {
    match pool() {
        Some(pool) if threads > 1 => pool.in_place_scope(|scope| {
            for _ in 1..threads {
                scope.spawn(|_| work());
            }
            work();
        }),
        _ => work(),
    }
}

/// The next block of a job shared out through a `Mutex`ed iterator (`run_on_threads`' usual
/// `work`); `None` when none is left, or when another thread panicked holding the lock (that
/// panic reaches the caller through `run_on_threads`).
pub(crate) fn next_block<I: Iterator>(blocks: &Mutex<I>) -> Option<I::Item> {
    blocks.lock().ok()?.next()
}

/// The workers, started at first use; `None` when the OS refused the threads.
fn pool() -> Option<&'static rayon_core::ThreadPool> {
    static POOL: OnceLock<Option<rayon_core::ThreadPool>> = OnceLock::new();
    let workers = || {
        let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
        cores.max(2) - 1
    };
    POOL.get_or_init(|| {
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(workers())
            .thread_name(|i| format!("minitrainer-worker-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// A positive integer, surrounding blanks allowed; anything else is ignored (the machine's
/// default applies), as `OMP_NUM_THREADS` is by most runtimes.
fn parse_env(value: Option<&str>) -> Option<usize> {
    value?.trim().parse().ok().filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::{parse_env, run_on_threads};

    #[test]
    fn every_thread_runs_the_work_and_the_caller_waits_for_them() {
        for threads in [1, 2, 5] {
            let calls = Mutex::new(Vec::new());
            run_on_threads(threads, &|| {
                calls.lock().unwrap().push(std::thread::current().id())
            });
            let calls = calls.into_inner().unwrap();
            assert_eq!(calls.len(), threads, "{threads} threads");
            assert!(calls.contains(&std::thread::current().id()));
        }
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let caller = std::thread::current().id();
        let outcome = std::panic::catch_unwind(|| {
            run_on_threads(2, &|| {
                if std::thread::current().id() != caller {
                    panic!("worker failed");
                }
            })
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn the_environment_variable_takes_positive_integers_only() {
        assert_eq!(parse_env(Some("3")), Some(3));
        assert_eq!(parse_env(Some(" 2\n")), Some(2));
        for ignored in [
            None,
            Some(""),
            Some("0"),
            Some("-1"),
            Some("two"),
            Some("1.5"),
        ] {
            assert_eq!(parse_env(ignored), None, "{ignored:?}");
        }
    }
}
