//! Every bad file is an error naming it: missing, malformed, edited or mismatched.

use std::path::PathBuf;

use minitrainer::prelude::*;
use minitrainer::pretrained::PretrainedError;
use minitrainer::registry::{CONFIG_FILE, WEIGHTS_FILE};
use minitrainer::{Error, from_pretrained, load};

use super::*;

/// A saved tiny_net directory whose `file` is replaced by `content`.
fn saved_with(name: &str, file: &str, content: &[u8]) -> Result<PathBuf, Error> {
    let dir = crate::scratch_dir(name);
    tiny()?.save_pretrained(&dir)?;
    std::fs::write(dir.join(file), content).expect("overwrite");
    Ok(dir)
}
#[test]
fn missing_directory_names_the_config_file() {
    let text = error_text(from_pretrained("/nonexistent/minitrainer-model"));
    assert!(
        text.contains("/nonexistent/minitrainer-model/config.json"),
        "{text}"
    );
}

#[test]
fn bad_config_files_are_errors_naming_the_file() -> Result<(), Error> {
    let cases: [(&str, &[u8], &str); 5] = [
        ("malformed", b"{\"model_type\": ", "is not valid JSON"),
        (
            "no-model-type",
            br#"{"in_dim": 6, "hidden": 5, "out_dim": 3}"#,
            "missing \"model_type\"",
        ),
        (
            "unknown-type",
            br#"{"model_type": "tiny_nett", "in_dim": 6}"#,
            "did you mean \"tiny_net\"?",
        ),
        (
            "bad-field",
            br#"{"model_type": "tiny_net", "in_dim": 6, "hiden": 5, "out_dim": 3}"#,
            "did you mean \"hidden\"?",
        ),
        (
            "bad-value",
            br#"{"model_type": "tiny_net", "in_dim": 0, "hidden": 5, "out_dim": 3}"#,
            "in_dim",
        ),
    ];
    for (name, content, expected) in cases {
        let dir = saved_with(name, CONFIG_FILE, content)?;
        let text = error_text(from_pretrained(&dir));
        assert!(text.contains(CONFIG_FILE), "{name}: {text}");
        assert!(text.contains(expected), "{name}: {text}");
    }
    Ok(())
}

#[test]
fn bad_weight_files_are_errors_naming_the_file() -> Result<(), Error> {
    let good = {
        let dir = crate::scratch_dir("good-weights");
        tiny()?.save_pretrained(&dir)?;
        std::fs::read(dir.join(WEIGHTS_FILE)).expect("saved")
    };
    // An 8-bit float: a dtype with no conversion to f32 here.
    let fp8_file = safetensors_bytes(&[("net.0.weight", "F8_E4M3", &[1], vec![0])]);
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("truncated", good[..good.len() - 10].to_vec(), "truncated"),
        (
            "garbage",
            b"definitely not safetensors".to_vec(),
            "not a valid safetensors file",
        ),
        ("empty", Vec::new(), "0 bytes"),
        ("unsupported-dtype", fp8_file, "F8_E4M3"),
    ];
    for (name, content, expected) in cases {
        let dir = saved_with(name, WEIGHTS_FILE, &content)?;
        let text = error_text(from_pretrained(&dir));
        assert!(text.contains(WEIGHTS_FILE), "{name}: {text}");
        assert!(text.contains(expected), "{name}: {text}");
    }
    let dir = crate::scratch_dir("no-weights");
    tiny()?.save_pretrained(&dir)?;
    std::fs::remove_file(dir.join(WEIGHTS_FILE)).expect("remove");
    let text = error_text(from_pretrained(&dir));
    assert!(text.contains(WEIGHTS_FILE), "{text}");
    Ok(())
}

#[test]
fn huggingface_bookkeeping_keys_are_ignored_but_other_unknown_keys_are_not() -> Result<(), Error> {
    // As transformers writes it: the model's fields plus keys that describe the file.
    let dir = crate::scratch_dir("hf-keys");
    std::fs::copy(fixture_dir().join(WEIGHTS_FILE), dir.join(WEIGHTS_FILE)).expect("copy");
    std::fs::write(
        dir.join(CONFIG_FILE),
        br#"{"model_type": "tiny_net", "in_dim": 64, "hidden": 32, "out_dim": 10,
            "architectures": ["TinyNet"], "transformers_version": "4.57.0",
            "torch_dtype": "float32", "_name_or_path": "tiny"}"#,
    )
    .expect("write");
    assert_reproduces_pytorch_logits(&from_pretrained(&dir)?)?;

    std::fs::write(
        dir.join(CONFIG_FILE),
        br#"{"model_type": "tiny_net", "in_dim": 64, "hidden": 32, "out_dim": 10, "hiden": 3}"#,
    )
    .expect("write");
    let text = error_text(from_pretrained(&dir));
    assert!(text.contains(r#"unknown field "hiden""#), "{text}");
    Ok(())
}

#[test]
fn a_config_edited_after_saving_is_refused_naming_both_files() -> Result<(), Error> {
    let dir = saved_with(
        "edited",
        CONFIG_FILE,
        br#"{"model_type": "tiny_net", "in_dim": 6, "hidden": 4, "out_dim": 3}"#,
    )?;
    let error = from_pretrained(&dir).expect_err("mismatched files");
    assert!(
        matches!(
            error,
            Error::Pretrained(PretrainedError::MismatchedFiles { .. })
        ),
        "{error:?}"
    );
    // Reformatting or reordering the same config is not a mismatch.
    std::fs::write(
        dir.join(CONFIG_FILE),
        br#"{"out_dim": 3, "hidden": 5, "in_dim": 6, "model_type": "tiny_net"}"#,
    )
    .expect("rewrite");
    from_pretrained(&dir)?;
    Ok(())
}

#[test]
fn weights_that_do_not_fit_the_config_are_refused_strictly() -> Result<(), Error> {
    // Weights of a hidden=5 net under a config that says hidden=4: every net.* key mismatches.
    let dir = saved_with(
        "mismatch",
        CONFIG_FILE,
        br#"{"model_type": "tiny_net", "in_dim": 6, "hidden": 4, "out_dim": 3}"#,
    )?;
    // As another tool writes them: no record of the config, so only the shapes can tell.
    let state: Vec<(String, Tensor)> = tiny()?.state_dict().into_iter().collect();
    minitrainer::weights::write_safetensors(dir.join(WEIGHTS_FILE), &state)?;
    let error = from_pretrained(&dir).expect_err("shape mismatch");
    let text = error.to_string();
    assert!(
        text.contains(WEIGHTS_FILE) && text.contains("net.0.weight"),
        "{text}"
    );
    assert!(
        matches!(error, Error::Pretrained(PretrainedError::InFile { .. })),
        "{error:?}"
    );

    // Weights of another model entirely: missing and unexpected keys are both listed.
    let other: Vec<(String, Tensor)> = load("test_mlp(in_dim=6, out_dim=3)")?
        .state_dict()
        .into_iter()
        .collect();
    minitrainer::weights::write_safetensors(dir.join(WEIGHTS_FILE), &other)?;
    std::fs::write(
        dir.join(CONFIG_FILE),
        br#"{"model_type": "tiny_net", "in_dim": 6, "hidden": 5, "out_dim": 3}"#,
    )
    .expect("write");
    let text = error_text(from_pretrained(&dir));
    assert!(
        text.contains("net.0.weight") && text.contains("head.weight"),
        "{text}"
    );
    Ok(())
}
