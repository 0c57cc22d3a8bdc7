//! The run file's `data` section made real: the data set by source, the split, the scaling
//! (fitted on the training rows, saved as `scaler.json`, applied again by `eval` and
//! `predict`), and the loaders.

use std::path::Path;

use minitrainer::data::{
    Csv, DataLoader, Dataset, DatasetExt, Digits, Example, Mnist, RandomSampler, Sampler, Scaler,
    SequentialSampler, TensorDataset,
};
use minitrainer::train::Batches;

use crate::error::CliError;
use crate::run_file::{DataConfig, DataSource, RunFile, Scaling, Task};

/// The file the fitted scaler is saved to in a run directory.
pub const SCALER_FILE: &str = "scaler.json";
/// The file the class names of a CSV with named classes are saved to in a run directory.
pub const CLASSES_FILE: &str = "classes.json";

/// Batch size of evaluation and prediction loaders (no effect on results).
const EVAL_BATCH: usize = 256;

/// The loaders of a run and the scaler fitted on its training rows.
pub struct Data {
    /// The training batches (shuffled by the run's seed when asked).
    pub train: Box<dyn Batches>,
    /// The validation batches, if the data section makes a validation split.
    pub valid: Option<Box<dyn Batches>>,
    /// The fitted scaler, if the run scales its features.
    pub scaler: Option<Scaler>,
    /// Training and validation rows.
    pub rows: (usize, Option<usize>),
    /// The name of each class index, for a CSV whose labels are names.
    pub class_names: Option<Vec<String>>,
}

fn data_error(what: &str, e: impl std::error::Error + Send + Sync + 'static) -> CliError {
    CliError::library(format!("data: {what}"), e)
}

fn path_of<'a>(field: &'a Option<String>, name: &str) -> Result<&'a Path, CliError> {
    field
        .as_deref()
        .map(Path::new)
        .ok_or_else(|| CliError::RunFile {
            path: "data".into(),
            problems: vec![format!("data.{name}: missing")],
        })
}

/// The CSV file `path` read with the data section's target column; its labels numbered by
/// `classes` (the training file's class names) when given, else by this file's own names.
fn read_csv(
    data: &DataConfig,
    path: &Path,
    classes: Option<&[String]>,
) -> Result<(TensorDataset, Option<Vec<String>>), CliError> {
    let target = data.target.clone().unwrap_or_else(|| "target".into());
    let csv = match (data.task, classes) {
        (Task::Classes, Some(names)) => Csv::new(path).classes(target).class_names(names),
        (Task::Classes, None) => Csv::new(path).classes(target),
        (Task::Values, _) => Csv::new(path).values([target]),
    };
    let set = csv
        .load()
        .map_err(|e| data_error("reading the CSV file", e))?;
    let names = set.class_names().map(<[String]>::to_vec);
    Ok((set.into_inner(), names))
}

/// Which share of each training epoch this process reads: `rank` of `world_size` ranks of a
/// data-parallel run (`mpiexec -n N minitrainer train`), or the whole epoch (0 of 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    /// This process's rank.
    pub rank: usize,
    /// How many ranks read the epoch.
    pub world_size: usize,
}

impl Share {
    /// The whole epoch, for one process.
    pub const ALL: Share = Share {
        rank: 0,
        world_size: 1,
    };
}

/// Builds the run's data: the set, its split, its scaling and the loaders.
///
/// # Errors
/// A missing or malformed file (named), a split that does not fit the rows, a scaler that
/// cannot be fitted.
pub fn load(run: &RunFile) -> Result<Data, CliError> {
    load_share(run, Share::ALL)
}

/// [`load`], with a training loader that reads `share` of each epoch: every rank draws the same
/// seeded order and keeps positions `rank, rank + world_size, ...` of it (`Sampler::shard`).
/// Validation is the whole split on every rank, so every rank computes the same metrics.
///
/// # Errors
/// As [`load`].
pub fn load_share(run: &RunFile, share: Share) -> Result<Data, CliError> {
    let data = &run.data;
    match data.source {
        DataSource::Digits => split(Digits::load(), run, share),
        DataSource::Csv => {
            let (set, class_names) = read_csv(data, path_of(&data.path, "path")?, None)?;
            let mut loaded = split(set, run, share)?;
            loaded.class_names = class_names;
            Ok(loaded)
        }
        DataSource::Idx => {
            let images = path_of(&data.images, "images")?;
            let labels = path_of(&data.labels, "labels")?;
            let set = Mnist::from_files(images, labels)
                .map_err(|e| data_error("reading the IDX files", e))?;
            split(set, run, share)
        }
        DataSource::Mnist => {
            let dir = path_of(&data.path, "path")?;
            let train = Mnist::train(dir).map_err(|e| data_error("reading MNIST", e))?;
            let test = Mnist::test(dir).map_err(|e| data_error("reading MNIST", e))?;
            loaders(train, Some(test), run, share)
        }
    }
}

/// Splits `set` as the data section says (a fraction, row ranges, or no validation).
fn split<D: Dataset<Item = Example> + 'static>(
    set: D,
    run: &RunFile,
    share: Share,
) -> Result<Data, CliError> {
    let data = &run.data;
    let bad = |e| data_error("splitting", e);
    if let Some(fraction) = data.train_fraction {
        let (train, valid) = set.random_split(fraction, data.split_seed).map_err(bad)?;
        return loaders(train, Some(valid), run, share);
    }
    let range = |rows: &Option<Vec<usize>>| rows.as_ref().map(|r| r[0]..r[1]);
    match (range(&data.train_rows), range(&data.valid_rows)) {
        (None, None) => loaders(set, None, run, share),
        (train, valid) => {
            let all = 0..set.len();
            let train = train.unwrap_or_else(|| all.clone());
            let mut parts = match valid {
                Some(valid) => set.split_ranges(&[train, valid]).map_err(bad)?,
                None => set.split_ranges(&[train]).map_err(bad)?,
            };
            let valid = (parts.len() == 2).then(|| parts.pop()).flatten();
            let train = parts
                .pop()
                .ok_or_else(|| CliError::Internal("no split".into()))?;
            loaders(train, valid, run, share)
        }
    }
}

