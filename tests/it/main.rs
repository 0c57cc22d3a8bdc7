//! One integration-test binary (faster to link than one per file).

mod derive_config;
mod derive_module;
mod freeze;
mod hooks;
mod multi_input;
mod pretrained;
mod registry;
mod rng_state;
mod saved_config;
mod schedule;
mod state_dict;
mod threads;
