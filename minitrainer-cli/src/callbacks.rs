//! The run's callbacks besides the metrics log: [`callbacks`] is the one place to add more.

use minitrainer::train::Callback;
use minitrainer::train::callbacks::Progress;

use crate::run_file::RunFile;

/// The callbacks of a run: progress on stderr unless `quiet` — an `indicatif` bar per epoch on
/// a terminal, otherwise one plain line per epoch and one every 50 steps (no carriage
/// returns, so logs stay readable). Stdout keeps the run's summary.
pub fn callbacks(_run: &RunFile, quiet: bool) -> Vec<Box<dyn Callback>> {
    let mut list: Vec<Box<dyn Callback>> = Vec::new();
    if !quiet {
        list.push(Box::new(Progress::new()));
    }
    list
}

/// A metric for people: learning rates in scientific notation, the rest with 4 decimals.
pub fn format_metric(name: &str, value: f64) -> String {
    match name {
        "lr" => format!("{value:.3e}"),
        _ => format!("{value:.4}"),
    }
}
