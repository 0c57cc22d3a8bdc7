//! One integration-test binary (faster to link than one per file).

mod config_enum_rename;
mod derive_config;
mod derive_module;
mod freeze;
mod hooks;
mod hooks_replace;
mod layer_input_errors;
mod multi_input;
mod pretrained;
mod registry;
mod rng_state;
mod saved_config;
mod state_dict;
mod threads;
