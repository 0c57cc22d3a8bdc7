//! `train --resume DIR --set epochs=4` after 2 epochs is bitwise a 4-epoch run.

use super::{ok, scratch, train_wine};

#[test]
fn resuming_a_finished_run_with_more_epochs_equals_the_longer_run_bit_for_bit() {
    let dir = scratch("resume");
    let (resumed, straight) = (dir.join("resumed"), dir.join("straight"));
    train_wine(&resumed, 2);
    ok(&[
        "train".as_ref(),
        "--resume".as_ref(),
        resumed.as_os_str(),
        "--set".as_ref(),
        "epochs=4".as_ref(),
        "--quiet".as_ref(),
    ]);
    train_wine(&straight, 4);
    for file in ["metrics.jsonl", "model.safetensors"] {
        let a = std::fs::read(resumed.join(file)).unwrap();
        let b = std::fs::read(straight.join(file)).unwrap();
        assert!(
            a == b,
            "{file} differs between the resumed and the uninterrupted run"
        );
    }
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(resumed.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["epochs"], 4, "run.json records the override");
}
