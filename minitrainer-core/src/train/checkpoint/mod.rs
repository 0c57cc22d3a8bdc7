//! Training checkpoints: one directory per checkpoint, complete or absent.
//!
//! ```text
//! <checkpoint.dir>/
//!   ckpt-s00000090-e0003-b000000/   step 90, at the start of epoch 3 (epoch 2 just ended)
//!     config.json                   the model, as a pretrained directory: `from_pretrained`
//!     model.safetensors             loads it (PyTorch's names)
//!     optimizer.safetensors         the optimizer's state (`OptimizerState`)
//!     trainer.json                  position, epoch loss so far, scheduler state, dropout
//!                                   generators, callback states, history, options
//!     <files of callbacks>          e.g. early stopping's best weights
//!   best                            the name of the best checkpoint (when monitored)
//! ```
//!
//! A checkpoint is written to `.tmp-<name>/`, every file synced, the directory synced, then
//! renamed to `<name>`: a kill at any moment leaves every earlier checkpoint intact and no
//! half-written one under a checkpoint's name (leftover `.tmp-*` directories are ignored and
//! replaced). `best` is replaced by an atomic rename too. After a checkpoint is written, all
//! but the last `keep_last` (and the best) are removed.
//!
//! The data loader's position is the trainer's position (epoch, batches consumed): the trainer
//! seeks its loader there on resume, and the order of every epoch is a function of the
//! loader's seed, so nothing else about the data needs saving.

mod read;
mod write;

use std::path::{Path, PathBuf};

use super::error::TrainError;
use super::records::Position;

/// The trainer's state file in a checkpoint.
pub const TRAINER_FILE: &str = "trainer.json";
/// The optimizer's state file in a checkpoint.
pub const OPTIMIZER_FILE: &str = "optimizer.safetensors";
/// The file naming the best checkpoint.
pub const BEST_FILE: &str = "best";
/// `format` in `trainer.json`.
const FORMAT: &str = "minitrainer-checkpoint";
/// `version` in `trainer.json`.
const VERSION: u64 = 1;

/// The directory name of the checkpoint taken at `position`.
fn checkpoint_name(position: Position) -> String {
    format!(
        "ckpt-s{:08}-e{:04}-b{:06}",
        position.step, position.epoch, position.batch
    )
}

/// The position a checkpoint name encodes (`None` for any other name).
fn parse_name(name: &str) -> Option<(u64, u64, usize)> {
    let rest = name.strip_prefix("ckpt-s")?;
    let (step, rest) = rest.split_once("-e")?;
    let (epoch, batch) = rest.split_once("-b")?;
    Some((step.parse().ok()?, epoch.parse().ok()?, batch.parse().ok()?))
}

/// The complete checkpoints under `root`, oldest first.
///
/// # Errors
/// [`TrainError::Checkpoint`] when `root` cannot be listed.
pub fn list_checkpoints(root: &Path) -> Result<Vec<PathBuf>, TrainError> {
    let entries = std::fs::read_dir(root)
        .map_err(|e| TrainError::checkpoint(root, format!("cannot list the directory: {e}")))?;
    let mut found: Vec<((u64, u64, usize), PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let position = parse_name(&name)?;
            let path = entry.path();
            path.join(TRAINER_FILE)
                .is_file()
                .then_some((position, path))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().map(|(_, path)| path).collect())
}

/// The latest complete checkpoint under `root`.
///
/// # Errors
/// [`TrainError::Checkpoint`] when `root` cannot be listed or holds no checkpoint.
pub fn latest_checkpoint(root: &Path) -> Result<PathBuf, TrainError> {
    list_checkpoints(root)?.pop().ok_or_else(|| {
        TrainError::checkpoint(
            root,
            "no checkpoint here (a `ckpt-*` directory with trainer.json)",
        )
    })
}

/// The best checkpoint under `root`, when one was monitored.
pub fn best_checkpoint(root: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(root.join(BEST_FILE)).ok()?;
    let name = name.trim();
    // Only a checkpoint's own name: the file is input, and `../x` or `/x` would point elsewhere.
    parse_name(name)?;
    let path = root.join(name);
    path.join(TRAINER_FILE).is_file().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_encode_and_decode_the_position() {
        let position = Position {
            epoch: 3,
            step: 90,
            batch: 0,
        };
        let name = checkpoint_name(position);
        assert_eq!(name, "ckpt-s00000090-e0003-b000000");
        assert_eq!(parse_name(&name), Some((90, 3, 0)));
        assert_eq!(parse_name(".tmp-ckpt-s00000090-e0003-b000000"), None);
        assert_eq!(parse_name("ckpt-sx-e1-b2"), None);
        assert_eq!(parse_name("../ckpt-s00000090-e0003-b000000"), None);
    }

    #[test]
    fn the_best_pointer_names_only_a_checkpoint_inside_the_root() {
        let root = std::env::temp_dir().join(format!("minitrainer-best-{}", std::process::id()));
        let inside = root.join("ckpt-s00000001-e0001-b000001");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::write(inside.join(TRAINER_FILE), "{}").unwrap();
        std::fs::write(root.join(BEST_FILE), "ckpt-s00000001-e0001-b000001\n").unwrap();
        assert_eq!(best_checkpoint(&root), Some(inside));
        std::fs::write(root.join(BEST_FILE), "/etc").unwrap();
        assert_eq!(best_checkpoint(&root), None);
        std::fs::write(root.join(BEST_FILE), "../ckpt-s00000001-e0001-b000001").unwrap();
        assert_eq!(best_checkpoint(&root), None);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
