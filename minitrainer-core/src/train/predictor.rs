//! `Predictor`: anything that predicts on a batch — a trained model, a trainer, an estimator —
//! so generic evaluation code (a metrics report, the CLI's `eval`) takes any of them.

use super::batches::Batches;
use super::error::TrainError;
use super::evaluate::{data_error, metric_target, model_error, scalar_metrics};
use super::trainable::Trainable;
use super::trainer::Trainer;
use crate::Tensor;
use crate::data::LoaderState;
use crate::metrics::MetricSet;
use crate::module::eval_mode;
use crate::tensor::no_grad;

/// Predicts on a batch of inputs (`[batch, ...features]` → `[batch, ...outputs]`: logits for
/// a classifier, values for a regressor), in eval mode without building a graph.
pub trait Predictor {
    /// The predictions for `inputs`.
    ///
    /// # Errors
    /// When the predictor cannot run on the inputs (not fitted yet, a model whose forward
    /// does not map a tensor to a tensor).
    fn predict_batch(&mut self, inputs: Tensor) -> Result<Tensor, crate::Error>;
}

impl<T: Trainable> Predictor for T {
    fn predict_batch(&mut self, inputs: Tensor) -> Result<Tensor, crate::Error> {
        let model = eval_mode(self);
        let _no_grad = no_grad();
        model.forward_batch(inputs)
    }
}

impl<M: Trainable> Predictor for Trainer<M> {
    fn predict_batch(&mut self, inputs: Tensor) -> Result<Tensor, crate::Error> {
        self.model_mut().predict_batch(inputs)
    }
}

/// `metrics` over one pass of `data`, for any predictor: `[(name, value), ...]` (metrics whose
/// value is not a number are left out).
///
/// ```
/// use minitrainer_core::data::{DataLoader, Digits};
/// use minitrainer_core::metrics::{MetricSet};
/// use minitrainer_core::train::evaluate_predictor;
/// let mut model = minitrainer_core::registry::load("linear(in_features=64, out_features=10)")?;
/// let (_, test) = Digits::train_test();
/// let test = DataLoader::builder(test).batch_size(128).build()?;
/// let mut metrics = MetricSet::from_specs(["accuracy"])?;
/// let values = evaluate_predictor(&mut model, &test, &mut metrics)?;
/// assert_eq!(values[0].0, "accuracy");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`TrainError::Data`], [`TrainError::Model`], [`TrainError::Metric`],
/// [`TrainError::EmptyData`].
pub fn evaluate_predictor(
    predictor: &mut dyn Predictor,
    data: &dyn Batches,
    metrics: &mut MetricSet,
) -> Result<Vec<(String, f64)>, TrainError> {
    metrics.reset();
    data.seek(LoaderState::default())
        .map_err(|source| data_error("evaluation", 0, source))?;
    let mut batches = 0usize;
    for batch in data.epoch_batches() {
        let batch = batch.map_err(|source| data_error("evaluation", 0, source))?;
        let predictions = predictor
            .predict_batch(batch.inputs)
            .map_err(|source| model_error(0, source))?;
        if let Some(target) = metric_target(&batch.targets) {
            metrics.update(&predictions, &target)?;
        }
        batches += 1;
    }
    if batches == 0 {
        return Err(TrainError::EmptyData {
            split: "evaluation",
        });
    }
    Ok(scalar_metrics(metrics))
}
