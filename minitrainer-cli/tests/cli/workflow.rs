//! train → files written → eval, predict, inspect; predictions equal the library's.

use minitrainer::data::{Csv, Dataset, Scaler};
use minitrainer::module::Module;
use minitrainer::tensor::no_grad;
use minitrainer::{Tensor, from_pretrained};
use minitrainer_cli as _;

use super::{minitrainer, ok, repo, scratch, train_wine};

#[test]
fn train_writes_the_run_directory_and_eval_predict_inspect_read_it() {
    let dir = scratch("workflow").join("wine");
    train_wine(&dir, 3);
    for file in [
        "run.json",
        "config.json",
        "model.safetensors",
        "metrics.jsonl",
        "scaler.json",
        "loss.svg",
        "metrics.svg",
        "lr.svg",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    assert!(dir.join("checkpoints").is_dir());
    let log = std::fs::read_to_string(dir.join("metrics.jsonl")).unwrap();
    let epochs = log
        .lines()
        .filter(|l| l.contains(r#""kind":"epoch""#))
        .count();
    assert_eq!(epochs, 3);

    // eval --json: the loss and the run's metrics on the validation split.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["eval".as_ref(), dir.as_os_str(), "--json".as_ref()])).unwrap();
    let valid_loss = json["loss"].as_f64().unwrap();
    assert!(json["accuracy"].as_f64().unwrap() > 0.5, "{json}");
    // The same value as the last epoch's validation in the log.
    let last: serde_json::Value =
        serde_json::from_str(log.lines().rev().find(|l| l.contains("epoch\"")).unwrap()).unwrap();
    assert_eq!(valid_loss, last["valid_loss"].as_f64().unwrap());

    // inspect: the tree, the parameters and the final metrics.
    let text = ok(&["inspect".as_ref(), dir.as_os_str()]);
    for needle in [
        "Mlp(",
        "layers.0.weight",
        "[32, 13]",
        "trainable: 547",
        "valid_accuracy",
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }

    // predict, then the same with the library on the reloaded model.
    let input = repo("examples/data/wine.csv");
    let preds = dir.join("preds.csv");
    ok(&[
        "predict".as_ref(),
        dir.as_os_str(),
        "--input".as_ref(),
        input.as_os_str(),
        "--output".as_ref(),
        preds.as_os_str(),
    ]);
    let written = std::fs::read_to_string(&preds).unwrap();
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some("class,p0,p1,p2"));
    let rows: Vec<Vec<f32>> = lines
        .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 178);

    let model = from_pretrained(&dir).unwrap();
    let scaler_json = std::fs::read_to_string(dir.join("scaler.json")).unwrap();
    let scaler = Scaler::from_json(&serde_json::from_str(&scaler_json).unwrap()).unwrap();
    let set = scaler
        .apply(
            Csv::new(&input)
                .classes("target")
                .load()
                .unwrap()
                .into_inner(),
        )
        .unwrap();
    let mut features = Vec::new();
    for i in 0..set.len() {
        features.extend(set.get(i).unwrap().features.iter().copied());
    }
    let mut model = model;
    model.eval();
    let _guard = no_grad();
    let x = Tensor::from_vec(features, &[178, 13]).unwrap();
    let probs = model.try_forward(x).unwrap().softmax(1).to_vec();
    for (r, row) in rows.iter().enumerate() {
        let expected = &probs[r * 3..r * 3 + 3];
        assert_eq!(&row[1..], expected, "row {r}");
        let class = (0..3).fold(0, |b, k| if expected[k] > expected[b] { k } else { b });
        assert_eq!(row[0] as usize, class, "row {r}");
    }
}

#[test]
fn list_and_describe_show_the_registered_models() {
    let list = ok(&["list"]);
    assert!(list.lines().any(|l| l.starts_with("mlp ")), "{list}");
    assert!(list.lines().any(|l| l.starts_with("linear ")), "{list}");
    let table = ok(&["describe", "mlp"]);
    let header = table.lines().find(|l| l.starts_with("field")).unwrap();
    for column in ["type", "default", "rules", "doc"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(table.contains("hidden") && table.contains("[128]") && table.contains("min = 1"));
}

#[test]
fn the_shipped_run_files_train() {
    let dir = scratch("shipped");
    for (name, extra) in [("digits", "epochs=1"), ("diabetes", "epochs=2")] {
        let run = repo(&format!("examples/runs/{name}.json"));
        let out = dir.join(name);
        let output = minitrainer(&[
            "train".as_ref(),
            run.as_os_str(),
            "--set".as_ref(),
            extra.as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert!(output.status.success());
        // Progress goes to stderr: not a terminal here, so plain lines.
        let progress = String::from_utf8_lossy(&output.stderr);
        assert!(progress.contains("epoch 1"), "{progress}");
        assert!(!progress.contains('\r'));
        assert!(!String::from_utf8_lossy(&output.stdout).contains('\r'));
        assert!(out.join("model.safetensors").is_file());
    }
    // Regression predictions: one value per row.
    let out = dir.join("diabetes");
    let preds = out.join("preds.csv");
    let input = repo("examples/data/diabetes.csv");
    ok(&[
        "predict".as_ref(),
        out.as_os_str(),
        "--input".as_ref(),
        input.as_os_str(),
        "--output".as_ref(),
        preds.as_os_str(),
    ]);
    let text = std::fs::read_to_string(preds).unwrap();
    assert_eq!(text.lines().next(), Some("value"));
    assert_eq!(text.lines().count(), 443);
}
