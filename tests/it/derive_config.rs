//! `#[derive(Config)]` as a user sees it.

use minitrainer::prelude::*;

/// Activation.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// Rectified.
    Relu,
    Gelu,
    LeakyRelu,
}

/// An MLP.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct MlpConfig {
    /// Number of input features.
    #[config(min = 1)]
    pub in_dim: usize,
    /// Hidden layer widths.
    #[config(default = vec![128], non_empty)]
    pub hidden: Vec<usize>,
    #[config(min = 1)]
    pub out_dim: usize,
    #[config(default = 0.0, range = 0.0..1.0)]
    pub dropout: f32,
    #[config(default = Activation::Relu)]
    pub activation: Activation,
    pub seed: Option<u64>,
}

#[test]
fn builder_fills_defaults_and_json_round_trips() -> Result<(), ConfigError> {
    let config = MlpConfig::builder().in_dim(3).out_dim(2).build()?;
    assert_eq!(config.hidden, [128]);
    assert_eq!(MlpConfig::from_json(&config.to_json())?, config);
    Ok(())
}
