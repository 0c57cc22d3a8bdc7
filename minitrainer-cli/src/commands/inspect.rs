//! `minitrainer inspect DIR`: the model's module tree, its parameters (name, shape, count,
//! trainable or frozen as the run froze them) and the run's final metrics.

use std::path::Path;

use minitrainer::module::Module;

use crate::callbacks::format_metric;
use crate::error::CliError;
use crate::plot::read_log;
use crate::run_dir::{METRICS_FILE, RunDir};

/// The report `inspect` prints.
///
/// # Errors
/// Not a run directory, no final model, a malformed metrics log.
pub fn inspect_text(dir: &Path) -> Result<String, CliError> {
    let run_dir = RunDir::open(dir)?;
    let model = run_dir.model()?;
    for pattern in &run_dir.run.file.freeze {
        model
            .freeze(pattern)
            .map_err(|e| CliError::library(format!("freeze {pattern}"), e))?;
    }
    let mut out = format!(
        "model: {}\n{}\n\nparameters:\n",
        model.model_type(),
        model.repr()
    );
    let params = model.named_parameters();
    let width = params.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, param) in &params {
        let state = if param.is_frozen() {
            "frozen"
        } else {
            "trainable"
        };
        let shape = format!("{:?}", param.shape());
        out.push_str(&format!(
            "  {name:width$}  {shape:14}  {:>10}  {state}\n",
            param.numel()
        ));
    }
    out.push_str(&format!("{}\n", model.param_summary()));
    let log = dir.join(METRICS_FILE);
    if log.is_file() {
        let records = read_log(&log)?;
        if let Some(last) = records.iter().rev().find(|r| r["kind"] == "epoch") {
            out.push_str(&format!("\nfinal metrics (epoch {}):\n", last["epoch"]));
            for (key, value) in last.as_object().into_iter().flatten() {
                if let (false, Some(v)) = (
                    matches!(key.as_str(), "kind" | "epoch" | "step"),
                    value.as_f64(),
                ) {
                    out.push_str(&format!("  {key}: {}\n", format_metric(key, v)));
                }
            }
        }
    }
    Ok(out)
}

/// Runs `inspect DIR`.
///
/// # Errors
/// As [`inspect_text`].
pub fn inspect(dir: &Path) -> Result<(), CliError> {
    print!("{}", inspect_text(dir)?);
    Ok(())
}
