//! Crash safety of `save_pretrained` with real processes: a child saving model A, then B,
//! then A... into one directory is killed with SIGKILL at random moments. After every kill
//! the directory loads and is exactly A or exactly B, bit for bit.
//!
//! When A and B share their config (checkpoints of one model), only the weights file changes,
//! in one atomic rename: the directory always loads. When their configs differ, two files
//! change; a kill between the two renames leaves B's weights beside A's config, which
//! `from_pretrained` refuses (`MismatchedFiles`, from the config recorded in the weights):
//! the directory is A, B, or refused, never silently a mix.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use minitrainer::prelude::*;
use minitrainer::pretrained::PretrainedError;
use minitrainer::{Error, from_pretrained, load_seeded};

use crate::scratch_dir;

const CHILD_DIR: &str = "MINITRAINER_SAVE_KILL_DIR";
const CHILD_SPECS: &str = "MINITRAINER_SAVE_KILL_SPECS";
const CHILD_TEST: &str = "hostile::save_kill::child_saves_a_and_b_alternately";
/// 256 KiB of weights: a save takes long enough that kills land inside it.
const SAME_CONFIG: [&str; 2] = [
    "linear(in_features=256, out_features=256)",
    "linear(in_features=256, out_features=256)",
];
const OTHER_CONFIGS: [&str; 2] = [
    "linear(in_features=256, out_features=256, bias=true)",
    "linear(in_features=256, out_features=256, bias=false)",
];

/// Model A (`specs[0]`, seed 1) or B (`specs[1]`, seed 2).
fn model(specs: &[&str; 2], which: usize) -> Box<dyn Model> {
    load_seeded(specs[which], which as u64 + 1).expect("a valid spec")
}

fn bits(model: &dyn Module) -> Vec<(String, Vec<u32>)> {
    model
        .state_dict()
        .iter()
        .map(|(k, t)| {
            (
                k.to_string(),
                t.to_vec().iter().map(|v| v.to_bits()).collect(),
            )
        })
        .collect()
}

#[test]
#[ignore = "the child process of the save-kill tests"]
fn child_saves_a_and_b_alternately() {
    let dir = std::env::var(CHILD_DIR).expect("run by a save-kill test, which sets the directory");
    let specs = std::env::var(CHILD_SPECS).expect("and the specs");
    let specs: Vec<&str> = specs.split('|').collect();
    let specs = [specs[0], specs[1]];
    let models = [model(&specs, 0), model(&specs, 1)];
    // Bounded, should the parent die before killing it.
    let deadline = Instant::now() + Duration::from_secs(20);
    for which in (0..2).cycle() {
        models[which]
            .save_pretrained(Path::new(&dir))
            .expect("the save succeeds");
        // Progress for the parent, which kills after a random number of saves.
        println!("saved {which}");
        if Instant::now() > deadline {
            break;
        }
    }
}

fn spawn_child(dir: &Path, specs: &[&str; 2]) -> std::process::Child {
    Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--ignored",
            "--exact",
            CHILD_TEST,
            "--test-threads=1",
            "--nocapture",
        ])
        .env(CHILD_DIR, dir)
        .env(CHILD_SPECS, specs.join("|"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the child starts")
}

/// What a killed save left: counts of A, B and refused-as-mismatched.
#[derive(Debug, Default)]
struct Outcomes {
    a: usize,
    b: usize,
    refused: usize,
}

/// Waits until `child` has finished `saves` saves (it prints a line after each); returns the
/// pipe's reader, to be kept open until the child is killed (a closed pipe would fail the
/// child's next print, ending it at the end of a save rather than at a random moment).
fn wait_for_saves(
    child: &mut std::process::Child,
    saves: u64,
) -> std::io::Lines<BufReader<std::process::ChildStdout>> {
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = 0;
    while seen < saves {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("saved ") => seen += 1,
            Some(Ok(_)) => {}
            _ => panic!("the child stopped after {seen} saves"),
        }
    }
    lines
}

/// Kills `kills` children saving `specs` alternately into one directory — each after a
/// random number (0 to 3) of complete saves plus a random delay into the next one — and
/// checks the directory after each kill.
fn kill_while_saving(name: &str, specs: &[&str; 2], kills: usize, max_delay_ms: u64) -> Outcomes {
    let dir = scratch_dir(name);
    let expected = [bits(&*model(specs, 0)), bits(&*model(specs, 1))];
    model(specs, 0)
        .save_pretrained(&dir)
        .expect("the first save");
    // A small LCG: random kill moments, the same on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut outcomes = Outcomes::default();
    for kill in 0..kills {
        let mut child = spawn_child(&dir, specs);
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let pipe = wait_for_saves(&mut child, (state >> 40) % 4);
        std::thread::sleep(Duration::from_millis((state >> 33) % max_delay_ms));
        child.kill().expect("SIGKILL");
        child.wait().expect("the child is reaped");
        drop(pipe);
        match from_pretrained(&dir) {
            Ok(loaded) => {
                let loaded = bits(&*loaded);
                if loaded == expected[0] {
                    outcomes.a += 1;
                } else if loaded == expected[1] {
                    outcomes.b += 1;
                } else {
                    panic!("kill {kill}: the directory holds neither A nor B");
                }
            }
            Err(Error::Pretrained(PretrainedError::MismatchedFiles { .. })) => {
                outcomes.refused += 1;
            }
            Err(error) => panic!("kill {kill}: the directory does not load: {error}"),
        }
    }
    // Each killed child may leave its hidden temporary file (`.model.safetensors.tmp.<pid>.<n>`):
    // nothing reads them, and nothing removes them either.
    let leftovers = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .unwrap_or(0);
    eprintln!("{name}: {kills} kills, {outcomes:?}, {leftovers} temporary files left");
    let _ = std::fs::remove_dir_all(&dir);
    outcomes
}

#[test]
fn a_save_killed_at_random_moments_leaves_exactly_a_or_b() {
    let outcomes = kill_while_saving("save-kill-same", &SAME_CONFIG, 50, 40);
    assert_eq!(outcomes.refused, 0, "{outcomes:?}");
    // Both seen: the kills landed while the child was saving, not before it started.
    assert!(outcomes.a > 0 && outcomes.b > 0, "{outcomes:?}");
}

#[test]
fn a_save_of_another_config_killed_leaves_a_b_or_a_refusal_never_a_mix() {
    let outcomes = kill_while_saving("save-kill-other", &OTHER_CONFIGS, 50, 40);
    assert!(outcomes.a > 0 && outcomes.b > 0, "{outcomes:?}");
}
