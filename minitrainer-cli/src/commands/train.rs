//! `minitrainer train RUN.json [--set k=v]... [--out DIR] [--force] [--quiet]` and
//! `minitrainer train --resume DIR [--set k=v]...`.

use std::path::{Path, PathBuf};

use minitrainer::Model;
use minitrainer::config::Config;
use minitrainer::train::callbacks::MetricsLog;
use minitrainer::train::sinks::JsonLinesSink;
use minitrainer::train::{History, Trainable, Trainer, TrainerOptions};
use serde_json::json;

use crate::callbacks::{callbacks, format_metric};
use crate::components::{self, Parts};
use crate::data_spec::{CLASSES_FILE, SCALER_FILE, Share};
use crate::error::CliError;
use crate::plot;
use crate::ranks::Group;
use crate::run_dir::{CHECKPOINTS_DIR, METRICS_FILE};
use crate::run_file::{self, Override, RUN_FILE, Run};

/// What `train` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct TrainArgs {
    /// The run file (a fresh run).
    pub run_file: Option<PathBuf>,
    /// The run directory to continue.
    pub resume: Option<PathBuf>,
    /// `--set` overrides, in order.
    pub overrides: Vec<Override>,
    /// `--out`: the run directory of a fresh run.
    pub out: Option<PathBuf>,
    /// `--force`: replace an existing run in the output directory.
    pub force: bool,
    /// `--quiet`: no progress lines.
    pub quiet: bool,
}

/// Runs `train`: in one process, or as one rank of `mpiexec -n N minitrainer train` (feature
/// `mpi`): every rank builds the run and trains on its share of each epoch, rank 0 alone
/// writes the run directory, and an error on any rank ends them all.
///
/// # Errors
/// Every problem of the run file (at once), files that cannot be read or written, an output
/// directory that already holds a run (without `--force`), a training error.
pub fn train(args: &TrainArgs) -> Result<(), CliError> {
    let group = crate::ranks::group()?;
    let share = crate::ranks::share(group.as_deref());
    // `group` outlives the error handling: MPI must not be finalised before the abort.
    let result = train_in(args, group.clone(), share);
    crate::ranks::stop_all_on_error(result, share)
}

fn train_in(args: &TrainArgs, group: Option<Group>, share: Share) -> Result<(), CliError> {
    let main = share.rank == 0;
    // Only rank 0 prints and writes.
    let quiet = args.quiet || !main;
    let (run, run_path, resume) = match (&args.resume, &args.run_file) {
        (Some(dir), None) => {
            let path = dir.join(RUN_FILE);
            let mut json = run_file::read_json(&path)?;
            run_file::apply_overrides(&mut json, &args.overrides)?;
            let mut run = run_file::decode(&path, json, dir.clone())?;
            run.file.out = absolute(dir)?;
            (run, path, true)
        }
        (None, Some(path)) => {
            let mut run = run_file::load(path, &args.overrides)?;
            if let Some(out) = &args.out {
                run.file.out = absolute(out)?;
            }
            (run, path.clone(), false)
        }
        _ => {
            return Err(CliError::Usage(
                "train takes a run file, or --resume DIR (not both)".into(),
            ));
        }
    };
    let dir = PathBuf::from(&run.file.out);
    if !resume && main {
        prepare_fresh_dir(&dir, args.force)?;
    }
    let parts = components::build(&run, &run_path, share)?;
    if main {
        write_run_files(&run, &parts, &dir)?;
    }
    let rows = parts.data.rows;
    let (mut trainer, data) = trainer(parts, &run, &dir, resume, quiet, group)?;
    if resume {
        let from = trainer
            .resume(dir.join(CHECKPOINTS_DIR))
            .map_err(|e| CliError::library(format!("resuming {}", dir.display()), e))?;
        say(quiet, &format!("resuming from {}", from.display()));
        if trainer.is_finished() {
            say(
                quiet,
                &format!(
                    "the run has finished its {} epochs; extend it with --set epochs=N",
                    run.file.epochs
                ),
            );
        }
    } else {
        let valid = rows
            .1
            .map_or(String::new(), |v| format!(", {v} validation rows"));
        let ranks = match share.world_size {
            1 => String::new(),
            n => format!(" on {n} ranks"),
        };
        say(quiet, &format!("training on {} rows{valid}{ranks}", rows.0));
    }
    let history = trainer
        .fit(&*data.train, data.valid.as_deref())
        .map_err(|e| CliError::library("training", e))?;
    if !main {
        return Ok(());
    }
    trainer
        .model()
        .save_model(&dir)
        .map_err(|e| CliError::library(format!("saving the model to {}", dir.display()), e))?;
    plot::write_run_plots(&dir)?;
    report(&history, &dir, quiet);
    Ok(())
}

