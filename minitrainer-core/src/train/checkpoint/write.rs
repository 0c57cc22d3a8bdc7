//! Writing a checkpoint: a temporary directory, every file synced, renamed into place; then
//! the best pointer and the pruning of old checkpoints.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::{
    BEST_FILE, FORMAT, OPTIMIZER_FILE, TRAINER_FILE, VERSION, checkpoint_name, list_checkpoints,
};
use crate::config::Config;
use crate::train::error::TrainError;
use crate::train::records::{EpochRecord, number};
use crate::train::trainable::Trainable;
use crate::train::trainer::Trainer;
use crate::weights::atomic::write_atomic;

impl<M: Trainable> Trainer<M> {
    /// Writes a checkpoint of the run as it is now into `dir` (any directory; the configured
    /// checkpoints go to `checkpoint.dir/<name>`), atomically: `dir` does not exist until
    /// the checkpoint is complete. `dir` must not exist yet.
    ///
    /// # Errors
    /// [`TrainError::Checkpoint`] / [`TrainError::CheckpointFiles`] naming what could not be
    /// written; an earlier checkpoint is never touched.
    pub fn save_checkpoint_to(&mut self, dir: &Path) -> Result<(), TrainError> {
        let name = dir
            .file_name()
            .ok_or_else(|| TrainError::checkpoint(dir, "the path has no directory name"))?;
        let temp = dir.with_file_name(format!(".tmp-{}", name.to_string_lossy()));
        let result = self.write_checkpoint_files(&temp).and_then(|()| {
            sync_dir(&temp)?;
            std::fs::rename(&temp, dir).map_err(|e| {
                TrainError::checkpoint(dir, format!("cannot rename {}: {e}", temp.display()))
            })?;
            if let Some(parent) = dir.parent() {
                sync_dir(parent)?;
            }
            Ok(())
        });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&temp);
        }
        result
    }

    /// A checkpoint into `checkpoint.dir` at the current position, the best pointer, pruning
    /// (on rank 0 only), and the `on_checkpoint_saved` hooks. `record` is the epoch just ended (for `monitor`).
    pub(in crate::train) fn save_checkpoint(
        &mut self,
        record: Option<&EpochRecord>,
    ) -> Result<(), TrainError> {
        let Some(config) = self.options.checkpoint.clone() else {
            return Ok(());
        };
        // Data-parallel ranks share rank 0's checkpoints; they keep the best-checkpoint
        // bookkeeping too (it is in every rank's state) but write nothing.
        let main = self.ranks.group.is_main();
        let root = PathBuf::from(&config.dir);
        if main {
            std::fs::create_dir_all(&root).map_err(|e| {
                TrainError::checkpoint(&root, format!("cannot create the directory: {e}"))
            })?;
        }
        let name = checkpoint_name(self.run.position);
        let dir = root.join(&name);
        // Idempotent: the same position was saved already (the state is a function of it).
        if !(main && dir.join(TRAINER_FILE).is_file()) {
            let value = config
                .monitor
                .as_deref()
                .and_then(|monitor| record?.get(monitor));
            let best = self.run.best_checkpoint.as_ref().map(|(best, _)| *best);
            let improved = value.filter(|v| match best {
                None => !v.is_nan(),
                Some(best) => config.mode.improves(*v, best, 0.0),
            });
            if let Some(value) = improved {
                self.run.best_checkpoint = Some((value, name.clone()));
            }
            if main {
                self.save_checkpoint_to(&dir)?;
                if improved.is_some() {
                    write_atomic(&root.join(BEST_FILE), name.as_bytes())
                        .map_err(|e| TrainError::checkpoint_files(&root, e))?;
                }
                self.prune(&root, config.keep_last)?;
            }
        }
        self.hook(|c, ctx| c.on_checkpoint_saved(ctx, &dir))
    }

    /// Removes all but the last `keep` checkpoints and the best one.
    fn prune(&self, root: &Path, keep: usize) -> Result<(), TrainError> {
        let all = list_checkpoints(root)?;
        let best = self
            .run
            .best_checkpoint
            .as_ref()
            .map(|(_, name)| root.join(name));
        let old = all.len().saturating_sub(keep);
        for dir in &all[..old] {
            if Some(dir) != best.as_ref() {
                // Rename first so a kill mid-removal never leaves a partial checkpoint under
                // a checkpoint's name.
                let doomed = dir.with_file_name(format!(
                    ".old-{}",
                    dir.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ));
                if std::fs::rename(dir, &doomed).is_ok() {
                    let _ = std::fs::remove_dir_all(&doomed);
                }
            }
        }
        Ok(())
    }

    fn write_checkpoint_files(&self, temp: &Path) -> Result<(), TrainError> {
        if temp.exists() {
            std::fs::remove_dir_all(temp).map_err(|e| {
                TrainError::checkpoint(temp, format!("cannot remove a leftover: {e}"))
            })?;
        }
        std::fs::create_dir_all(temp)
            .map_err(|e| TrainError::checkpoint(temp, format!("cannot create: {e}")))?;
        self.model
            .save_model(temp)
            .map_err(|e| TrainError::checkpoint_files(temp, e))?;
        self.optimizer
            .save_state(&temp.join(OPTIMIZER_FILE))
            .map_err(|e| TrainError::checkpoint_files(temp, e))?;
        let state = self.trainer_state(temp)?;
        let text = serde_json::to_string_pretty(&state).map_err(|e| {
            TrainError::checkpoint(temp, format!("cannot encode {TRAINER_FILE}: {e}"))
        })?;
        write_atomic(&temp.join(TRAINER_FILE), text.as_bytes())
            .map_err(|e| TrainError::checkpoint_files(temp, e))
    }

    /// The content of `trainer.json`.
    fn trainer_state(&self, dir: &Path) -> Result<Value, TrainError> {
        let run = &self.run;
        let generators: Map<String, Value> = self
            .model
            .generator_states()
            .into_iter()
            .map(|(path, state)| (path, Value::String(state.to_string())))
            .collect();
        Ok(json!({
            "format": FORMAT,
            "version": VERSION,
            "position": {
                "epoch": run.position.epoch,
                "step": run.position.step,
                "batch": run.position.batch,
            },
            "epoch_loss": {"sum": number(run.epoch_loss.0), "rows": run.epoch_loss.1},
            "last_lr": run.last_lr.map(number),
            "stop_reason": run.stop_reason,
            "best": run.best_checkpoint.as_ref().map(|(value, name)| json!({"value": number(*value), "name": name})),
            "optimizer": self.optimizer.name(),
            "scheduler": self.scheduler.as_ref().map(|s| json!({"name": s.name(), "state": s.state()})),
            "generators": generators,
            "callbacks": self.callbacks.save_states(dir)?,
            "history": run.history.to_json(),
            "options": self.options.to_value(),
        }))
    }
}

/// Makes a directory's entries durable (best effort where directories cannot be opened).
fn sync_dir(dir: &Path) -> Result<(), TrainError> {
    match std::fs::File::open(dir) {
        Ok(handle) => handle
            .sync_all()
            .or_else(|e| if cfg!(windows) { Ok(()) } else { Err(e) })
            .map_err(|e| TrainError::checkpoint(dir, format!("cannot sync: {e}"))),
        Err(_) => Ok(()),
    }
}
