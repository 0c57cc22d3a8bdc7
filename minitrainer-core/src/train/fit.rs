//! `fit`: the loop over epochs and steps, calling the hooks in their documented order,
//! validating and checkpointing as the options say.

use super::batches::Batches;
use super::callback::{Callback, HookResult, TrainContext};
use super::error::TrainError;
use super::evaluate::{data_error, evaluate_with};
use super::options::SchedulerInterval;
use super::records::{EpochRecord, History, Position};
use super::trainable::Trainable;
use super::trainer::Trainer;
use crate::data::{LoaderState, mix};
use crate::module::Generator;

impl<M: Trainable> Trainer<M> {
    /// Trains on `train` until the epochs or the step budget are done (or a callback stops
    /// the run), validating on `valid` at each epoch's end (and every
    /// `validate_every_steps` steps); returns the history.
    ///
    /// `fit` continues from where the trainer is: after [`Trainer::resume`], from the
    /// checkpoint's position; after a finished `fit`, from its end (raise `epochs` in
    /// [`Trainer::options_mut`] to train more). The trainer positions `train` itself, so a
    /// run reads the same batches whether or not it was interrupted.
    ///
    /// # Errors
    /// Everything that stops a run (see [`TrainError`]); callbacks' `on_exception` hooks run
    /// first. The trainer stays usable: its position is that of the last step taken.
    pub fn fit(
        &mut self,
        train: &dyn Batches,
        valid: Option<&dyn Batches>,
    ) -> Result<History, TrainError> {
        use crate::config::Config;
        self.ranks.failure_shared = false;
        let result = self
            .options
            .validate()
            .map_err(|e| TrainError::Options {
                reason: e.to_string(),
            })
            .and_then(|()| {
                self.model.train();
                self.run_epochs(train, valid)
            });
        if let Err(error) = &result {
            self.share_failure(error);
            let mut ctx = TrainContext {
                model: &mut self.model,
                position: self.run.position,
                history: &self.run.history,
                rank: self.ranks.group.rank(),
                world_size: self.ranks.group.world_size(),
                stop: &mut self.run.stop_reason,
            };
            self.callbacks.exception(&mut ctx, error);
        }
        result.map(|()| self.run.history.clone())
    }

    fn run_epochs(
        &mut self,
        train: &dyn Batches,
        valid: Option<&dyn Batches>,
    ) -> Result<(), TrainError> {
        self.start_ranks()?;
        if !self.run.started {
            if let Some(seed) = self.options.seed {
                self.reseed_generators(seed)?;
            }
            self.run.started = true;
        }
        self.optimizer.zero_grad();
        self.hook(|c, ctx| c.on_train_start(ctx))?;
        while !self.is_finished() {
            self.run_epoch(train, valid)?;
        }
        let history = self.run.history.clone();
        self.hook(|c, ctx| c.on_train_end(ctx, &history))?;
        self.finish_ranks()
    }

    /// The rest of the current epoch: its steps, then (if it was not cut short by the step
    /// budget) its end.
    fn run_epoch(
        &mut self,
        train: &dyn Batches,
        valid: Option<&dyn Batches>,
    ) -> Result<(), TrainError> {
        let Position { epoch, batch, .. } = self.run.position;
        let state = LoaderState {
            epoch: epoch - 1,
            batches: batch,
        };
        train
            .seek(state)
            .map_err(|source| data_error("training", epoch, source))?;
        if batch == 0 {
            self.run.epoch_loss = (0.0, 0);
            self.hook(|c, ctx| c.on_epoch_start(ctx))?;
        }
        let mut batches = train.epoch_batches().peekable();
        if batch == 0 && batches.peek().is_none() {
            return Err(TrainError::EmptyData { split: "training" });
        }
        let params = self.model.trainable_parameters();
        while batches.peek().is_some() {
            self.hook(|c, ctx| c.on_batch_start(ctx))?;
            let record = self.train_step(&mut batches, &params)?;
            self.hook(|c, ctx| c.on_batch_end(ctx, &record))?;
            let budget_spent = self.budget_spent();
            let mid_epoch = budget_spent && batches.peek().is_some();
            self.after_step(valid, mid_epoch)?;
            if mid_epoch {
                return Ok(());
            }
        }
        drop(batches);
        self.end_epoch(valid)
    }

