//! `Regressor`: a registered model trained on real-valued targets with the mean squared
//! error, predicting values, scored by R².

use super::core::{Estimator, Kind, same_length, sample_count};
use super::error::EstimatorError;
use super::options::EstimatorOptions;
use super::shared::shared_methods;
use crate::data::TensorDataset;
use crate::metrics::{Metric, R2Score};
use crate::{Error, Tensor};

/// A regressor over any registered model whose output is `[batch, outputs]` (or any
/// `[batch, ...]`), with scikit-learn's conventions: `fit(x, y)` (chainable), `predict`,
/// `score` (R²), `get_params` / `set_params`, `save` / `load`.
///
/// Targets are `[N]` for a model with one output (`[batch, 1]`), or `[N, ...]` shaped as the
/// model's output. A second `fit` **re-initialises** the model unless `options.warm_start`
/// is set (see [`Classifier`](super::Classifier)).
///
/// ```
/// use minitrainer_core::Tensor;
/// use minitrainer_core::train::Regressor;
///
/// // y = 2x - 1
/// let x = Tensor::from_vec(vec![0.0, 0.25, 0.5, 0.75, 1.0], &[5, 1])?;
/// let y = Tensor::from_vec(vec![-1.0, -0.5, 0.0, 0.5, 1.0], &[5])?;
/// let mut reg = Regressor::new("linear(in_features=1, out_features=1)")?;
/// reg.set_params(r#"{"options": {"epochs": 200, "optimizer": "sgd(lr=0.5)", "batch_size": 5}}"#)?;
/// let r2 = reg.fit(&x, &y)?.score(&x, &y)?;
/// assert!(r2 > 0.99, "{r2}");
/// assert_eq!(reg.predict(&x)?.shape(), &[5, 1]);
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
pub struct Regressor(Estimator);

impl Regressor {
    /// A regressor over the model `spec` names, with the default options (loss `mse_loss`).
    ///
    /// # Errors
    /// As [`Classifier::new`](super::Classifier::new).
    pub fn new(spec: &str) -> Result<Self, Error> {
        Self::with_options(spec, EstimatorOptions::default())
    }

    /// A regressor with these options.
    ///
    /// # Errors
    /// As [`Classifier::with_options`](super::Classifier::with_options).
    pub fn with_options(spec: &str, options: EstimatorOptions) -> Result<Self, Error> {
        Ok(Regressor(Estimator::new(Kind::Regressor, spec, options)?))
    }

    /// Trains on samples `x` (`[N, ...features]`) with targets `y` (`[N]` or `[N, ...]`).
    ///
    /// # Errors
    /// [`EstimatorError::NoSamples`], [`EstimatorError::LengthMismatch`],
    /// [`EstimatorError::TargetShape`] when a target's shape is not the model's per-sample
    /// output shape, and the trainer's errors. After an error in training the estimator is
    /// unfitted.
    ///
    /// # Panics
    /// When the model's layers do not accept `x`'s shape (naming the layer).
    pub fn fit(&mut self, x: &Tensor, y: &Tensor) -> Result<&mut Self, Error> {
        let rows = sample_count(x, "fit")?;
        same_length(rows, y.shape().first().copied().unwrap_or(0))?;
        let output = self.0.probe(x)?;
        let y = self.fitted_to_output(y, &output.shape()[1..])?;
        let data = TensorDataset::regression(x.to_array(), y.to_array())?;
        self.0.train(data)?;
        Ok(self)
    }

    /// The model's output for each row of `x`: `[N, outputs]` (`[N, 1]` for one output, as
    /// the model gives it).
    ///
    /// # Errors
    /// [`TrainError::NotFitted`](crate::train::TrainError::NotFitted) before `fit`;
    /// [`EstimatorError::NoSamples`].
    ///
    /// # Panics
    /// As [`fit`](Self::fit).
    pub fn predict(&mut self, x: &Tensor) -> Result<Tensor, Error> {
        self.0.predict_rows(x, "predict")
    }

    /// The coefficient of determination R² of the predictions for `x` against `y` (averaged
    /// over outputs, as scikit-learn's default).
    ///
    /// # Errors
    /// As [`predict`](Self::predict), [`EstimatorError::LengthMismatch`],
    /// [`EstimatorError::TargetShape`], and [`EstimatorError::ScoreUndefined`] for fewer than
    /// two samples.
    ///
    /// # Panics
    /// As [`predict`](Self::predict).
    pub fn score(&mut self, x: &Tensor, y: &Tensor) -> Result<f64, Error> {
        let predicted = self.0.predict_rows(x, "score")?;
        same_length(
            predicted.shape()[0],
            y.shape().first().copied().unwrap_or(0),
        )?;
        let y = self.fitted_to_output(y, &predicted.shape()[1..])?;
        let mut r2 = R2Score::new();
        r2.update(&predicted, &y.into())?;
        r2.compute()
            .and_then(|value| value.as_scalar())
            .ok_or_else(|| {
                EstimatorError::ScoreUndefined {
                    metric: "r2",
                    reason: "it needs at least two samples",
                }
                .into()
            })
    }

    /// `y` shaped as the model's output: `[N]` becomes `[N, 1]` for a one-output model.
    fn fitted_to_output(&self, y: &Tensor, output: &[usize]) -> Result<Tensor, EstimatorError> {
        let (rows, target) = match y.shape().split_first() {
            Some((&rows, target)) => (rows, target),
            None => (0, &[][..]),
        };
        if target == output {
            Ok(y.detach())
        } else if target.is_empty() && output == [1] {
            Ok(y.detach().reshape(&[rows, 1]))
        } else {
            Err(EstimatorError::TargetShape {
                target: target.to_vec(),
                model_type: self.0.spec.model_type.clone(),
                output: output.to_vec(),
            })
        }
    }
}

shared_methods!(Regressor, Kind::Regressor);
