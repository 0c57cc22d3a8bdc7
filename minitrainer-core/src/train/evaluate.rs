//! `evaluate` and `predict`: the model in eval mode under `no_grad`, both through RAII guards
//! so a failing batch leaves the model in the mode it was in.

use super::batches::Batches;
use super::error::TrainError;
use super::trainable::Trainable;
use super::trainer::Trainer;
use crate::Tensor;
use crate::data::{LoaderState, Targets};
use crate::metrics::{MetricSet, Target};
use crate::module::eval_mode;
use crate::tensor::no_grad;

/// A batch's targets as the metrics take them (`None` for a batch without targets).
pub(super) fn metric_target(targets: &Targets) -> Option<Target> {
    match targets {
        Targets::Classes(labels) => Some(Target::Labels(labels.clone())),
        Targets::Values(values) => Some(Target::Tensor(values.clone())),
        Targets::None => None,
    }
}

impl<M: Trainable> Trainer<M> {
    /// The loss and the metrics over one whole pass of `data` (from its first batch), in eval
    /// mode without a graph: `[("loss", ..), ("accuracy", ..), ...]`. Metrics whose value is
    /// not a number (a classification report) are left out.
    ///
    /// # Errors
    /// [`TrainError::Data`], [`TrainError::Model`], [`TrainError::Loss`],
    /// [`TrainError::Metric`]; the model's mode is restored either way.
    pub fn evaluate(&mut self, data: &dyn Batches) -> Result<Vec<(String, f64)>, TrainError> {
        let epoch = self.run.position.epoch;
        evaluate_with(
            &mut self.model,
            &*self.criterion,
            &mut self.metrics,
            data,
            epoch,
            self.run.position.step,
        )
    }

    /// The model's predictions for every batch of one pass of `data`, concatenated along the
    /// first axis, in eval mode without a graph.
    ///
    /// # Errors
    /// [`TrainError::Data`], [`TrainError::Model`]; the model's mode is restored either way.
    pub fn predict(&mut self, data: &dyn Batches) -> Result<Tensor, TrainError> {
        predict_with(&mut self.model, data, self.run.position.epoch)
    }
}

/// See [`Trainer::evaluate`].
pub(super) fn evaluate_with<M: Trainable>(
    model: &mut M,
    criterion: &dyn super::Criterion,
    metrics: &mut MetricSet,
    data: &dyn Batches,
    epoch: u64,
    step: u64,
) -> Result<Vec<(String, f64)>, TrainError> {
    let model = eval_mode(model);
    let _no_grad = no_grad();
    metrics.reset();
    data.seek(LoaderState::default())
        .map_err(|source| data_error("evaluation", epoch, source))?;
    let (mut loss_sum, mut rows) = (0.0f64, 0u64);
    for batch in data.epoch_batches() {
        let batch = batch.map_err(|source| data_error("evaluation", epoch, source))?;
        let n = batch.inputs.shape().first().copied().unwrap_or(1) as u64;
        let (predictions, loss) = forward_loss(
            &*model,
            criterion,
            batch.inputs,
            &batch.targets,
            epoch,
            step,
        )?;
        loss_sum += f64::from(loss.item()) * n as f64;
        rows += n;
        if let Some(target) = metric_target(&batch.targets) {
            metrics.update(&predictions, &target)?;
        }
    }
    if rows == 0 {
        return Err(TrainError::EmptyData {
            split: "evaluation",
        });
    }
    let mean = loss_sum / rows as f64;
    let mut values = vec![("loss".to_string(), mean)];
    values.extend(scalar_metrics(metrics));
    Ok(values)
}

/// See [`Trainer::predict`].
pub(super) fn predict_with<M: Trainable>(
    model: &mut M,
    data: &dyn Batches,
    epoch: u64,
) -> Result<Tensor, TrainError> {
    let model = eval_mode(model);
    let _no_grad = no_grad();
    data.seek(LoaderState::default())
        .map_err(|source| data_error("prediction", epoch, source))?;
    let mut outputs = Vec::new();
    for batch in data.epoch_batches() {
        let batch = batch.map_err(|source| data_error("prediction", epoch, source))?;
        outputs.push(
            model
                .forward_batch(batch.inputs)
                .map_err(|source| model_error(epoch, source))?,
        );
    }
    if outputs.is_empty() {
        return Err(TrainError::EmptyData {
            split: "prediction",
        });
    }
    let refs: Vec<&Tensor> = outputs.iter().collect();
    Ok(Tensor::cat(&refs, 0))
}

/// The metrics' values that are numbers (a classification report is left out), by name.
pub(super) fn scalar_metrics(metrics: &MetricSet) -> Vec<(String, f64)> {
    metrics
        .compute()
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_scalar()?)))
        .collect()
}

/// The model's predictions for `inputs` and their loss against `targets`; errors name the
/// epoch (and the step being taken).
pub(super) fn forward_loss<M: Trainable>(
    model: &M,
    criterion: &dyn super::Criterion,
    inputs: Tensor,
    targets: &Targets,
    epoch: u64,
    step: u64,
) -> Result<(Tensor, Tensor), TrainError> {
    let predictions = model
        .forward_batch(inputs)
        .map_err(|source| model_error(epoch, source))?;
    let loss = criterion
        .loss(&predictions, targets)
        .map_err(|source| TrainError::Loss {
            epoch,
            step,
            source,
        })?;
    Ok((predictions, loss))
}

pub(super) fn data_error(
    split: &'static str,
    epoch: u64,
    source: crate::data::LoaderError,
) -> TrainError {
    TrainError::Data {
        split,
        epoch,
        source,
    }
}

pub(super) fn model_error(epoch: u64, source: crate::Error) -> TrainError {
    TrainError::Model {
        epoch,
        source: Box::new(source),
    }
}