fn absolute(path: &Path) -> Result<String, CliError> {
    std::path::absolute(path)
        .map(|p| p.display().to_string())
        .map_err(|source| CliError::Read {
            path: path.to_path_buf(),
            source,
        })
}

fn say(quiet: bool, line: &str) {
    if !quiet {
        println!("{line}");
    }
}

/// A fresh run refuses a directory holding a run unless `--force`, which clears it.
fn prepare_fresh_dir(dir: &Path, force: bool) -> Result<(), CliError> {
    if dir.join(RUN_FILE).exists() {
        if !force {
            return Err(CliError::RunDir {
                dir: dir.to_path_buf(),
                reason: "already holds a run; continue it with `minitrainer train --resume \
                         DIR`, or pass --out NEW_DIR, or --force to replace it"
                    .into(),
            });
        }
        for name in [
            CHECKPOINTS_DIR,
            METRICS_FILE,
            SCALER_FILE,
            CLASSES_FILE,
            RUN_FILE,
        ] {
            let path = dir.join(name);
            let removed = match path.is_dir() {
                true => std::fs::remove_dir_all(&path),
                false if path.exists() => std::fs::remove_file(&path),
                false => Ok(()),
            };
            removed.map_err(|source| CliError::Write { path, source })?;
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| CliError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// `run.json` (resolved), `scaler.json` and `classes.json`.
fn write_run_files(run: &Run, parts: &Parts, dir: &Path) -> Result<(), CliError> {
    let write = |name: &str, value: &serde_json::Value| {
        let path = dir.join(name);
        let text = serde_json::to_string_pretty(value).unwrap_or_default() + "\n";
        std::fs::write(&path, text).map_err(|source| CliError::Write { path, source })
    };
    write(RUN_FILE, &run.to_json())?;
    if let Some(scaler) = &parts.data.scaler {
        write(SCALER_FILE, &scaler.to_json())?;
    }
    if let Some(names) = &parts.data.class_names {
        write(CLASSES_FILE, &serde_json::json!(names))?;
    }
    Ok(())
}

/// The trainer over `parts`, logging to `dir/metrics.jsonl` (appended to when resuming: the
/// checkpoint's log position cuts it back first), data-parallel in `group` if given (rank 0
/// alone opens the log).
fn trainer(
    parts: Parts,
    run: &Run,
    dir: &Path,
    resume: bool,
    quiet: bool,
    group: Option<Group>,
) -> Result<(Trainer<Box<dyn Model>>, crate::data_spec::Data), CliError> {
    let file = &run.file;
    let options = TrainerOptions::from_value(json!({
        "epochs": file.epochs,
        "clip_grad_norm": file.clip_grad_norm,
        "clip_grad_value": file.clip_grad_value,
        "seed": file.seed,
        "scheduler_interval": file.scheduler_interval.to_value(),
        "checkpoint": {
            "dir": dir.join(CHECKPOINTS_DIR).display().to_string(),
            "every_epochs": file.checkpoint_every_epochs,
            "keep_last": file.keep_checkpoints,
        },
    }))
    .map_err(|e| CliError::library("trainer options", e))?;
    let mut builder = Trainer::builder(parts.model, parts.optimizer)
        .loss(parts.loss)
        .options(options);
    if group.as_ref().is_none_or(|g| g.is_main()) {
        let log_path = dir.join(METRICS_FILE);
        let sink = match resume {
            true => JsonLinesSink::append(&log_path),
            false => JsonLinesSink::create(&log_path),
        }
        .map_err(|source| CliError::Write {
            path: log_path.clone(),
            source,
        })?;
        builder = builder.callback(MetricsLog::new(sink));
    }
    if let Some(group) = group {
        builder = builder.distributed(group);
    }
    for metric in parts.metrics {
        builder = builder.metric(metric);
    }
    if let Some(scheduler) = parts.scheduler {
        builder = builder.scheduler(scheduler);
    }
    for callback in callbacks(file, quiet) {
        builder = builder.callback(callback);
    }
    let trainer = builder
        .build()
        .map_err(|e| CliError::library("building the trainer", e))?;
    Ok((trainer, parts.data))
}

/// The final epoch's metrics and where everything went.
fn report(history: &History, dir: &Path, quiet: bool) {
    if quiet {
        return;
    }
    if let Some(last) = history.last() {
        let metrics: Vec<String> = last
            .metrics
            .iter()
            .map(|(n, v)| format!("{n} {}", format_metric(n, *v)))
            .collect();
        println!("final (epoch {}): {}", last.epoch, metrics.join(", "));
    }
    println!(
        "run directory: {} (model.safetensors, config.json, {METRICS_FILE}, loss.svg, \
         metrics.svg, lr.svg, {CHECKPOINTS_DIR}/)",
        dir.display()
    );
}
