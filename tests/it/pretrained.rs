//! save_pretrained / from_pretrained: PyTorch interop, round trips, atomic saves and every bad
//! file.

use std::path::{Path, PathBuf};

use minitrainer::prelude::*;
use minitrainer::pretrained::PretrainedError;
use minitrainer::registry::{CONFIG_FILE, WEIGHTS_FILE};
use minitrainer::{Error, from_pretrained, load, save_pretrained};

/// Config of [`TinyNet`], as `../shared/fixtures/torch_tinynet/config.json` has it.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct TinyNetConfig {
    /// Input features.
    #[config(min = 1)]
    pub in_dim: usize,
    /// Hidden width.
    #[config(min = 1)]
    pub hidden: usize,
    /// Output classes.
    #[config(min = 1)]
    pub out_dim: usize,
}

/// PyTorch's `TinyNet`: `net = Sequential(Linear, ReLU, Linear)`, so its parameters are
/// `net.0.*` and `net.2.*`, as in the fixture.
#[derive(Module)]
#[model(name = "tiny_net", config = TinyNetConfig)]
pub struct TinyNet {
    net: Sequential,
}

impl Build for TinyNet {
    type Config = TinyNetConfig;
    fn build(config: &TinyNetConfig, init: &mut Init) -> Self {
        let net = Sequential::new()
            .push(Linear::build(
                &LinearConfig::new(config.in_dim, config.hidden),
                init,
            ))
            .push(ReLU::new())
            .push(Linear::build(
                &LinearConfig::new(config.hidden, config.out_dim),
                init,
            ));
        TinyNet { net }
    }
}

impl Forward for TinyNet {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.net.call(x)
    }
}

/// Config of [`BnNet`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct BnNetConfig {
    /// Features in and out.
    #[config(min = 1)]
    pub width: usize,
}

/// A linear layer then batch norm: PyTorch saves the norm's `num_batches_tracked` as I64.
#[derive(Module)]
#[model(name = "bn_net", config = BnNetConfig)]
pub struct BnNet {
    fc: Linear,
    bn: BatchNorm1d,
}

impl Build for BnNet {
    type Config = BnNetConfig;
    fn build(config: &BnNetConfig, init: &mut Init) -> Self {
        BnNet {
            fc: Linear::build(&LinearConfig::new(config.width, config.width), init),
            bn: BatchNorm1d::build(&BatchNorm1dConfig::new(config.width), &mut Init::default()),
        }
    }
}

impl Forward for BnNet {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.bn.call(self.fc.call(x))
    }
}

/// A safetensors file as PyTorch lays it out, from `(name, dtype, shape, little-endian bytes)`.
fn safetensors_bytes(tensors: &[(&str, &str, &[usize], Vec<u8>)]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut header = serde_json::Map::new();
    for (name, dtype, shape, bytes) in tensors {
        let start = data.len();
        data.extend_from_slice(bytes);
        header.insert(
            (*name).to_owned(),
            serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    let header = serde_json::Value::Object(header).to_string();
    let mut file = (header.len() as u64).to_le_bytes().to_vec();
    file.extend_from_slice(header.as_bytes());
    file.extend_from_slice(&data);
    file
}

fn f32_le(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/torch_tinynet")
}

fn tiny() -> Result<Box<dyn Model>, Error> {
    load("tiny_net(in_dim=6, hidden=5, out_dim=3)")
}

fn input(rows: usize, cols: usize) -> Tensor {
    let data = (0..rows * cols).map(|i| (i as f32 * 0.61).cos()).collect();
    Tensor::from_vec(data, &[rows, cols]).expect("shape fits")
}

fn error_text(result: Result<Box<dyn Model>, Error>) -> String {
    result.expect_err("an error").to_string()
}

/// Asserts that `model` maps the fixture's inputs to PyTorch's logits within 1e-5.
fn assert_reproduces_pytorch_logits<M: Forward<Output = Tensor>>(model: &M) -> Result<(), Error> {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_dir().join("expected.json")).expect("fixture"),
    )
    .expect("fixture JSON");
    let rows: Vec<Vec<f32>> = serde_json::from_value(expected["inputs"].clone()).expect("inputs");
    let logits: Vec<Vec<f32>> = serde_json::from_value(expected["logits"].clone()).expect("logits");
    let x = Tensor::from_vec(rows.concat(), &[rows.len(), 64])?;
    let ours = model.call(x).to_vec();
    let theirs = logits.concat();
    assert_eq!(ours.len(), theirs.len());
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert!((a - b).abs() <= 1e-5, "logit {i}: ours {a}, PyTorch {b}");
    }
    Ok(())
}

