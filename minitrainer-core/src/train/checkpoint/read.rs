//! Resuming: every state a checkpoint holds is read and checked before any is applied.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{FORMAT, OPTIMIZER_FILE, TRAINER_FILE, VERSION, latest_checkpoint};
use crate::module::{GeneratorState, StateDict};
use crate::optim::OptimizerState;
use crate::pretrained::WEIGHTS_FILE;
use crate::train::error::TrainError;
use crate::train::records::{History, Position, from_number};
use crate::train::trainable::Trainable;
use crate::train::trainer::{RunState, Trainer};

/// Everything read from a checkpoint, before it is applied.
struct Loaded {
    dir: PathBuf,
    weights: StateDict,
    optimizer: OptimizerState,
    scheduler: Option<Value>,
    generators: Vec<(String, GeneratorState)>,
    callbacks: Value,
    run: RunState,
}

impl<M: Trainable> Trainer<M> {
    /// Restores the run saved in `path` — a checkpoint directory, or a checkpoint root
    /// (`checkpoint.dir`), whose latest checkpoint is taken — so that the next
    /// [`fit`](Trainer::fit) continues it: the result is bitwise that of a run never
    /// interrupted (same model, optimizer, scheduler, callbacks, options and data). The
    /// trainer's options stay the ones it was built with (raise `epochs` to extend a run).
    ///
    /// Returns the checkpoint directory used.
    ///
    /// # Errors
    /// [`TrainError::Checkpoint`] / [`TrainError::CheckpointFiles`] for a missing or
    /// malformed file or a state that does not fit this trainer (another model, optimizer or
    /// scheduler), naming the file. Everything is read and checked first; the weights, the
    /// optimizer state and the generators are each restored all or nothing.
    pub fn resume(&mut self, path: impl AsRef<Path>) -> Result<PathBuf, TrainError> {
        let path = path.as_ref();
        let dir = if path.join(TRAINER_FILE).is_file() {
            path.to_path_buf()
        } else {
            latest_checkpoint(path)?
        };
        let loaded = read_checkpoint(&dir)?;
        self.apply(loaded)?;
        Ok(dir)
    }

    fn apply(&mut self, loaded: Loaded) -> Result<(), TrainError> {
        let dir = &loaded.dir;
        let files = |e: crate::Error| TrainError::checkpoint_files(dir, e);
        match (&mut self.scheduler, &loaded.scheduler) {
            (Some(_), None) | (None, Some(_)) => {
                return Err(TrainError::checkpoint(
                    dir,
                    "the checkpoint and this trainer differ in having a scheduler",
                ));
            }
            _ => {}
        }
        self.model
            .load_state_dict(&loaded.weights, true)
            .map_err(|e| files(e.into()))?;
        self.optimizer
            .load_state_dict(&loaded.optimizer)
            .map_err(|e| files(e.into()))?;
        if let (Some(scheduler), Some(state)) = (&mut self.scheduler, &loaded.scheduler) {
            scheduler.load_state(state).map_err(|e| files(e.into()))?;
        }
        self.model
            .load_generator_states(&loaded.generators)
            .map_err(|e| files(e.into()))?;
        self.callbacks.load_states(&loaded.callbacks, dir)?;
        self.run = loaded.run;
        Ok(())
    }
}

fn read_checkpoint(dir: &Path) -> Result<Loaded, TrainError> {
    let state_path = dir.join(TRAINER_FILE);
    let text = std::fs::read_to_string(&state_path)
        .map_err(|e| TrainError::checkpoint(&state_path, format!("cannot read: {e}")))?;
    let state: Value = serde_json::from_str(&text)
        .map_err(|e| TrainError::checkpoint(&state_path, format!("malformed JSON: {e}")))?;
    let bad =
        |what: &str| TrainError::checkpoint(&state_path, format!("{what} is missing or malformed"));
    if state.get("format").and_then(Value::as_str) != Some(FORMAT)
        || state.get("version").and_then(Value::as_u64) != Some(VERSION)
    {
        return Err(TrainError::checkpoint(
            &state_path,
            format!("not a version {VERSION} minitrainer checkpoint (`format`, `version`)"),
        ));
    }
    let (tensors, _) = crate::weights::read_with_metadata(&dir.join(WEIGHTS_FILE))
        .map_err(|e| TrainError::checkpoint_files(dir, e))?;
    let optimizer = OptimizerState::read(dir.join(OPTIMIZER_FILE))
        .map_err(|e| TrainError::checkpoint_files(dir, e))?;
    let run = run_state(&state)
        .ok_or_else(|| bad("the run state (position, epoch_loss, history, best)"))?;
    let generators = generator_states(&state).ok_or_else(|| bad("`generators`"))?;
    let scheduler = match state.get("scheduler") {
        None | Some(Value::Null) => None,
        Some(s) => Some(
            s.get("state")
                .cloned()
                .ok_or_else(|| bad("`scheduler.state`"))?,
        ),
    };
    Ok(Loaded {
        dir: dir.to_path_buf(),
        weights: tensors.into_iter().collect(),
        optimizer,
        scheduler,
        generators,
        callbacks: state.get("callbacks").cloned().unwrap_or(Value::Null),
        run,
    })
}

fn run_state(state: &Value) -> Option<RunState> {
    let position = state.get("position")?;
    let position = Position {
        epoch: position.get("epoch")?.as_u64()?,
        step: position.get("step")?.as_u64()?,
        batch: usize::try_from(position.get("batch")?.as_u64()?).ok()?,
    };
    if position.epoch == 0 {
        return None;
    }
    let epoch_loss = state.get("epoch_loss")?;
    let epoch_loss = (
        from_number(epoch_loss.get("sum")?)?,
        epoch_loss.get("rows")?.as_u64()?,
    );
    let last_lr = match state.get("last_lr")? {
        Value::Null => None,
        value => Some(from_number(value)?),
    };
    let stop_reason = match state.get("stop_reason")? {
        Value::Null => None,
        value => Some(value.as_str()?.to_string()),
    };
    let best_checkpoint = match state.get("best")? {
        Value::Null => None,
        best => Some((
            from_number(best.get("value")?)?,
            best.get("name")?.as_str()?.to_string(),
        )),
    };
    Some(RunState {
        position,
        history: History::from_json(state.get("history")?)?,
        epoch_loss,
        last_lr,
        started: true,
        stop_reason,
        best_checkpoint,
    })
}

fn generator_states(state: &Value) -> Option<Vec<(String, GeneratorState)>> {
    state
        .get("generators")?
        .as_object()?
        .iter()
        .map(|(path, text)| Some((path.clone(), text.as_str()?.parse().ok()?)))
        .collect()
}
