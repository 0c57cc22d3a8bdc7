//! `Classifier`: a registered model trained on class labels with cross-entropy, predicting
//! labels (argmax) and probabilities (softmax), scored by accuracy.

use super::core::{Estimator, Kind, same_length, sample_count};
use super::error::EstimatorError;
use super::options::EstimatorOptions;
use super::shared::shared_methods;
use crate::data::TensorDataset;
use crate::metrics::{Accuracy, ClassesConfig, Metric};
use crate::{Error, Tensor};

/// A classifier over any registered model whose output is `[batch, classes]` logits, with
/// scikit-learn's conventions: `fit(x, y)` (chainable), `predict`, `predict_proba`, `score`
/// (accuracy), `get_params` / `set_params`, `save` / `load`.
///
/// The model spec fixes the input and output widths; nothing is inferred from the data.
/// A second `fit` **re-initialises** the model (it is rebuilt from its config with
/// `options.seed`, and the first fit is forgotten) unless `options.warm_start` is set, in
/// which case it continues from the fitted weights with a fresh optimizer.
///
/// ```
/// use minitrainer_core::Tensor;
/// use minitrainer_core::train::Classifier;
///
/// // Two blobs, around (0, 0) and (3, 3).
/// let x = Tensor::from_vec(vec![0.0, 0.1, 0.2, 0.0, 3.0, 3.1, 2.9, 3.0], &[4, 2])?;
/// let y = [0, 0, 1, 1];
/// let mut clf = Classifier::new("linear(in_features=2, out_features=2)")?;
/// clf.set_params(r#"{"options": {"epochs": 50, "optimizer": "sgd(lr=0.5)", "batch_size": 4}}"#)?;
/// assert!(clf.predict(&x).is_err()); // not fitted yet
/// let predicted = clf.fit(&x, &y)?.predict(&x)?;
/// assert_eq!(predicted, y);
/// assert_eq!(clf.score(&x, &y)?, 1.0);
/// # Ok::<(), minitrainer_core::Error>(())
/// ```
pub struct Classifier(Estimator);

impl Classifier {
    /// A classifier over the model `spec` names (`"linear(in_features=64, out_features=10)"`
    /// or its JSON form), with the default options.
    ///
    /// The model is built now, so every config error shows here.
    ///
    /// # Errors
    /// [`EstimatorError::Params`] wrapping the spec's syntax error, an unknown model type
    /// (with a suggestion) or the config's errors (unknown fields, rules).
    pub fn new(spec: &str) -> Result<Self, Error> {
        Self::with_options(spec, EstimatorOptions::default())
    }

    /// A classifier with these options.
    ///
    /// # Errors
    /// As [`new`](Self::new), and [`EstimatorError::Params`] for options that break their
    /// rules or an optimizer or loss that cannot be built.
    pub fn with_options(spec: &str, options: EstimatorOptions) -> Result<Self, Error> {
        Ok(Classifier(Estimator::new(Kind::Classifier, spec, options)?))
    }

    /// Trains on samples `x` (`[N, ...features]`) with class labels `y` (`N` of them), for
    /// `options.epochs` epochs; see the type's docs for what a second `fit` does.
    ///
    /// # Errors
    /// [`EstimatorError::NoSamples`], [`EstimatorError::LengthMismatch`],
    /// [`EstimatorError::OutputShape`] for a model whose output is not `[batch, classes]`,
    /// [`EstimatorError::LabelOutOfRange`] for a label `>=` the model's output width, and
    /// the trainer's errors (a non-finite loss, naming the epoch and step). After an error
    /// in training the estimator is unfitted.
    ///
    /// # Panics
    /// When the model's layers do not accept `x`'s shape (e.g. 32 features for a model
    /// built with `in_features=64`): the layer's input check panics, naming the layer.
    pub fn fit(&mut self, x: &Tensor, y: &[usize]) -> Result<&mut Self, Error> {
        let rows = sample_count(x, "fit")?;
        same_length(rows, y.len())?;
        let output = self.0.probe(x)?;
        let classes = self.classes_of(&output)?;
        if let Some((sample, &label)) = y.iter().enumerate().find(|&(_, &l)| l >= classes) {
            return Err(EstimatorError::LabelOutOfRange {
                label,
                sample,
                classes,
            }
            .into());
        }
        let data = TensorDataset::classification(x.to_array(), y.to_vec())?;
        self.0.train(data)?;
        Ok(self)
    }

    /// The most likely class of each row of `x` (the first of tied maxima).
    ///
    /// # Errors
    /// [`TrainError::NotFitted`](crate::train::TrainError::NotFitted) before `fit`;
    /// [`EstimatorError::NoSamples`].
    ///
    /// # Panics
    /// As [`fit`](Self::fit), for an `x` the model's layers do not accept.
    pub fn predict(&mut self, x: &Tensor) -> Result<Vec<usize>, Error> {
        let logits = self.0.predict_rows(x, "predict")?;
        Ok(argmax_rows(&logits))
    }

    /// The class probabilities of each row of `x`: `[N, classes]`, the softmax of the
    /// model's logits.
    ///
    /// # Errors
    /// As [`predict`](Self::predict).
    ///
    /// # Panics
    /// As [`predict`](Self::predict).
    pub fn predict_proba(&mut self, x: &Tensor) -> Result<Tensor, Error> {
        let logits = self.0.predict_rows(x, "predict_proba")?;
        let last = logits.shape().len().saturating_sub(1);
        Ok(logits.softmax(last))
    }

    /// The accuracy of the predictions for `x` against labels `y`, in `[0, 1]`.
    ///
    /// # Errors
    /// As [`predict`](Self::predict), [`EstimatorError::LengthMismatch`], and the metric's
    /// error for a label out of the model's range.
    ///
    /// # Panics
    /// As [`predict`](Self::predict).
    pub fn score(&mut self, x: &Tensor, y: &[usize]) -> Result<f64, Error> {
        let logits = self.0.predict_rows(x, "score")?;
        same_length(logits.shape()[0], y.len())?;
        let mut accuracy = Accuracy::new(&ClassesConfig::default());
        accuracy.update(&logits, &y.into())?;
        Ok(accuracy
            .compute()
            .and_then(|value| value.as_scalar())
            .unwrap_or(0.0))
    }

    /// The number of classes from the model's output for one row, which must be `[1, C]`.
    fn classes_of(&self, output: &Tensor) -> Result<usize, EstimatorError> {
        match output.shape() {
            &[1, classes] if classes > 0 => Ok(classes),
            shape => Err(EstimatorError::OutputShape {
                estimator: "Classifier",
                model_type: self.0.spec.model_type.clone(),
                expected: "[batch, classes] logits",
                shape: shape.to_vec(),
            }),
        }
    }
}

shared_methods!(Classifier, Kind::Classifier);

/// Argmax of each row of `[N, C]` scores (the first of tied maxima, as NumPy's).
fn argmax_rows(scores: &Tensor) -> Vec<usize> {
    let width = scores.shape().last().copied().unwrap_or(1).max(1);
    scores
        .to_vec()
        .chunks(width)
        .map(|row| {
            let mut best = 0;
            for (i, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = i;
                }
            }
            best
        })
        .collect()
}
