//! Everything a run file describes, built and checked before the first step: the model (with
//! its initial weights and frozen parameters), the data, the optimizer (with parameter
//! groups), the scheduler, the loss and the metrics. Every problem is collected, so one
//! attempt reports them all.

use std::path::Path;

use minitrainer::Model;
use minitrainer::metrics::{Metric, metric_from_str};
use minitrainer::module::Module;
use minitrainer::optim::schedule::{LrScheduler, scheduler_from_str};
use minitrainer::optim::{OptimError, Optimizer, ParamGroup, optimizer_with_groups_from_str};
use minitrainer::train::{Criterion, criterion_from_str};

use crate::data_spec::{self, Data, Share};
use crate::error::CliError;
use crate::run_file::{GroupConfig, Run};

/// The built parts of a run.
pub struct Parts {
    /// The model, initial weights loaded and parameters frozen.
    pub model: Box<dyn Model>,
    /// The optimizer over its trainable parameters.
    pub optimizer: Box<dyn Optimizer>,
    /// The scheduler, if any.
    pub scheduler: Option<Box<dyn LrScheduler>>,
    /// The loss.
    pub loss: Box<dyn Criterion>,
    /// The validation metrics.
    pub metrics: Vec<Box<dyn Metric>>,
    /// The loaders and scaler.
    pub data: Data,
}

/// Builds every part of `run`, reporting all problems at once; the training loader reads
/// `share` of each epoch.
///
/// # Errors
/// [`CliError::RunFile`] listing every part that could not be built, each naming its key.
pub fn build(run: &Run, path: &Path, share: Share) -> Result<Parts, CliError> {
    let mut problems: Vec<String> = Vec::new();
    let mut note = |key: &str, e: &dyn std::fmt::Display| problems.push(format!("{key}: {e}"));
    let file = &run.file;
    let model = build_model(run).map_err(|(key, e)| note(key, &e)).ok();
    let loss = criterion_from_str(&file.loss)
        .map_err(|e| note("loss", &e))
        .ok();
    let mut metrics = Vec::new();
    for (i, spec) in file.metrics.iter().enumerate() {
        match metric_from_str(spec) {
            Ok(metric) => metrics.push(metric),
            Err(e) => note(&format!("metrics.{i}"), &e),
        }
    }
    let optimizer = model.as_ref().and_then(|model| {
        build_optimizer(&file.optimizer, &file.param_groups, &**model)
            .map_err(|e| note("optimizer", &e))
            .ok()
    });
    // Without an optimizer, the scheduler is still checked, against one learning rate.
    let lrs = optimizer
        .as_ref()
        .map_or(vec![1e-3], |o| o.learning_rates());
    let scheduler = match &file.scheduler {
        None => None,
        Some(spec) => scheduler_from_str(spec, &lrs)
            .map_err(|e| note("scheduler", &e))
            .ok(),
    };
    let data = data_spec::load_share(file, share)
        .map_err(|e| note("data", &e))
        .ok();
    match (model, optimizer, loss, data) {
        (Some(model), Some(optimizer), Some(loss), Some(data)) if problems.is_empty() => {
            Ok(Parts {
                model,
                optimizer,
                scheduler,
                loss,
                metrics,
                data,
            })
        }
        _ => Err(CliError::RunFile {
            path: path.to_path_buf(),
            problems,
        }),
    }
}

type KeyedError = (&'static str, Box<dyn std::error::Error + Send + Sync>);

/// The model from its spec and seed, its initial weights, its frozen parameters.
fn build_model(run: &Run) -> Result<Box<dyn Model>, KeyedError> {
    let file = &run.file;
    let mut model =
        minitrainer::load_seeded(&run.model_text(), file.seed).map_err(|e| ("model", e.into()))?;
    if let Some(weights) = &file.weights {
        let path = Path::new(weights);
        let path = match path.is_dir() {
            true => path.join(minitrainer::registry::WEIGHTS_FILE),
            false => path.to_path_buf(),
        };
        minitrainer::load_weights(&mut model, &path).map_err(|e| ("weights", e.into()))?;
    }
    for pattern in &file.freeze {
        model.freeze(pattern).map_err(|e| ("freeze", e.into()))?;
    }
    Ok(model)
}

/// The optimizer, with the run file's parameter groups.
fn build_optimizer(
    spec: &str,
    groups: &[GroupConfig],
    model: &dyn Model,
) -> Result<Box<dyn Optimizer>, OptimError> {
    let groups = groups.iter().map(|g| {
        let group = ParamGroup::new(g.pattern.clone());
        let group = match g.lr {
            Some(lr) => group.lr(lr),
            None => group,
        };
        match g.weight_decay {
            Some(wd) => group.weight_decay(wd),
            None => group,
        }
    });
    optimizer_with_groups_from_str(spec, model, groups)
}
