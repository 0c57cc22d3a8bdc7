//! `Estimator`: what a classifier and a regressor share — the model's spec, the options, the
//! model at its stage (fresh, fitted, none), training through the [`Trainer`], and prediction
//! in chunks.

use super::error::EstimatorError;
use super::options::EstimatorOptions;
use crate::build::Init;
use crate::config::Config;
use crate::data::{DataLoader, TensorDataset};
use crate::module::Module;
use crate::optim::optimizer_from_str;
use crate::registry::{Model, ModelSpec, Registry};
use crate::train::{
    Criterion, History, Predictor, TrainError, Trainer, TrainerOptions, criterion_from_str,
};
use crate::{Error, Tensor};

/// Which estimator: names, the default loss, the `kind` in `estimator.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Classifier,
    Regressor,
}

impl Kind {
    /// The type's name, for messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Classifier => "Classifier",
            Kind::Regressor => "Regressor",
        }
    }

    /// The `kind` written to `estimator.json`.
    pub(super) fn key(self) -> &'static str {
        match self {
            Kind::Classifier => "classifier",
            Kind::Regressor => "regressor",
        }
    }

    fn not_fitted(self, method: &'static str) -> Error {
        TrainError::NotFitted {
            estimator: self.name(),
            method,
        }
        .into()
    }

    fn default_loss(self) -> &'static str {
        match self {
            Kind::Classifier => "cross_entropy",
            Kind::Regressor => "mse_loss",
        }
    }
}

/// The model, by what has happened to it.
pub(super) enum Stage {
    /// None: the next `fit` builds one (after a failed `fit`).
    Empty,
    /// Built from the spec with this seed, never trained.
    Fresh(Box<dyn Model>, u64),
    /// Trained by the last `fit` (or loaded).
    Fitted(Box<dyn Model>),
}

/// The shared state of [`Classifier`](super::Classifier) and
/// [`Regressor`](super::Regressor).
pub(super) struct Estimator {
    pub(super) kind: Kind,
    /// The model's config, every field written (as `config.json` holds it).
    pub(super) spec: ModelSpec,
    pub(super) options: EstimatorOptions,
    pub(super) stage: Stage,
    pub(super) history: Option<History>,
}

impl Estimator {
    /// Parses and builds the model (so every config error shows now), and checks that the
    /// options' optimizer and loss can be built.
    pub(super) fn new(kind: Kind, spec: &str, options: EstimatorOptions) -> Result<Self, Error> {
        options
            .validate()
            .map_err(|e| EstimatorError::params("options", e))?;
        let spec = ModelSpec::parse(spec).map_err(|e| EstimatorError::params("model", e))?;
        let model = build(&spec, options.seed)?;
        check_training(kind, &options, &*model)?;
        Ok(Estimator {
            kind,
            spec: canonical_spec(&*model)?,
            stage: Stage::Fresh(model, options.seed),
            options,
            history: None,
        })
    }

    /// A wrapped estimator with a fitted model (a loaded one).
    pub(super) fn fitted(
        kind: Kind,
        model: Box<dyn Model>,
        options: EstimatorOptions,
    ) -> Result<Self, Error> {
        Ok(Estimator {
            kind,
            spec: canonical_spec(&*model)?,
            stage: Stage::Fitted(model),
            options,
            history: None,
        })
    }

    /// The loss spec in effect.
    pub(super) fn loss(&self) -> &str {
        loss_of(self.kind, &self.options)
    }

    /// The fitted model, or [`TrainError::NotFitted`] naming `method`.
    pub(super) fn fitted_model(
        &mut self,
        method: &'static str,
    ) -> Result<&mut Box<dyn Model>, Error> {
        match &mut self.stage {
            Stage::Fitted(model) => Ok(model),
            _ => Err(self.kind.not_fitted(method)),
        }
    }

    /// The fitted model, shared.
    pub(super) fn fitted_ref(&self, method: &'static str) -> Result<&dyn Model, Error> {
        match &self.stage {
            Stage::Fitted(model) => Ok(&**model),
            _ => Err(self.kind.not_fitted(method)),
        }
    }

    pub(super) fn is_fitted(&self) -> bool {
        matches!(self.stage, Stage::Fitted(_))
    }

