//! Every bad input exits non-zero with a short message naming the problem, never a panic.

use std::path::Path;

use super::{minitrainer, repo, scratch, train_wine};

/// Runs the binary, expects failure, returns stderr; checks there is no panic report.
fn fails<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let out = minitrainer(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "succeeded: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn train(run: &Path, extra: &[&str]) -> String {
    let mut args = vec!["train".to_string(), run.display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    fails(&args)
}

#[test]
fn an_unknown_model_gets_a_suggestion() {
    let run = repo("examples/runs/wine.json");
    let err = train(&run, &["--set", "model=mlpp(in_dim=13, out_dim=3)"]);
    assert!(
        err.contains("mlpp") && err.contains("did you mean \"mlp\""),
        "{err}"
    );
}

#[test]
fn every_problem_of_a_run_file_is_reported_at_once() {
    let dir = scratch("errors-all");
    let run = write(
        &dir,
        "run.json",
        r#"{"model": "mlp(in_dim=13, out_dim=3)", "data": {"source": "digits"},
            "epochs": 0, "batch_size": 0, "epoch": 3, "loss": "cross_entropi"}"#,
    );
    let err = train(&run, &[]);
    for needle in ["epochs", "batch_size", "\"epoch\"", "run.json"] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
    // A bad model spec is reported with the file's other problems.
    let err = train(&run, &["--set", "model=mlp(in_dim=13)"]);
    for needle in ["out_dim", "batch_size"] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
    // The components are checked too once the file decodes: loss, metric and model together.
    let run = write(
        &dir,
        "run2.json",
        r#"{"model": "mlp(in_dim=13, out_dim=3, hiden=[4])", "data": {"source": "digits"},
            "loss": "cross_entropi", "metrics": ["acuracy"]}"#,
    );
    let err = train(&run, &[]);
    for needle in ["hiden", "cross_entropi", "acuracy"] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
}

#[test]
fn an_unknown_override_key_gets_a_suggestion() {
    let run = repo("examples/runs/wine.json");
    let err = train(&run, &["--set", "epoch=3"]);
    assert!(
        err.contains("--set epoch=3") && err.contains("did you mean \"epochs\""),
        "{err}"
    );
    let err = train(&run, &["--set", "data.scal=standard"]);
    assert!(err.contains("did you mean \"scale\""), "{err}");
    let err = train(&run, &["--set", "epochs"]);
    assert!(err.contains("key.path=value"), "{err}");
}

#[test]
fn missing_and_malformed_files_are_named() {
    let dir = scratch("errors-files");
    let err = train(&dir.join("nope.json"), &[]);
    assert!(
        err.contains("cannot read") && err.contains("nope.json"),
        "{err}"
    );
    let bad = write(&dir, "bad.json", "{\"model\": ");
    let err = train(&bad, &[]);
    assert!(
        err.contains("bad.json") && err.contains("malformed JSON"),
        "{err}"
    );
    write(&dir, "ragged.csv", "a,b,target\n1,2,0\n3,1\n");
    let run = write(
        &dir,
        "run.json",
        r#"{"model": "mlp(in_dim=2, out_dim=2)",
            "data": {"source": "csv", "path": "ragged.csv", "target": "target"}}"#,
    );
    let err = train(&run, &[]);
    assert!(
        err.contains("ragged.csv") && err.contains("line 3"),
        "{err}"
    );
    let run = write(
        &dir,
        "run3.json",
        r#"{"model": "mlp(in_dim=2, out_dim=2)", "data": {"source": "csv", "path": "x.csv"}}"#,
    );
    let err = train(&run, &[]);
    assert!(err.contains("target"), "{err}");
}

#[test]
fn commands_on_a_directory_that_is_not_a_run_say_so() {
    let dir = scratch("errors-dir");
    for command in ["eval", "inspect"] {
        let err = fails(&[command.as_ref(), dir.as_os_str()]);
        assert!(err.contains("not a run directory"), "{err}");
    }
    let err = fails(&["describe", "mpl"]);
    assert!(err.contains("did you mean \"mlp\""), "{err}");
    let out = minitrainer(&["trian"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inputs_that_do_not_fit_the_model_are_an_error_not_a_panic() {
    let dir = scratch("errors-width");
    let run_dir = dir.join("wine");
    train_wine(&run_dir, 1);
    let csv = write(&dir, "narrow.csv", "a,b\n1,2\n");
    let out = dir.join("preds.csv");
    let err = fails(&[
        "predict".as_ref(),
        run_dir.as_os_str(),
        "--input".as_ref(),
        csv.as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(err.contains("13") || err.contains("width"), "{err}");
    // A fresh run into a directory holding a run is refused.
    let err = fails(&[
        "train".as_ref(),
        repo("examples/runs/wine.json").as_os_str(),
        "--out".as_ref(),
        run_dir.as_os_str(),
    ]);
    assert!(
        err.contains("already holds a run") && err.contains("--resume"),
        "{err}"
    );
}
