//! `Trainer`: a model, an optimizer, an optional scheduler, a loss, metrics and callbacks,
//! each injected through the builder, and the state of the run (position, history).

use super::callback::Callback;
use super::criterion::Criterion;
use super::data_parallel::Ranks;
use super::error::TrainError;
use super::hooks::Callbacks;
use super::options::TrainerOptions;
use super::records::{History, Position};
use super::trainable::Trainable;
use crate::config::Config;
use crate::distributed::{Collective, GradientBuckets};
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
    pub(super) ranks: Ranks,
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
            ranks: Ranks::default(),
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

    /// This trainer's rank in its group (0 without [`TrainerBuilder::distributed`]): shard
    /// the training loader with it, `sampler.shard(trainer.rank(), trainer.world_size())`.
    pub fn rank(&self) -> usize {
        self.ranks.group.rank()
    }

    /// How many ranks train together (1 without [`TrainerBuilder::distributed`]).
    pub fn world_size(&self) -> usize {
        self.ranks.group.world_size()
    }

    /// Whether this is the rank that writes checkpoints and logs (rank 0).
    pub fn is_main(&self) -> bool {
        self.ranks.group.is_main()
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
    ranks: Ranks,
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

    /// Trains data-parallel (PyTorch's DistributedDataParallel) as one rank of `group`: a
    /// [`ThreadGroup`](crate::distributed::ThreadGroup) rank, or an MPI one. The default is
    /// [`SingleProcess`](crate::distributed::SingleProcess): one rank, the plain loop.
    ///
    /// Every rank builds the same trainer (same model config, optimizer, options, callbacks)
    /// and calls `fit` with its own share of the data: shard the training loader's sampler,
    /// `sampler.shard(rank, world_size)`, so every rank has as many batches (the trainer stops
    /// with [`DistributedError::OutOfStep`](crate::distributed::DistributedError::OutOfStep)
    /// when they differ). Then `fit`:
    /// - copies rank 0's parameters and buffers to every rank at its start (also after
    ///   [`Trainer::resume`]);
    /// - after each step's backward, averages the gradients over the ranks (in buckets, see
    ///   [`TrainerBuilder::bucket_bytes`]) before the non-finite guard, clipping and the
    ///   optimizer step, so the ranks' parameters stay bitwise equal;
    /// - records each step's loss as the mean over the ranks (and the epoch's `train_loss`
    ///   over all ranks' rows), identical on every rank;
    /// - validates on every rank with its full validation loader (don't shard it), so the
    ///   validation metrics, early stopping and plateau schedulers agree everywhere;
    /// - writes checkpoints on rank 0 only; callbacks run on every rank and see the rank in
    ///   [`TrainContext::rank`](super::TrainContext::rank) (the built-in `MetricsLog` and
    ///   `Progress` write on rank 0 only);
    /// - stops every rank when one fails: the failing rank returns its own error, the others
    ///   [`DistributedError::RankFailed`](crate::distributed::DistributedError::RankFailed)
    ///   with its rank and message — no rank waits for one that stopped.
    ///
    /// To resume, every rank calls [`Trainer::resume`] on the same checkpoint directory (a
    /// rank whose `resume` failed must not go on to `fit`).
    ///
    /// ```
    /// use minitrainer_core::data::{DataLoader, Dataset, Digits, RandomSampler, Sampler};
    /// use minitrainer_core::distributed::{Collective, ThreadGroup, ThreadRank};
    /// use minitrainer_core::nn::loss::CrossEntropyLoss;
    /// use minitrainer_core::optim::optimizer_from_str;
    /// use minitrainer_core::train::Trainer;
    ///
    /// fn train_rank(group: ThreadRank) -> Result<f64, Box<dyn std::error::Error + Send + Sync>> {
    ///     let (rank, world_size) = (group.rank(), group.world_size());
    ///     let model = minitrainer_core::registry::load("linear(in_features=64, out_features=10)")?;
    ///     let optimizer = optimizer_from_str("sgd(lr=0.1)", &model)?;
    ///     let (train, _) = Digits::train_test();
    ///     let sampler = RandomSampler::new(train.len(), 0).shard(rank, world_size)?;
    ///     let train = DataLoader::builder(train).batch_size(32).sampler(sampler).build()?;
    ///     let mut trainer = Trainer::builder(model, optimizer)
    ///         .loss(CrossEntropyLoss::default())
    ///         .distributed(group)
    ///         .build()?;
    ///     let history = trainer.fit(&train, None)?;
    ///     Ok(history.metric("train_loss")[0])
    /// }
    ///
    /// let losses: Vec<f64> = std::thread::scope(|scope| {
    ///     let ranks: Vec<_> = ThreadGroup::new(2)
    ///         .into_iter()
    ///         .map(|group| scope.spawn(move || train_rank(group)))
    ///         .collect();
    ///     ranks.into_iter().map(|r| r.join().unwrap().unwrap()).collect()
    /// });
    /// assert_eq!(losses[0], losses[1]); // every rank records the mean over the ranks
    /// ```
    pub fn distributed(mut self, group: impl Collective + Send + 'static) -> Self {
        let buckets = std::mem::take(&mut self.ranks.buckets);
        self.ranks = Ranks::new(Box::new(group));
        self.ranks.buckets = buckets;
        self
    }

    /// The size of a gradient bucket in bytes for data-parallel training (default
    /// [`DEFAULT_BUCKET_BYTES`](crate::distributed::DEFAULT_BUCKET_BYTES), 25 MiB, DDP's
    /// `bucket_cap_mb`): gradients are summed between ranks one bucket at a time.
    pub fn bucket_bytes(mut self, bytes: usize) -> Self {
        self.ranks.buckets = GradientBuckets::new(bytes);
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
            ranks: self.ranks,
        })
    }
}
