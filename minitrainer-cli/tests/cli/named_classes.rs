//! A CSV whose labels are names: the run saves them, `predict` writes them, and `eval` on a
//! file holding only some classes numbers them as the training file did.

use super::{ok, repo, scratch};

const NAMES: [&str; 3] = ["barolo", "grignolino", "barbera"];

/// `examples/data/wine.csv` with the class numbers replaced by cultivar names, keeping the rows
/// for which `keep(class)` holds.
fn named_wine(keep: impl Fn(usize) -> bool) -> String {
    let text = std::fs::read_to_string(repo("examples/data/wine.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let (features, class) = line.rsplit_once(',').unwrap();
        let class: usize = class.parse().unwrap();
        if keep(class) {
            out += &format!("{features},{}\n", NAMES[class]);
        }
    }
    out
}

#[test]
fn named_classes_are_saved_predicted_by_name_and_keep_their_numbers_in_eval() {
    let dir = scratch("named-classes");
    std::fs::write(dir.join("wine.csv"), named_wine(|_| true)).unwrap();
    std::fs::write(dir.join("grignolino.csv"), named_wine(|c| c == 1)).unwrap();
    let run = std::fs::read_to_string(repo("examples/runs/wine.json")).unwrap();
    let run = run.replace("../data/wine.csv", "wine.csv");
    std::fs::write(dir.join("run.json"), run).unwrap();
    let out = dir.join("out");
    let run_file = dir.join("run.json");
    let args = [
        "train".as_ref(),
        run_file.as_os_str(),
        "--set".as_ref(),
        "epochs=5".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ];
    ok(&args);
    let saved = std::fs::read_to_string(out.join("classes.json")).unwrap();
    let saved: Vec<String> = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved, ["barbera", "barolo", "grignolino"]);

    let subset = dir.join("grignolino.csv");
    let preds = dir.join("preds.csv");
    ok(&[
        "predict".as_ref(),
        out.as_os_str(),
        "--input".as_ref(),
        subset.as_os_str(),
        "--output".as_ref(),
        preds.as_os_str(),
    ]);
    let text = std::fs::read_to_string(&preds).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("class,p_barbera,p_barolo,p_grignolino"));
    let predicted: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(predicted.len(), 71);
    assert!(predicted.iter().all(|name| saved.iter().any(|s| s == name)));

    // Only grignolino rows: `eval`'s accuracy is the share predicted `grignolino` (numbered by
    // the training file's classes, not afresh from this file, where it would be class 0).
    let eval = ok(&[
        "eval".as_ref(),
        out.as_os_str(),
        "--data".as_ref(),
        subset.as_os_str(),
        "--json".as_ref(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&eval).unwrap();
    let share = predicted.iter().filter(|n| **n == "grignolino").count() as f64 / 71.0;
    assert!(share > 0.5, "{text}");
    assert!(
        (json["accuracy"].as_f64().unwrap() - share).abs() < 1e-9,
        "{json}"
    );

    // A label the model does not know is refused by name.
    std::fs::write(
        dir.join("bad.csv"),
        named_wine(|c| c == 0).replace("barolo", "merlot"),
    )
    .unwrap();
    let bad = dir.join("bad.csv");
    let output = super::minitrainer(&[
        "eval".as_ref(),
        out.as_os_str(),
        "--data".as_ref(),
        bad.as_os_str(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "class `merlot` is not one of the model's classes (barbera, barolo, grignolino)"
        ),
        "{stderr}"
    );
}
