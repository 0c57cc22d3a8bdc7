//! `minitrainer eval DIR [--data SPEC] [--json]`: the final model's loss and the run's
//! metrics on a data set.
//!
//! `SPEC`: `valid` (default: the run's validation split, rebuilt from `run.json`), `train`
//! (its training split), `digits` (the whole compiled-in set), or a CSV file with the run's
//! target column. The run's scaling is applied in every case.

use std::path::Path;

use minitrainer::data::Digits;
use minitrainer::metrics::metric_from_str;
use minitrainer::optim::optimizer_from_str;
use minitrainer::train::{Batches, Trainer, criterion_from_str};
use serde_json::{Map, Value};

use crate::callbacks::format_metric;
use crate::data_spec::{self, eval_loader, read_inputs};
use crate::error::CliError;
use crate::run_dir::RunDir;

/// The data `eval` reads for `spec`.
fn eval_data(run_dir: &RunDir, spec: &str) -> Result<Box<dyn Batches>, CliError> {
    let file = &run_dir.run.file;
    let scaler = run_dir.scaler.as_ref();
    match spec {
        "valid" => data_spec::load(file)?
            .valid
            .ok_or_else(|| CliError::RunDir {
                dir: run_dir.dir.clone(),
                reason: "the run has no validation split; pass --data train or --data FILE.csv"
                    .into(),
            }),
        "train" => {
            let mut file = file.clone();
            file.shuffle = false;
            Ok(data_spec::load(&file)?.train)
        }
        "digits" => eval_loader(Digits::load(), scaler),
        path => {
            let classes = run_dir.class_names.as_deref();
            eval_loader(
                read_inputs(&file.data, Path::new(path), true, classes)?,
                scaler,
            )
        }
    }
}

/// The loss and metrics of the run's final model on `spec`'s data.
///
/// # Errors
/// Not a run directory, no final model, unreadable data, a loss or metric that does not fit
/// the model's outputs.
pub fn eval_metrics(dir: &Path, spec: &str) -> Result<Vec<(String, f64)>, CliError> {
    let run_dir = RunDir::open(dir)?;
    let model = run_dir.model()?;
    let data = eval_data(&run_dir, spec)?;
    let file = &run_dir.run.file;
    // The optimizer is never stepped: the trainer needs one to exist.
    let optimizer =
        optimizer_from_str("sgd(lr=0.0)", &model).map_err(|e| CliError::library("eval", e))?;
    let loss = criterion_from_str(&file.loss).map_err(|e| CliError::library("loss", e))?;
    let mut builder = Trainer::builder(model, optimizer).loss(loss);
    for spec in &file.metrics {
        builder =
            builder.metric(metric_from_str(spec).map_err(|e| CliError::library("metrics", e))?);
    }
    let mut trainer = builder.build().map_err(|e| CliError::library("eval", e))?;
    trainer
        .evaluate(&*data)
        .map_err(|e| CliError::library("evaluating", e))
}

/// Runs `eval`: `name value` lines, or one JSON object with `--json`.
///
/// # Errors
/// As [`eval_metrics`].
pub fn eval(dir: &Path, spec: Option<&str>, json: bool) -> Result<(), CliError> {
    let metrics = eval_metrics(dir, spec.unwrap_or("valid"))?;
    if json {
        let object: Map<String, Value> = metrics
            .iter()
            .map(|(name, value)| (name.clone(), Value::from(*value)))
            .collect();
        println!("{}", Value::Object(object));
    } else {
        let width = metrics.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (name, value) in &metrics {
            println!("{name:width$}  {}", format_metric(name, *value));
        }
    }
    Ok(())
}
