//! The saved format, round trips, and atomic saves (a failure or a crash mid-save).

use minitrainer::prelude::*;
use minitrainer::registry::{CONFIG_FILE, WEIGHTS_FILE};
use minitrainer::{Error, from_pretrained, save_pretrained};

use super::*;

#[test]
fn saved_weights_are_pytorch_style_safetensors() -> Result<(), Error> {
    let dir = crate::scratch_dir("pytorch-style");
    let model = from_pretrained(fixture_dir())?;
    save_pretrained(model.as_ref(), &dir)?;

    // Read the header by hand: u64 little-endian length, then JSON.
    let bytes = std::fs::read(dir.join(WEIGHTS_FILE)).expect("written");
    let header_len = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    let header: serde_json::Value =
        serde_json::from_slice(&bytes[8..8 + header_len]).expect("JSON header");
    assert_eq!(header["__metadata__"]["format"], "pt");
    // The config the weights were saved with, to detect torn saves (extra metadata keys are
    // ignored by PyTorch's loaders).
    let saved_with: serde_json::Value = serde_json::from_str(
        header["__metadata__"]["minitrainer.config"]
            .as_str()
            .expect("a string"),
    )
    .expect("JSON");
    assert_eq!(saved_with, model.config_json());
    let original = minitrainer::weights::read_safetensors(fixture_dir().join(WEIGHTS_FILE))?;
    for (key, tensor) in &original {
        let entry = &header[key.as_str()];
        assert_eq!(entry["dtype"], "F32", "{key}");
        assert_eq!(entry["shape"], serde_json::json!(tensor.shape()), "{key}");
        let start = entry["data_offsets"][0].as_u64().expect("offset") as usize + 8 + header_len;
        let end = entry["data_offsets"][1].as_u64().expect("offset") as usize + 8 + header_len;
        let le: Vec<u8> = tensor
            .to_vec()
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            &bytes[start..end],
            &le[..],
            "{key}: little-endian f32, same values"
        );
    }
    let keys: Vec<&str> = header
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "__metadata__")
        .collect();
    assert_eq!(keys.len(), 4, "{keys:?}");

    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(CONFIG_FILE)).expect("written"))
            .expect("JSON");
    let fixture_config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_dir().join(CONFIG_FILE)).expect("fixture"),
    )
    .expect("JSON");
    assert_eq!(config, fixture_config);
    Ok(())
}

#[test]
fn save_then_load_gives_the_same_model() -> Result<(), Error> {
    let dir = crate::scratch_dir("round-trip");
    let model = minitrainer::load_seeded("test_mlp(in_dim=4, hidden=[5, 3], out_dim=2)", 11)?;
    model.save_pretrained(&dir)?;
    let loaded = from_pretrained(&dir)?;
    assert_eq!(loaded.config_json(), model.config_json());
    let x = input(3, 4);
    assert_eq!(
        loaded.forward(x.clone()).to_vec(),
        model.forward(x).to_vec()
    );

    let typed = TinyNet::from_config_str("tiny_net(in_dim=6, hidden=5, out_dim=3)")?;
    let typed_dir = crate::scratch_dir("typed-round-trip");
    typed.save_pretrained(&typed_dir)?;
    let again = TinyNet::from_pretrained(&typed_dir)?;
    assert_eq!(again.config(), typed.config());
    assert_eq!(
        again.forward(input(2, 6)).to_vec(),
        typed.forward(input(2, 6)).to_vec()
    );
    let error = TinyNet::from_pretrained(&dir).expect_err("a test_mlp directory");
    assert!(error.to_string().contains("\"test_mlp\""), "{error}");
    Ok(())
}

#[test]
fn a_failure_before_rename_leaves_the_previous_save_intact() -> Result<(), Error> {
    let dir = crate::scratch_dir("atomic");
    let first = minitrainer::load_seeded("tiny_net(in_dim=6, hidden=5, out_dim=3)", 1)?;
    first.save_pretrained(&dir)?;
    let before = (
        std::fs::read(dir.join(CONFIG_FILE)).expect("saved"),
        std::fs::read(dir.join(WEIGHTS_FILE)).expect("saved"),
    );

    let second = minitrainer::load_seeded("tiny_net(in_dim=6, hidden=7, out_dim=3)", 2)?;
    let mut renames = 0;
    let error =
        minitrainer::registry::__save_pretrained_with_hook(second.as_ref(), &dir, &mut |_| {
            renames += 1;
            Err(std::io::Error::other("simulated crash"))
        })
        .expect_err("the hook fails");
    assert!(error.to_string().contains("simulated crash"), "{error}");
    assert_eq!(renames, 1, "stopped at the first rename");

    let after = (
        std::fs::read(dir.join(CONFIG_FILE)).expect("kept"),
        std::fs::read(dir.join(WEIGHTS_FILE)).expect("kept"),
    );
    assert!(before == after, "previous files changed");
    let mut entries: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        [CONFIG_FILE, WEIGHTS_FILE],
        "no temporary files left"
    );
    let reloaded = from_pretrained(&dir)?;
    assert_eq!(
        reloaded.forward(input(2, 6)).to_vec(),
        first.forward(input(2, 6)).to_vec()
    );
    Ok(())
}

#[test]
fn a_crash_between_the_two_renames_is_refused_on_load() -> Result<(), Error> {
    let dir = crate::scratch_dir("torn");
    minitrainer::load_seeded("tiny_net(in_dim=6, hidden=5, out_dim=3)", 1)?
        .save_pretrained(&dir)?;

    // Another config: both files change; the crash lands after the weights' rename.
    let second = minitrainer::load_seeded("tiny_net(in_dim=6, hidden=5, out_dim=4)", 2)?;
    let mut renames = 0;
    minitrainer::registry::__save_pretrained_with_hook(second.as_ref(), &dir, &mut |_| {
        renames += 1;
        if renames == 2 {
            Err(std::io::Error::other("simulated crash"))
        } else {
            Ok(())
        }
    })
    .expect_err("the second rename fails");

    // New weights (out_dim 4) next to the old config (out_dim 3): refused, naming both files.
    let text = error_text(from_pretrained(&dir));
    assert!(
        text.contains("was saved with a different config than"),
        "{text}"
    );
    assert!(
        text.contains(WEIGHTS_FILE) && text.contains(CONFIG_FILE),
        "{text}"
    );
    assert!(text.contains(r#""out_dim":4"#), "{text}");
    Ok(())
}

#[test]
fn saving_a_checkpoint_of_the_same_config_is_one_rename() -> Result<(), Error> {
    let dir = crate::scratch_dir("checkpoint");
    let model = minitrainer::load_seeded("tiny_net(in_dim=6, hidden=5, out_dim=3)", 1)?;
    model.save_pretrained(&dir)?;
    for p in model.parameters() {
        p.update_data(|v| v.mapv_inplace(|x| x * 0.5)); // a training step, say
    }
    let mut renamed = Vec::new();
    minitrainer::registry::__save_pretrained_with_hook(model.as_ref(), &dir, &mut |temp| {
        renamed.push(temp.to_path_buf());
        Ok(())
    })?;
    assert_eq!(
        renamed.len(),
        1,
        "only the weights are replaced: {renamed:?}"
    );
    let reloaded = from_pretrained(&dir)?;
    assert_eq!(
        reloaded.forward(input(2, 6)).to_vec(),
        model.forward(input(2, 6)).to_vec()
    );
    Ok(())
}