    /// Validation and checkpoints due after a step; `last` marks the step that spends the
    /// budget in the middle of an epoch (validated and checkpointed, as the run ends there).
    fn after_step(&mut self, valid: Option<&dyn Batches>, last: bool) -> Result<(), TrainError> {
        let step = self.run.position.step;
        let due = |every: Option<u64>| last || every.is_some_and(|n| step.is_multiple_of(n));
        if let Some(valid) = valid
            && due(self.options.validate_every_steps)
        {
            let metrics = self.validate(valid)?;
            let record = EpochRecord {
                epoch: self.run.position.epoch,
                step,
                metrics,
            };
            self.run.history.validations.push(record.clone());
            self.hook(|c, ctx| c.on_validation_end(ctx, &record))?;
        }
        let every_steps = self.options.checkpoint.as_ref().map(|c| c.every_steps);
        if every_steps.is_some_and(due) {
            self.save_checkpoint(None)?;
        }
        Ok(())
    }

    /// The epoch's record (train loss, last learning rate, validation), its hooks, the
    /// per-epoch scheduler step, the move to the next epoch and the epoch's checkpoint.
    fn end_epoch(&mut self, valid: Option<&dyn Batches>) -> Result<(), TrainError> {
        let Position { epoch, step, .. } = self.run.position;
        let (sum, rows) = self.run.epoch_loss;
        let mut metrics = vec![("train_loss".to_string(), sum / rows as f64)];
        if let Some(lr) = self.run.last_lr {
            metrics.push(("lr".to_string(), lr));
        }
        if let Some(valid) = valid {
            let validation = EpochRecord {
                epoch,
                step,
                metrics: self.validate(valid)?,
            };
            self.hook(|c, ctx| c.on_validation_end(ctx, &validation))?;
            metrics.extend(validation.metrics);
        }
        let record = EpochRecord {
            epoch,
            step,
            metrics,
        };
        self.run.history.epochs.push(record.clone());
        self.hook(|c, ctx| c.on_epoch_end(ctx, &record))?;
        if self.options.scheduler_interval == SchedulerInterval::Epoch {
            self.step_scheduler(&record)?;
        }
        self.run.position = Position {
            epoch: epoch + 1,
            step,
            batch: 0,
        };
        self.run.epoch_loss = (0.0, 0);
        let every = self.options.checkpoint.as_ref().map(|c| c.every_epochs);
        if let Some(every) = every
            && ((every > 0 && epoch.is_multiple_of(every)) || self.is_finished())
        {
            self.save_checkpoint(Some(&record))?;
        }
        Ok(())
    }

    /// The validation loss and metrics, named `valid_<name>`.
    fn validate(&mut self, valid: &dyn Batches) -> Result<Vec<(String, f64)>, TrainError> {
        let values = evaluate_with(
            &mut self.model,
            &*self.criterion,
            &mut self.metrics,
            valid,
            self.run.position.epoch,
            self.run.position.step,
        )?;
        Ok(values
            .into_iter()
            .map(|(name, value)| (format!("valid_{name}"), value))
            .collect())
    }

    /// The per-epoch scheduler step; a plateau scheduler reads `scheduler_monitor` (or the
    /// train loss when the record lacks it).
    fn step_scheduler(&mut self, record: &EpochRecord) -> Result<(), TrainError> {
        let Some(scheduler) = &mut self.scheduler else {
            return Ok(());
        };
        if scheduler.needs_metric() {
            let monitor = &self.options.scheduler_monitor;
            let value = record
                .get(monitor)
                .or_else(|| record.get("train_loss"))
                .unwrap_or(f64::NAN);
            scheduler.step_with_metric(&mut self.optimizer, value)?;
        } else {
            scheduler.step(&mut self.optimizer)?;
        }
        Ok(())
    }

    /// Whether the step budget is spent.
    fn budget_spent(&self) -> bool {
        self.options
            .max_steps
            .is_some_and(|max| self.run.position.step >= max)
    }

    /// Gives every generator of the model a stream derived from `seed` and its path.
    fn reseed_generators(&mut self, seed: u64) -> Result<(), TrainError> {
        let states: Vec<_> = self
            .model
            .generator_states()
            .into_iter()
            .map(|(path, _)| {
                let state = Generator::seeded(mix(&[seed, fnv1a(&path)])).state();
                (path, state)
            })
            .collect();
        self.model
            .load_generator_states(&states)
            .map_err(|e| TrainError::Options {
                reason: e.to_string(),
            })
    }

    /// Runs one hook on every callback, with error isolation (see `hooks.rs`).
    pub(super) fn hook(
        &mut self,
        mut f: impl FnMut(&mut dyn Callback, &mut TrainContext<'_>) -> HookResult,
    ) -> Result<(), TrainError> {
        let mut ctx = TrainContext {
            model: &mut self.model,
            position: self.run.position,
            history: &self.run.history,
            rank: self.ranks.group.rank(),
            world_size: self.ranks.group.world_size(),
            stop: &mut self.run.stop_reason,
        };
        self.callbacks.run(&mut ctx, &mut f)
    }
}

/// FNV-1a: a stable hash of a generator's path (std's hasher may change between releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
