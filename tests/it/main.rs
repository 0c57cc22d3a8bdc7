//! One integration-test binary (faster to link than one per file).

mod derive_config;
mod derive_module;
mod pretrained;
mod registry;
