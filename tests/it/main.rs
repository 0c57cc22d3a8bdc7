//! One integration-test binary (faster to link than one per file).

mod config_enum_rename;
mod datasets;
mod derive_config;
mod derive_module;
mod estimator;
mod freeze;
mod fuzz_inputs;
mod hooks;
mod hooks_replace;
mod hostile;
mod layer_input_errors;
mod loader;
mod losses;
mod metrics;
mod multi_input;
mod named_parameters;
mod optim;
mod pretrained;
mod registry;
mod rng_state;
mod saved_config;
mod schedule;
mod state_dict;
mod threads;
mod train;
mod train_logging;

/// A fresh, empty scratch directory for one test (named after it, and this process).
pub(crate) fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("minitrainer-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
