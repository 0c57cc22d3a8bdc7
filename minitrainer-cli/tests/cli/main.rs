//! End-to-end tests of the `minitrainer` binary, run as a user runs it, plus the library entry
//! point with a model defined here (one test binary).

mod errors;
mod named_classes;
mod own_models;
mod plots;
mod resume;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the target tmp dir is writable");
    dir
}

/// A path inside the repository (run files, example data).
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// Runs the binary with `args`.
pub fn minitrainer<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minitrainer"))
        .args(args)
        .output()
        .expect("the minitrainer binary runs")
}

/// Runs the binary and asserts it succeeded; returns stdout.
pub fn ok<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let out = minitrainer(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "failed: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Trains the wine run file for `epochs` epochs into `dir`.
pub fn train_wine(dir: &Path, epochs: u64) {
    let run = repo("examples/runs/wine.json");
    ok(&[
        "train".as_ref(),
        run.as_os_str(),
        "--set".as_ref(),
        format!("epochs={epochs}").as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
        "--quiet".as_ref(),
    ]);
}
