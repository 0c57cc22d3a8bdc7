//! Crash safety with real processes: a child process training with a checkpoint after every
//! step is killed with SIGKILL at random moments, restarting from its latest checkpoint each
//! time. After every kill, the latest checkpoint loads (as a run and with `from_pretrained`);
//! at the end, the run that was killed again and again ends bitwise where an uninterrupted
//! run ends.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use minitrainer::train::checkpoint::{latest_checkpoint, list_checkpoints};
use minitrainer::train::{CheckpointConfig, MonitorMode, Trainer, TrainerOptions};

use super::{Net, digits, trainer, weight_bits};
use crate::scratch_dir;

const CHILD_DIR: &str = "MINITRAINER_KILL_TEST_DIR";
const CHILD_TEST: &str = "train::kill::child_trains_with_a_checkpoint_every_step";
const STEPS: u64 = 100;
const KILLS: u64 = 50;

fn options(dir: &Path) -> TrainerOptions {
    TrainerOptions {
        epochs: 0,
        max_steps: Some(STEPS),
        checkpoint: Some(CheckpointConfig {
            dir: dir.to_string_lossy().into_owned(),
            every_epochs: 1,
            every_steps: Some(1),
            keep_last: 2,
            monitor: Some("train_loss".into()),
            mode: MonitorMode::Min,
        }),
        ..TrainerOptions::default()
    }
}

/// Resumes from `dir`'s latest checkpoint when there is one, and trains to the end.
fn run_to_the_end(dir: &Path) -> Trainer<Net> {
    let (train, _) = digits(0);
    let mut trainer = trainer(1, options(dir));
    if latest_checkpoint(dir).is_ok() {
        trainer.resume(dir).expect("the latest checkpoint loads");
    }
    trainer.fit(&train, None).expect("training runs");
    trainer
}

#[test]
#[ignore = "the child process of `checkpoints_survive_kills_at_random_moments`"]
fn child_trains_with_a_checkpoint_every_step() {
    let dir = std::env::var(CHILD_DIR).expect("run by the kill test, which sets the directory");
    run_to_the_end(Path::new(&dir));
}

fn spawn_child(dir: &Path) -> std::process::Child {
    let exe = std::env::current_exe().expect("the test binary");
    Command::new(exe)
        .args(["--ignored", "--exact", CHILD_TEST, "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the child starts")
}

/// Every directory under a checkpoint's name is complete and loads.
fn check_checkpoints(dir: &Path) {
    for checkpoint in list_checkpoints(dir).expect("the directory lists") {
        for file in [
            "config.json",
            "model.safetensors",
            "optimizer.safetensors",
            "trainer.json",
        ] {
            assert!(
                checkpoint.join(file).is_file(),
                "{} lacks {file}",
                checkpoint.display()
            );
        }
        minitrainer::from_pretrained(&checkpoint).expect("the model loads by itself");
    }
    let named_but_incomplete = std::fs::read_dir(dir)
        .expect("the directory lists")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("ckpt-"))
        .filter(|e| !e.path().join("trainer.json").is_file())
        .count();
    assert_eq!(
        named_but_incomplete, 0,
        "a checkpoint name holds a partial checkpoint"
    );
    if latest_checkpoint(dir).is_ok() {
        let mut probe = trainer(2, options(dir));
        probe.resume(dir).expect("the latest checkpoint resumes");
    }
}

#[test]
fn checkpoints_survive_kills_at_random_moments() {
    let dir = scratch_dir("kill");
    // A small LCG: the kill moments are random but the same on every run of the test.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next_delay = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        Duration::from_millis(40 + (state >> 33) % 300)
    };
    let mut progress = Vec::new();
    for _ in 0..KILLS {
        let mut child = spawn_child(&dir);
        std::thread::sleep(next_delay());
        child.kill().expect("SIGKILL");
        child.wait().expect("the child is reaped");
        check_checkpoints(&dir);
        progress.push(latest_checkpoint(&dir).ok());
    }
    assert!(
        progress.iter().flatten().count() > KILLS as usize / 2,
        "most kills should land after a first checkpoint: {progress:?}"
    );
    let status = spawn_child(&dir).wait().expect("the last child finishes");
    assert!(status.success());

    let killed = run_to_the_end(&dir);
    assert_eq!(killed.position().step, STEPS);
    let uninterrupted_dir = scratch_dir("kill-uninterrupted");
    let uninterrupted = run_to_the_end(&uninterrupted_dir);
    assert_eq!(
        weight_bits(killed.model()),
        weight_bits(uninterrupted.model())
    );
    assert_eq!(killed.history(), uninterrupted.history());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&uninterrupted_dir);
}
