//! The estimator facade: scikit-learn's conventions over any registered model.
//!
//! [`Classifier`] and [`Regressor`] are built from a model's config string
//! (`"linear(in_features=64, out_features=10)"`, or any `#[model]` type's), validated at
//! once. `fit(x, y)` trains with a [`Trainer`](super::Trainer) over an in-memory data set and
//! returns the estimator (so `clf.fit(&x, &y)?.predict(&x_test)?` chains); `predict`,
//! `predict_proba` (classifier) and `score` (accuracy, R²) refuse to run before `fit` with
//! [`TrainError::NotFitted`](super::TrainError::NotFitted). `get_params` returns the configs
//! as JSON, `{"model": ..., "options": ...}`, and `set_params` takes a partial update of the
//! same shape, validated like any config (unknown keys rejected with a suggestion).
//!
//! # A second `fit`: re-initialise or warm-start, never silently
//! By default (`options.warm_start = false`) every `fit` **starts over**: the model is
//! rebuilt from its config with `options.seed`, so fitting twice gives exactly (bit for bit)
//! the weights of fitting once. With `warm_start = true` a `fit` after a `fit` continues from
//! the fitted weights, with a fresh optimizer (Adam's moments and any momentum start from
//! zero). skorch re-initialises silently on a second `fit`; here the choice is an option,
//! shown by `get_params`.
//!
//! # Saving
//! `save(dir)` writes a pretrained directory (`config.json` + `model.safetensors`, which
//! `from_pretrained` loads as a model alone) plus `estimator.json` (the kind and the options);
//! `Classifier::load(dir)` / `Regressor::load(dir)` restore a fitted estimator.

mod classifier;
mod core;
mod error;
mod options;
mod params;
mod persist;
mod regressor;
mod shared;

pub use classifier::Classifier;
pub use error::EstimatorError;
pub use options::EstimatorOptions;
pub use persist::ESTIMATOR_FILE;
pub use regressor::Regressor;
