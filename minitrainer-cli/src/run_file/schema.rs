//! The run file's schema as derived configs: [`RunFile`] (the top level), [`DataConfig`] (the
//! `data` section) and [`GroupConfig`] (one `param_groups` entry).

use minitrainer::config::CheckError;
use minitrainer::prelude::*;
use minitrainer::train::SchedulerInterval;

/// Where the samples come from.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum DataSource {
    /// scikit-learn's 8×8 digits, compiled into the library (1,797 samples, 64 features
    /// scaled to [0, 1], 10 classes).
    Digits,
    /// A CSV file (`path`) with a header; `target` names the target column.
    Csv,
    /// An IDX pair: `images` and `labels` files (MNIST's format, gzipped or not).
    Idx,
    /// An MNIST directory (`path`): its training files train, its `t10k` files validate.
    Mnist,
}

/// What the target is.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Task {
    /// Class labels (whole numbers, or names sorted in byte order).
    Classes,
    /// Regression values.
    Values,
}

/// Feature scaling, fitted on the training split and saved with the run (`scaler.json`).
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Scaling {
    /// Features as read.
    None,
    /// (x - mean) / std per feature.
    Standard,
    /// (x - min) / (max - min) per feature.
    MinMax,
}

/// The `data` section of a run file.
#[derive(Config, Clone, Debug, PartialEq)]
#[config(check = data_complete)]
pub struct DataConfig {
    /// Where the samples come from.
    pub source: DataSource,
    /// The CSV file, or the MNIST directory (relative to the run file).
    pub path: Option<String>,
    /// The CSV target column.
    pub target: Option<String>,
    /// Whether the target is classes or values (CSV only; the others are classes).
    #[config(default = Task::Classes)]
    pub task: Task,
    /// The IDX images file.
    pub images: Option<String>,
    /// The IDX labels file.
    pub labels: Option<String>,
    /// Train on this fraction of the rows, validate on the rest, split by `split_seed`.
    #[config(range = 0.0..=1.0)]
    pub train_fraction: Option<f64>,
    /// Train on rows `[start, end)` (instead of a fraction).
    pub train_rows: Option<Vec<usize>>,
    /// Validate on rows `[start, end)`.
    pub valid_rows: Option<Vec<usize>>,
    /// The seed of the random split.
    #[config(default = 0)]
    pub split_seed: u64,
    /// Feature scaling, fitted on the training rows.
    #[config(default = Scaling::None)]
    pub scale: Scaling,
}

fn data_complete(c: &DataConfig) -> Result<(), CheckError> {
    let mut missing: Vec<&str> = Vec::new();
    match c.source {
        DataSource::Csv if c.path.is_none() || c.target.is_none() => {
            missing.extend(["path", "target"]);
        }
        DataSource::Idx if c.images.is_none() || c.labels.is_none() => {
            missing.extend(["images", "labels"]);
        }
        DataSource::Mnist if c.path.is_none() => missing.push("path"),
        _ => {}
    }
    if !missing.is_empty() {
        let message = format!("the {:?} source needs {}", c.source, missing.join(" and "));
        return Err(CheckError::new(missing, message.to_lowercase()));
    }
    for (name, rows) in [("train_rows", &c.train_rows), ("valid_rows", &c.valid_rows)] {
        if let Some(rows) = rows
            && (rows.len() != 2 || rows[0] > rows[1])
        {
            return Err(CheckError::new(
                [name],
                "a row range is [start, end) with start <= end, e.g. [0, 1400]",
            ));
        }
    }
    if c.train_fraction.is_some() && (c.train_rows.is_some() || c.valid_rows.is_some()) {
        return Err(CheckError::new(
            ["train_fraction", "train_rows"],
            "split by a fraction or by row ranges, not both",
        ));
    }
    Ok(())
}

/// One optimizer parameter group: the trainable parameters whose path matches `pattern`
/// (a glob: `"*.bias"`, `"layers.0.*"`), with their own learning rate and/or weight decay.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct GroupConfig {
    /// Which parameters (the first matching group takes a parameter).
    #[config(non_empty)]
    pub pattern: String,
    /// The group's learning rate (default: the optimizer's).
    #[config(min = 0.0)]
    pub lr: Option<f64>,
    /// The group's weight decay (default: the optimizer's).
    #[config(min = 0.0)]
    pub weight_decay: Option<f64>,
}

/// A run file (without `model`, which the registry decodes). Keys and their defaults:
#[derive(Config, Clone, Debug, PartialEq)]
pub struct RunFile {
    /// Initial weights: a safetensors file or a pretrained directory (relative to the run file).
    pub weights: Option<String>,
    /// Parameters to freeze, by path or glob pattern (`"layers.0.*"`).
    #[config(default = Vec::new())]
    pub freeze: Vec<String>,
    /// The data.
    pub data: DataConfig,
    /// The optimizer, `name(key=value, ...)` (`adam`, `adamw`, `sgd`, `rmsprop`, `adagrad`).
    #[config(default = "adam(lr=0.001)".to_string(), non_empty)]
    pub optimizer: String,
    /// Parameter groups with their own learning rate or weight decay.
    #[config(default = Vec::new())]
    pub param_groups: Vec<GroupConfig>,
    /// A learning-rate scheduler, `name(key=value, ...)` (`cosine_annealing_lr(t_max=60)`).
    pub scheduler: Option<String>,
    /// When the scheduler steps: after each `epoch` or each `step`.
    #[config(default = SchedulerInterval::Epoch)]
    pub scheduler_interval: SchedulerInterval,
    /// The loss (`cross_entropy`, `mse_loss`, `l1_loss`, `huber_loss`, ...).
    #[config(default = "cross_entropy".to_string(), non_empty)]
    pub loss: String,
    /// Validation metrics (`accuracy`, `f1`, `mae`, `r2`, ...).
    #[config(default = Vec::new())]
    pub metrics: Vec<String>,
    /// Clip the gradients' global L2 norm to this before each step.
    #[config(min = 0.0)]
    pub clip_grad_norm: Option<f64>,
    /// Clip each gradient entry to `[-v, v]` before each step.
    #[config(min = 0.0)]
    pub clip_grad_value: Option<f64>,
    /// Epochs to train.
    #[config(default = 10, min = 1)]
    pub epochs: u64,
    /// Samples per training batch.
    #[config(default = 32, min = 1)]
    pub batch_size: usize,
    /// Shuffle the training samples each epoch (the order is a function of `seed`).
    #[config(default = true)]
    pub shuffle: bool,
    /// Data-loader worker threads (0: load on the training thread; results are identical).
    #[config(default = 0)]
    pub workers: usize,
    /// The seed of the initial weights, the data order and dropout.
    #[config(default = 0)]
    pub seed: u64,
    /// A checkpoint every N epochs (what `--resume` continues from).
    #[config(default = 1, min = 1)]
    pub checkpoint_every_epochs: u64,
    /// How many of the latest checkpoints to keep.
    #[config(default = 2, min = 1)]
    pub keep_checkpoints: usize,
    /// The run directory (relative to the working directory; `--out` overrides it).
    #[config(default = "runs/run".to_string(), non_empty)]
    pub out: String,
}
