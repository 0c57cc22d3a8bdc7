//! `Trainer`: a model, an optimizer, an optional scheduler, a loss, metrics and callbacks,
//! each injected through the builder, and the state of the run (position, history).

use super::callback::Callback;
use super::criterion::Criterion;
use super::error::TrainError;
use super::hooks::Callbacks;
use super::options::TrainerOptions;
use super::records::{History, Position};
use super::trainable::Trainable;
use crate::config::Config;
use crate::metrics::{Metric, MetricSet};
use crate::optim::Optimizer;
use crate::optim::schedule::LrScheduler;

/// Trains a model: `fit` runs epochs of optimizer steps over a [`Batches`](super::Batches)
/// source, validating, logging through callbacks and writing checkpoints as configured;
/// `evaluate` and `predict` run the model in eval mode without a graph.
///
/// ```
/// use minitrainer_core::data::{DataLoader, Digits};
/// use minitrainer_core::metrics::metric_from_str;
/// use minitrainer_core::nn::loss::CrossEntropyLoss;
/// use minitrainer_core::optim::optimizer_from_str;
/// use minitrainer_core::train::Trainer;
///
/// let model = minitrainer_core::registry::load("linear(in_features=64, out_features=10)")?;
/// let optimizer = optimizer_from_str("adam(lr=0.01)", &model)?;
/// let mut trainer = Trainer::builder(model, optimizer)
///     .loss(CrossEntropyLoss::default())
///     .metric(metric_from_str("accuracy")?)
///     .epochs(2)
///     .build()?;
/// let (train, test) = Digits::train_test();
/// let train = DataLoader::builder(train).batch_size(64).shuffle(true).seed(0).build()?;
/// let test = DataLoader::builder(test).batch_size(256).build()?;
/// let history = trainer.fit(&train, Some(&test))?;
/// assert_eq!(history.epochs.len(), 2);
/// assert!(history.metric("valid_accuracy")[1] > 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Trainer<M: Trainable> {
    pub(super) model: M,
    pub(super) optimizer: Box<dyn Optimizer>,
    pub(super) scheduler: Option<Box<dyn LrScheduler>>,
    pub(super) criterion: Box<dyn Criterion>,
    pub(super) metrics: MetricSet,
    pub(super) callbacks: Callbacks,
    pub(super) options: TrainerOptions,
    pub(super) run: RunState,
}

/// What a run has done so far: everything a checkpoint stores besides the components' own
/// states.
#[derive(Clone, Debug, Default)]
pub(super) struct RunState {
    pub(super) position: Position,
    pub(super) history: History,
    /// The current epoch's loss sum (loss × rows) and rows, for its mean train loss.
    pub(super) epoch_loss: (f64, u64),
    /// The learning rate of the last step taken.
    pub(super) last_lr: Option<f64>,
    /// Set once the run has begun (a fresh `fit` reseeds generators only then).
    pub(super) started: bool,
    pub(super) stop_reason: Option<String>,
    /// The best checkpoint so far: its monitored value and directory name.
    pub(super) best_checkpoint: Option<(f64, String)>,
}

