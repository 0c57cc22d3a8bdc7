//! Validated configs: the `Config` trait that `#[derive(Config)]` implements.
//! (Placeholder: filled in by the Config issue.)

/// A config was invalid or could not be parsed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {}
