//! The `minitrainer` command as a library: [`main_with_args`] runs a command line, [`run`]
//! is a whole `main`. The `minitrainer` binary is `fn main() -> ExitCode { minitrainer_cli::run() }`.
//!
//! # Your own models on the command line
//!
//! Models are found by name in the registry, which holds the `#[model]` types of every crate
//! linked into the program. To train, list and predict with your own models, build your own
//! `minitrainer` binary that links your model crate and calls this crate's entry point:
//!
//! ```toml
//! # my-trainer/Cargo.toml
//! [dependencies]
//! minitrainer-cli = { path = "../minitrainer/minitrainer-cli" }
//! my-models = { path = "../my-models" }
//! ```
//!
//! ```no_run
//! // my-trainer/src/main.rs
//! // use my_models as _; // naming the crate links it, so its #[model] types are registered
//! fn main() -> std::process::ExitCode {
//!     minitrainer_cli::run()
//! }
//! ```
//!
//! `cargo run -p my-trainer -- list` then shows your models next to the built-in ones
//! (`examples/custom_cli.rs` in this crate is such a program, and its test runs it).
//!
//! The built-in `mlp` model ([`Mlp`]) is registered by this crate.

pub mod callbacks;
mod cli;
pub mod commands;
pub mod components;
pub mod data_spec;
pub mod error;
pub mod mlp;
pub mod plot;
pub mod ranks;
pub mod run_dir;
pub mod run_file;

use std::ffi::OsString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

pub use error::CliError;
pub use mlp::{Mlp, MlpActivation, MlpConfig};

/// Runs the command line `args` (the program name first, as `std::env::args_os()`).
/// Output goes to stdout; a panic inside a command (a bug, or the library rejecting input by
/// panicking) is caught and returned as [`CliError::Internal`], without a backtrace. The panic
/// hook is process-wide: it is silenced while the command runs and restored afterwards, so
/// call this from one thread at a time.
///
/// # Errors
/// The command's error: bad usage, a bad run file (every problem), a missing or malformed
/// file, an unknown model, a training error.
pub fn main_with_args<I, T>(args: I) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let previous = std::panic::take_hook();
    // Silence the default "thread panicked at" report; the message is returned instead.
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| cli::dispatch(args)));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown failure".into());
        Err(CliError::Internal(message))
    })
}

/// The whole program: runs the process's command line, prints an error as
/// `error: <message>` on stderr, and returns the exit code (0, 1, or 2 for usage errors).
pub fn run() -> ExitCode {
    match main_with_args(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
