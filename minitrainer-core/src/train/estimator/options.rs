//! `EstimatorOptions`: how an estimator trains — optimizer, loss, epochs, batches, seed, and
//! what a second `fit` does. A validated config, so `set_params` reports unknown keys with a
//! suggestion and bad values by name.

use minitrainer_macros::Config;

/// The training options of a [`Classifier`](super::Classifier) or
/// [`Regressor`](super::Regressor) (the `"options"` part of `get_params`).
///
/// ```
/// use minitrainer_core::config::Config;
/// use minitrainer_core::train::EstimatorOptions;
/// let options = EstimatorOptions::from_json(r#"{"epochs": 20, "optimizer": "sgd(lr=0.1)"}"#)?;
/// assert_eq!((options.epochs, options.batch_size, options.warm_start), (20, 32, false));
/// let err = EstimatorOptions::from_json(r#"{"epoch": 20}"#).unwrap_err();
/// assert!(err.to_string().contains(r#"did you mean "epochs"?"#));
/// # Ok::<(), minitrainer_core::config::ConfigError>(())
/// ```
#[derive(Config, Clone, Debug, PartialEq)]
pub struct EstimatorOptions {
    /// The optimizer, as `optimizer_from_str` reads it (`"adam(lr=0.001)"`,
    /// `"sgd(lr=0.1, momentum=0.9)"`). A new optimizer is built at each `fit`.
    #[config(default = "adam(lr=0.001)".to_string(), non_empty)]
    pub optimizer: String,
    /// The loss, as `criterion_from_str` reads it; none: `cross_entropy` for a classifier,
    /// `mse_loss` for a regressor.
    pub loss: Option<String>,
    /// Passes over the training data per `fit`.
    #[config(default = 10, min = 1)]
    pub epochs: u64,
    /// Samples per training batch (and per prediction chunk).
    #[config(default = 32, min = 1)]
    pub batch_size: usize,
    /// Shuffle the samples at each epoch (seeded by `seed`).
    #[config(default = true)]
    pub shuffle: bool,
    /// Seeds everything random in a `fit`: the model's initial weights, the shuffling and
    /// dropout. Two fits with the same seed and data give the same weights, bit for bit.
    #[config(default = 0)]
    pub seed: u64,
    /// What a `fit` after a `fit` does. `false` (the default): it **re-initialises** — the
    /// model is rebuilt from its config with `seed`, so the second fit forgets the first and
    /// gives the same weights as a fit on a new estimator. `true`: it continues from the
    /// fitted weights (with a fresh optimizer, so Adam's moments start over).
    #[config(default = false)]
    pub warm_start: bool,
}
