//! `minitrainer predict DIR --input x.csv --output preds.csv`: one prediction per input row,
//! the run's scaling applied. A classifier writes `class,p0,p1,...` (softmax probabilities;
//! with named classes, the class name and `p_NAME` columns), a regressor `value` (or
//! `value0,value1,...`). A target column in the input is ignored.

use std::fmt::Write as _;
use std::path::Path;

use minitrainer::Tensor;
use minitrainer::train::Predictor;

use crate::data_spec::{eval_loader, read_inputs};
use crate::error::CliError;
use crate::run_dir::RunDir;
use crate::run_file::{DataSource, Task};

/// The predictions for the rows of `input`, as CSV text.
///
/// # Errors
/// Not a run directory, no final model, an unreadable or malformed CSV, inputs whose width
/// does not fit the model.
pub fn predict_csv(dir: &Path, input: &Path) -> Result<String, CliError> {
    let run_dir = RunDir::open(dir)?;
    let mut model = run_dir.model()?;
    let data = &run_dir.run.file.data;
    let set = read_inputs(data, input, false, None)?;
    let loader = eval_loader(set, run_dir.scaler.as_ref())?;
    let classes = (data.source != DataSource::Csv || data.task == Task::Classes)
        .then(|| run_dir.class_names.clone().unwrap_or_default());
    let mut out = String::new();
    for batch in loader.epoch_batches() {
        let batch = batch.map_err(|e| CliError::library("reading the inputs", e))?;
        let outputs = model
            .predict_batch(batch.inputs)
            .map_err(|e| CliError::library("predicting", e))?;
        if out.is_empty() {
            out = header(&outputs, classes.as_deref());
        }
        rows(&mut out, &outputs, classes.as_deref());
    }
    Ok(out)
}

/// The header line; `classes` is `None` for a regressor, else the class names (empty when
/// the classes are numbers).
fn header(outputs: &Tensor, classes: Option<&[String]>) -> String {
    let width = outputs.shape().get(1).copied().unwrap_or(1);
    let names: Vec<String> = match (classes, width) {
        (Some(names), _) => std::iter::once("class".to_string())
            .chain((0..width).map(|k| match names.get(k) {
                Some(name) => csv_field(&format!("p_{name}")),
                None => format!("p{k}"),
            }))
            .collect(),
        (None, 1) => vec!["value".into()],
        (None, _) => (0..width).map(|k| format!("value{k}")).collect(),
    };
    names.join(",") + "\n"
}

/// One line per row: the arg-max class (its name when the classes have names) and the softmax
/// probabilities, or the values.
fn rows(out: &mut String, outputs: &Tensor, classes: Option<&[String]>) {
    let rows = outputs.shape().first().copied().unwrap_or(0);
    let values = match classes.is_some() && outputs.shape().len() == 2 {
        true => outputs.softmax(1).to_vec(),
        false => outputs.to_vec(),
    };
    let width = values.len().checked_div(rows).unwrap_or(0);
    for row in values.chunks(width.max(1)).take(rows) {
        let cells: Vec<String> = row.iter().map(f32::to_string).collect();
        if let Some(names) = classes {
            // The first maximum, as `argmax`.
            let class = row
                .iter()
                .enumerate()
                .fold(0, |best, (k, v)| if *v > row[best] { k } else { best });
            match names.get(class) {
                Some(name) => {
                    let _ = write!(out, "{},", csv_field(name));
                }
                None => {
                    let _ = write!(out, "{class},");
                }
            }
        }
        let _ = writeln!(out, "{}", cells.join(","));
    }
}

/// `text` as one CSV field: quoted (inner quotes doubled) when it holds a comma, a quote or a
/// line break.
fn csv_field(text: &str) -> String {
    match text.contains([',', '"', '\n', '\r']) {
        true => format!("\"{}\"", text.replace('"', "\"\"")),
        false => text.to_owned(),
    }
}

/// Runs `predict`.
///
/// # Errors
/// As [`predict_csv`]; the output file cannot be written.
pub fn predict(dir: &Path, input: &Path, output: &Path) -> Result<(), CliError> {
    let text = predict_csv(dir, input)?;
    let rows = text.lines().count().saturating_sub(1);
    std::fs::write(output, text).map_err(|source| CliError::Write {
        path: output.to_path_buf(),
        source,
    })?;
    println!("{rows} predictions written to {}", output.display());
    Ok(())
}