impl<M: Trainable> Trainer<M> {
    /// A builder over `model`, trained by `optimizer` (built over the model's parameters,
    /// e.g. `Adam::new(&model, config)?` or `optimizer_from_str("adam(lr=1e-3)", &model)?`).
    pub fn builder(model: M, optimizer: impl Optimizer + 'static) -> TrainerBuilder<M> {
        TrainerBuilder {
            model,
            optimizer: Box::new(optimizer),
            scheduler: None,
            criterion: None,
            metrics: Vec::new(),
            callbacks: Vec::new(),
            options: TrainerOptions::default(),
        }
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model, mutably (to freeze layers between two `fit` calls, say).
    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    /// The trained model.
    pub fn into_model(self) -> M {
        self.model
    }

    /// The optimizer.
    pub fn optimizer(&self) -> &dyn Optimizer {
        &*self.optimizer
    }

    /// The options.
    pub fn options(&self) -> &TrainerOptions {
        &self.options
    }

    /// The options, to change between `fit` calls (more epochs to extend a finished run).
    ///
    /// They are validated again by the next `fit`.
    pub fn options_mut(&mut self) -> &mut TrainerOptions {
        &mut self.options
    }

    /// The per-epoch metrics so far.
    pub fn history(&self) -> &History {
        &self.run.history
    }

    /// Where the run is.
    pub fn position(&self) -> Position {
        self.run.position
    }

    /// Why the last `fit` stopped early (a callback's request), if it did.
    pub fn stop_reason(&self) -> Option<&str> {
        self.run.stop_reason.as_deref()
    }

    /// How many I/O errors each callback has had (reported once on stderr, then counted):
    /// `[(name, count), ...]`.
    pub fn callback_io_errors(&self) -> Vec<(String, u64)> {
        self.callbacks.io_error_counts()
    }

    /// Whether the epochs or the step budget are done.
    pub fn is_finished(&self) -> bool {
        let Position { epoch, step, .. } = self.run.position;
        let steps_done = self.options.max_steps.is_some_and(|max| step >= max);
        let epochs_done = self.options.epochs > 0 && epoch > self.options.epochs;
        steps_done || epochs_done || self.run.stop_reason.is_some()
    }
}

/// Builds a [`Trainer`]; see [`Trainer::builder`].
pub struct TrainerBuilder<M: Trainable> {
    model: M,
    optimizer: Box<dyn Optimizer>,
    scheduler: Option<Box<dyn LrScheduler>>,
    criterion: Option<Box<dyn Criterion>>,
    metrics: Vec<Box<dyn Metric>>,
    callbacks: Vec<Box<dyn Callback>>,
    options: TrainerOptions,
}

impl<M: Trainable> TrainerBuilder<M> {
    /// The loss to minimise (required): a loss module such as `CrossEntropyLoss::default()`,
    /// `criterion_from_str("mse_loss")?`, or [`loss_fn`](super::loss_fn).
    pub fn loss(mut self, criterion: impl Criterion + 'static) -> Self {
        self.criterion = Some(Box::new(criterion));
        self
    }

    /// A learning-rate scheduler, stepped per epoch or per step (`options.scheduler_interval`).
    pub fn scheduler(mut self, scheduler: impl LrScheduler + 'static) -> Self {
        self.scheduler = Some(Box::new(scheduler));
        self
    }

    /// A validation metric (logged as `valid_<name>`; `evaluate` returns it as `<name>`).
    pub fn metric(mut self, metric: impl Metric + 'static) -> Self {
        self.metrics.push(Box::new(metric));
        self
    }

    /// A callback; hooks run in the order callbacks were added.
    pub fn callback(mut self, callback: impl Callback + 'static) -> Self {
        self.callbacks.push(Box::new(callback));
        self
    }

    /// All options at once.
    pub fn options(mut self, options: TrainerOptions) -> Self {
        self.options = options;
        self
    }

    /// Epochs to train.
    pub fn epochs(mut self, epochs: u64) -> Self {
        self.options.epochs = epochs;
        self
    }

    /// A budget of optimizer steps.
    pub fn max_steps(mut self, max_steps: u64) -> Self {
        self.options.max_steps = Some(max_steps);
        self
    }

    /// The trainer.
    ///
    /// # Errors
    /// [`TrainError::Options`] when no loss was given, two metrics or two callbacks share a
    /// name, or the options break their rules (every problem listed).
    pub fn build(self) -> Result<Trainer<M>, TrainError> {
        let options_error = |reason: String| TrainError::Options { reason };
        self.options
            .validate()
            .map_err(|e| options_error(e.to_string()))?;
        let criterion = self.criterion.ok_or_else(|| {
            options_error("no loss: add one with `.loss(CrossEntropyLoss::default())`".into())
        })?;
        let metrics = MetricSet::new(self.metrics).map_err(|e| options_error(e.to_string()))?;
        let callbacks = Callbacks::new(self.callbacks).map_err(options_error)?;
        Ok(Trainer {
            model: self.model,
            optimizer: self.optimizer,
            scheduler: self.scheduler,
            criterion,
            metrics,
            callbacks,
            options: self.options,
            run: RunState::default(),
        })
    }
}