/// The scaler the run asks for, fitted on `train`.
fn fit_scaler<D: Dataset<Item = Example>>(
    scaling: Scaling,
    train: &D,
) -> Result<Option<Scaler>, CliError> {
    let fitted = match scaling {
        Scaling::None => return Ok(None),
        Scaling::Standard => Scaler::fit_standard(train),
        Scaling::MinMax => Scaler::fit_min_max(train),
    };
    fitted
        .map(Some)
        .map_err(|e| data_error("fitting the scaler", e))
}

/// The training and validation loaders, scaled if asked.
fn loaders<D: Dataset<Item = Example> + 'static>(
    train: D,
    valid: Option<D>,
    run: &RunFile,
    share: Share,
) -> Result<Data, CliError> {
    let scaler = fit_scaler(run.data.scale, &train)?;
    let rows = (train.len(), valid.as_ref().map(Dataset::len));
    let train = train_loader(train, scaler.as_ref(), run, share)?;
    let valid = valid.map(|v| eval_loader(v, scaler.as_ref())).transpose()?;
    Ok(Data {
        train,
        valid,
        scaler,
        rows,
        class_names: None,
    })
}

fn train_loader<D: Dataset<Item = Example> + 'static>(
    set: D,
    scaler: Option<&Scaler>,
    run: &RunFile,
    share: Share,
) -> Result<Box<dyn Batches>, CliError> {
    match scaler {
        Some(scaler) => {
            let set = scaler.apply(set).map_err(|e| data_error("scaling", e))?;
            shuffled_loader(set, run, share)
        }
        None => shuffled_loader(set, run, share),
    }
}

fn shuffled_loader<D: Dataset<Item = Example> + 'static>(
    set: D,
    run: &RunFile,
    share: Share,
) -> Result<Box<dyn Batches>, CliError> {
    let bad = |e| data_error("building the training loader", e);
    let len = set.len();
    let mut builder = DataLoader::builder(set)
        .batch_size(run.batch_size)
        .seed(run.seed)
        .num_workers(run.workers);
    builder = if share == Share::ALL {
        builder.shuffle(run.shuffle)
    } else {
        // The order `shuffle` would draw, then this rank's positions of it.
        let (rank, world_size) = (share.rank, share.world_size);
        let shard = |sampler: Box<dyn Sampler>| sampler.shard(rank, world_size);
        let sampler = match run.shuffle {
            true => shard(Box::new(RandomSampler::new(len, run.seed))),
            false => shard(Box::new(SequentialSampler::new(len))),
        };
        builder.sampler(sampler.map_err(bad)?)
    };
    Ok(Box::new(builder.build().map_err(bad)?))
}

/// A loader over `set` in order, scaled by `scaler`: for validation, `eval` and `predict`.
///
/// # Errors
/// When `scaler` does not fit the features' width, or the loader cannot be built.
pub fn eval_loader<D: Dataset<Item = Example> + 'static>(
    set: D,
    scaler: Option<&Scaler>,
) -> Result<Box<dyn Batches>, CliError> {
    match scaler {
        Some(scaler) => {
            let set = scaler.apply(set).map_err(|e| data_error("scaling", e))?;
            ordered_loader(set)
        }
        None => ordered_loader(set),
    }
}

fn ordered_loader<D: Dataset<Item = Example> + 'static>(
    set: D,
) -> Result<Box<dyn Batches>, CliError> {
    let loader = DataLoader::builder(set)
        .batch_size(EVAL_BATCH)
        .build()
        .map_err(|e| data_error("building the loader", e))?;
    Ok(Box::new(loader))
}

/// What the source does to a file's raw features before scaling: digits pixels are 0..=16
/// counts divided by 16 (as the compiled-in set), MNIST bytes are divided by 255.
pub fn input_factor(source: DataSource) -> f32 {
    match source {
        DataSource::Digits => 1.0 / 16.0,
        DataSource::Idx | DataSource::Mnist => 1.0 / 255.0,
        DataSource::Csv => 1.0,
    }
}

/// A CSV file of inputs in the run's units: with the run's target column if the file has it
/// (`labelled`, its labels numbered by the run's `classes` when it has named classes), the
/// features multiplied by the source's [`input_factor`].
///
/// # Errors
/// A missing or malformed file, a target column that is required (`labelled`) but absent, a
/// label that is not one of `classes`.
pub fn read_inputs(
    data: &DataConfig,
    path: &Path,
    labelled: bool,
    classes: Option<&[String]>,
) -> Result<TensorDataset, CliError> {
    let set = match labelled {
        true => read_csv(data, path, classes)?.0,
        false => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let target = data.target.as_deref().unwrap_or("target");
            let header = text.lines().next().unwrap_or("");
            let has_target = header.split(',').any(|c| c.trim() == target);
            let csv = match has_target {
                true => Csv::new(path)
                    .features(header.split(',').map(str::trim).filter(|c| *c != target)),
                false => Csv::new(path),
            };
            let set = csv
                .parse(&text)
                .map_err(|e| data_error("reading the CSV file", e))?;
            set.into_inner()
        }
    };
    let factor = input_factor(data.source);
    if factor == 1.0 {
        return Ok(set);
    }
    TensorDataset::new(set.features() * factor, set.labels().clone())
        .map_err(|e| data_error("reading the CSV file", e))
}
