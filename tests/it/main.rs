//! One integration-test binary (faster to link than one per file).

mod config_enum_rename;
mod derive_config;
mod derive_module;
mod freeze;
mod hooks;
mod pretrained;
mod registry;
mod state_dict;
mod threads;
