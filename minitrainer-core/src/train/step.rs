//! One optimizer step: forward and backward over up to `accumulate` batches, the non-finite
//! guard, the gradient norm and clipping, the update, and the per-step scheduler.

use std::iter::Peekable;

use super::error::TrainError;
use super::evaluate::{data_error, forward_loss};
use super::options::{OnNonFinite, SchedulerInterval};
use super::records::StepRecord;
use super::trainable::Trainable;
use super::trainer::Trainer;
use crate::data::{Batch, LoaderError};
use crate::module::Param;
use crate::optim::{
    ClipError, LearningRates, NonFinite, clip_grad_norm_with, clip_grad_value, grad_norm,
};

/// The batches of the epoch being trained.
pub(super) type EpochBatches<'a> =
    Peekable<Box<dyn Iterator<Item = Result<Batch, LoaderError>> + 'a>>;

impl<M: Trainable> Trainer<M> {
    /// Runs one optimizer step on the next batches of `batches` (at least one is there).
    pub(super) fn train_step(
        &mut self,
        batches: &mut EpochBatches<'_>,
        params: &[Param],
    ) -> Result<StepRecord, TrainError> {
        let epoch = self.run.position.epoch;
        let step = self.run.position.step + 1;
        let before = self.run.epoch_loss;
        let local = self.accumulate_gradients(batches);
        let (loss, non_finite_loss) = if self.ranks.is_distributed() {
            self.agree_step(local, before, params)?
        } else {
            local?
        };
        let mut record = StepRecord {
            epoch,
            step,
            loss,
            lr: self
                .optimizer
                .learning_rates()
                .first()
                .copied()
                .unwrap_or(f64::NAN),
            grad_norm: f64::NAN,
            skipped: false,
        };
        let skip = |trainer: &mut Self, mut record: StepRecord| {
            trainer.optimizer.zero_grad();
            trainer.run.position.step = step;
            record.skipped = true;
            record
        };
        if let Some(bad) = non_finite_loss {
            return match self.options.on_non_finite {
                OnNonFinite::Stop => Err(TrainError::NonFiniteLoss {
                    epoch,
                    step,
                    loss: bad,
                }),
                OnNonFinite::Skip => Ok(skip(self, record)),
            };
        }
        record.grad_norm = f64::from(self.clip_gradients(params)?);
        if !record.grad_norm.is_finite() {
            return match self.options.on_non_finite {
                OnNonFinite::Stop => Err(TrainError::NonFiniteGradient {
                    epoch,
                    step,
                    grad_norm: record.grad_norm,
                }),
                OnNonFinite::Skip => Ok(skip(self, record)),
            };
        }
        self.optimizer.step();
        self.optimizer.zero_grad();
        self.run.position.step = step;
        self.run.last_lr = Some(record.lr);
        if self.options.scheduler_interval == SchedulerInterval::Step
            && let Some(scheduler) = &mut self.scheduler
        {
            scheduler.step_with_metric(&mut self.optimizer, loss)?;
        }
        Ok(record)
    }

    /// Forward and backward over up to `accumulate` batches; returns the mean of their losses
    /// and the first non-finite one (whose backward is skipped).
    fn accumulate_gradients(
        &mut self,
        batches: &mut EpochBatches<'_>,
    ) -> Result<(f64, Option<f64>), TrainError> {
        let epoch = self.run.position.epoch;
        let step = self.run.position.step + 1;
        let accumulate = self.options.accumulate;
        let (mut sum, mut count, mut non_finite) = (0.0f64, 0usize, None);
        for _ in 0..accumulate {
            let Some(batch) = batches.next() else { break };
            let batch = batch.map_err(|source| data_error("training", epoch, source))?;
            self.run.position.batch += 1;
            let rows = batch.inputs.shape().first().copied().unwrap_or(1);
            let (_, loss) = forward_loss(
                &self.model,
                &*self.criterion,
                batch.inputs,
                &batch.targets,
                epoch,
                step,
            )?;
            let value = f64::from(loss.item());
            sum += value;
            count += 1;
            if !value.is_finite() {
                non_finite.get_or_insert(value);
                continue;
            }
            self.run.epoch_loss.0 += value * rows as f64;
            self.run.epoch_loss.1 += rows as u64;
            if accumulate == 1 {
                loss.backward();
            } else {
                loss.mul_scalar(1.0 / accumulate as f32).backward();
            }
        }
        Ok((sum / count.max(1) as f64, non_finite))
    }

    /// The gradients' global L2 norm before clipping; clips by norm and by value as set.
    fn clip_gradients(&self, params: &[Param]) -> Result<f32, TrainError> {
        let norm = match self.options.clip_grad_norm {
            Some(max_norm) => {
                match clip_grad_norm_with(params, max_norm as f32, 2.0, NonFinite::Error) {
                    Ok(norm) | Err(ClipError::NonFiniteNorm { norm, .. }) => norm,
                    Err(error) => return Err(error.into()),
                }
            }
            None => grad_norm(params, 2.0)?,
        };
        if let Some(value) = self.options.clip_grad_value
            && norm.is_finite()
        {
            clip_grad_value(params, value as f32)?;
        }
        Ok(norm)
    }
}