#[test]
fn pytorch_fixture_reproduces_the_expected_logits() -> Result<(), Error> {
    let model = from_pretrained(fixture_dir())?;
    assert_eq!(model.model_type(), "tiny_net");
    assert_reproduces_pytorch_logits(&model)
}

#[test]
fn pytorch_state_dict_loads_into_a_hand_built_module() -> Result<(), Error> {
    // The module layer alone: PyTorch's names and layouts (`net.0.weight` is [out, in]) fit a
    // `Sequential` of built-in layers without renaming.
    let config = TinyNetConfig::builder()
        .in_dim(64)
        .hidden(32)
        .out_dim(10)
        .build()?;
    let mut model = TinyNet::build(&config, &mut Init::seeded(0));
    let weights: StateDict =
        minitrainer::weights::read_safetensors(fixture_dir().join(WEIGHTS_FILE))?
            .into_iter()
            .collect();
    let report = model.load_state_dict(&weights, true)?;
    assert!(report.is_clean(), "{report:?}");
    assert_reproduces_pytorch_logits(&model)
}

#[test]
fn pytorch_batch_norm_with_an_i64_batch_counter_loads() -> Result<(), Error> {
    // What `safetensors.torch.save_file(model.state_dict())` writes for Linear + BatchNorm1d:
    // F32 parameters and running statistics, and a 0-d I64 `num_batches_tracked`.
    let bytes = safetensors_bytes(&[
        ("fc.weight", "F32", &[2, 2], f32_le(&[1.0, 0.0, 0.0, 1.0])),
        ("fc.bias", "F32", &[2], f32_le(&[0.0, 0.0])),
        ("bn.weight", "F32", &[2], f32_le(&[2.0, 3.0])),
        ("bn.bias", "F32", &[2], f32_le(&[0.5, -0.5])),
        ("bn.running_mean", "F32", &[2], f32_le(&[1.0, -1.0])),
        ("bn.running_var", "F32", &[2], f32_le(&[4.0, 0.25])),
        (
            "bn.num_batches_tracked",
            "I64",
            &[],
            7i64.to_le_bytes().to_vec(),
        ),
    ]);
    let check = |model: &mut dyn Layer| -> Result<(), Error> {
        model.eval();
        let counter = model
            .state_dict()
            .get("bn.num_batches_tracked")
            .map(Tensor::to_vec);
        assert_eq!(counter, Some(vec![7.0]));
        // Evaluation uses the loaded statistics: (x - mean) / sqrt(var + eps) * weight + bias.
        let y = model
            .forward(Tensor::from_vec(vec![3.0, 1.0], &[1, 2])?)
            .to_vec();
        let expected = [
            2.0 / (4.0f32 + 1e-5).sqrt() * 2.0 + 0.5,
            2.0 / (0.25f32 + 1e-5).sqrt() * 3.0 - 0.5,
        ];
        assert!(
            y.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-4),
            "{y:?} vs {expected:?}"
        );
        Ok(())
    };

    let dir = crate::scratch_dir("bn-i64");
    std::fs::write(
        dir.join(CONFIG_FILE),
        br#"{"model_type": "bn_net", "width": 2}"#,
    )
    .expect("write config");
    std::fs::write(dir.join(WEIGHTS_FILE), &bytes).expect("write weights");
    let mut model = from_pretrained(&dir)?;
    check(&mut model)?;

    // The module layer alone: plain load_state_dict into a hand-built module.
    let config = BnNetConfig::builder().width(2).build()?;
    let mut net = BnNet::build(&config, &mut Init::seeded(0));
    let weights: StateDict =
        minitrainer::weights::parse_safetensors(&bytes, Path::new("bn.safetensors"))?
            .into_iter()
            .collect();
    let report = net.load_state_dict(&weights, true)?;
    assert!(report.is_clean(), "{report:?}");
    check(&mut net)
}

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