    /// The model's output for the first row of `x`, in eval mode: its shape tells what the
    /// targets must fit before any training step. A model whose layers do not accept `x`'s
    /// width panics here, naming the layer.
    pub(super) fn probe(&mut self, x: &Tensor) -> Result<Tensor, Error> {
        if matches!(self.stage, Stage::Empty) {
            self.stage = Stage::Fresh(build(&self.spec, self.options.seed)?, self.options.seed);
        }
        let model = match &mut self.stage {
            Stage::Fresh(model, _) | Stage::Fitted(model) => model,
            Stage::Empty => unreachable!("minitrainer internal error: a model was just built"),
        };
        // `predict_batch` runs in eval mode under `no_grad`.
        model.predict_batch(x.narrow(0, 0, 1))
    }

    /// Trains on `data`: from the fitted weights with `warm_start`, otherwise from a model
    /// built from the spec with `seed`. A failed fit leaves the estimator unfitted.
    pub(super) fn train(&mut self, data: TensorDataset) -> Result<(), Error> {
        let seed = self.options.seed;
        let model = match std::mem::replace(&mut self.stage, Stage::Empty) {
            Stage::Fitted(model) if self.options.warm_start => model,
            Stage::Fresh(model, built_with) if built_with == seed => model,
            _ => build(&self.spec, seed)?,
        };
        let optimizer = optimizer_from_str(&self.options.optimizer, &model)?;
        let criterion = criterion_from_str(self.loss())?;
        let loader = DataLoader::builder(data)
            .batch_size(self.options.batch_size)
            .shuffle(self.options.shuffle)
            .seed(seed)
            .build()?;
        let options = TrainerOptions {
            epochs: self.options.epochs,
            seed: Some(seed),
            ..TrainerOptions::default()
        };
        let mut trainer = Trainer::builder(model, optimizer)
            .loss(criterion)
            .options(options)
            .build()?;
        let history = trainer.fit(&loader, None)?;
        self.history = Some(history);
        self.stage = Stage::Fitted(trainer.into_model());
        Ok(())
    }

    /// The fitted model's output for every row of `x`, `batch_size` rows at a time.
    pub(super) fn predict_rows(
        &mut self,
        x: &Tensor,
        method: &'static str,
    ) -> Result<Tensor, Error> {
        let rows = sample_count(x, method)?;
        let chunk = self.options.batch_size;
        let model = self.fitted_model(method)?;
        let mut outputs = Vec::with_capacity(rows.div_ceil(chunk));
        for start in (0..rows).step_by(chunk) {
            let len = chunk.min(rows - start);
            outputs.push(model.predict_batch(x.narrow(0, start, len))?);
        }
        let outputs: Vec<&Tensor> = outputs.iter().collect();
        Ok(Tensor::cat(&outputs, 0))
    }
}

/// The number of samples in `x` (its first axis), at least one.
pub(super) fn sample_count(x: &Tensor, method: &'static str) -> Result<usize, EstimatorError> {
    match x.shape().first() {
        Some(&rows) if rows > 0 => Ok(rows),
        _ => Err(EstimatorError::NoSamples {
            method,
            shape: x.shape().to_vec(),
        }),
    }
}

/// `x` and `y` hold as many samples.
pub(super) fn same_length(x_rows: usize, y_rows: usize) -> Result<(), EstimatorError> {
    if x_rows == y_rows {
        Ok(())
    } else {
        Err(EstimatorError::LengthMismatch { x_rows, y_rows })
    }
}

pub(super) fn loss_of(kind: Kind, options: &EstimatorOptions) -> &str {
    options.loss.as_deref().unwrap_or(kind.default_loss())
}

/// The model `spec` names, its initial weights drawn from `seed`.
pub(super) fn build(spec: &ModelSpec, seed: u64) -> Result<Box<dyn Model>, Error> {
    let registry = Registry::global().map_err(|e| EstimatorError::params("model", e))?;
    registry
        .build(spec.clone(), &mut Init::seeded(seed))
        .map_err(|e| EstimatorError::params("model", e).into())
}

/// The spec of a built model with every field written (defaults too).
pub(super) fn canonical_spec(model: &dyn Model) -> Result<ModelSpec, Error> {
    Ok(ModelSpec::from_json(model.config_json())?)
}

/// The options' optimizer builds over `model`'s parameters and their loss builds.
pub(super) fn check_training(
    kind: Kind,
    options: &EstimatorOptions,
    model: &dyn Module,
) -> Result<(), Error> {
    let params = |e: Error| EstimatorError::params("options", e);
    optimizer_from_str(&options.optimizer, model).map_err(|e| params(e.into()))?;
    let criterion: Box<dyn Criterion> =
        criterion_from_str(loss_of(kind, options)).map_err(|e| params(e.into()))?;
    drop(criterion);
    Ok(())
}
