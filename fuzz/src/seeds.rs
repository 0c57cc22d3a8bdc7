//! The committed seed corpora (`fuzz/seeds/<target>/`): a few valid inputs and edge cases per
//! target, written by `cargo +nightly run --example make_seeds` from the fuzz directory.

use std::io::Write;
use std::path::Path;

use minitrainer::optim::{OPTIMIZERS, Optimizer, optimizer_from_str};
use minitrainer::prelude::*;
use minitrainer::weights::serialize_safetensors;

use crate::{FuzzNet, FuzzNetConfig, net, trainer};

/// One training step of `opt` on the model.
pub fn train_step(model: &Configured<FuzzNet>, opt: &mut dyn Optimizer) {
    let x = Tensor::randn(&[6, 4], 0.0, 1.0, &mut seeded_rng(3));
    let y = model.forward(x);
    y.mul(&y).mean().backward();
    opt.step();
    opt.zero_grad();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // A stored (uncompressed) deflate stream, hand-made: no compression crate needed here.
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    for (i, chunk) in bytes.chunks(65_535).enumerate() {
        let last = (i + 1) * 65_535 >= bytes.len();
        let len = chunk.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    if bytes.is_empty() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    out.extend_from_slice(&crc32(bytes).to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn write(root: &Path, target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = root.join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::File::create(dir.join(name))?.write_all(bytes)
}

/// A safetensors file by hand: `entries` are (name, dtype, shape, bytes).
pub fn safetensors_bytes(entries: &[(&str, &str, &[usize], &[u8])]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut data = Vec::new();
    for (name, dtype, shape, bytes) in entries {
        let start = data.len();
        data.extend_from_slice(bytes);
        header.insert(
            (*name).to_string(),
            serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    let header = serde_json::Value::Object(header).to_string();
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&data);
    out
}

/// Writes every target's seeds under `root`.
///
/// # Errors
/// When a file cannot be written.
pub fn write_all(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let specs = [
        "linear(in_features=4, out_features=2)",
        r#"{"model_type": "linear", "in_features": 3, "out_features": 1, "bias": false}"#,
        "embedding(num_embeddings=10, embedding_dim=3)",
        "layer_norm(normalized_shape=4)",
        "batch_norm1d(num_features=3, momentum=0.5)",
        "dropout(p=0.5)",
        r#"fuzz_net(in_dim=3, classes=2, blocks=[{"width": 4, "act": "approx_gelu"}], norm={"eps": 0.001})"#,
        crate::NET_SPEC,
        "linear(in_features=4 out_features=2)",
        "linear(in_featres=4, out_features=2, bais=true)",
        r#"{"model_type": 3}"#,
        "relu()",
    ];
    for (i, spec) in specs.iter().enumerate() {
        write(root, "config_load", &format!("spec-{i}"), spec.as_bytes())?;
    }

    let full = FuzzNetConfig::from_json(
        r#"{"in_dim": 2, "classes": 3, "blocks": [{"width": 1, "act": "gelu-tanh", "dropout": 0.5}],
            "norm": {"eps": 0.0, "affine": false}, "head_act": "relu", "name": "x",
            "seed": 3, "scales": [1e-300, -0.0, 1.5]}"#,
    )?;
    let configs = [
        full.to_json(),
        r#"{"in_dim": 1, "classes": 1}"#.to_string(),
        r#"{"in_dim": 0, "classes": 17, "blocks": [{"width": 65, "act": "swish"}], "seed": 0}"#
            .into(),
        r#"{"in_dim": 1, "classes": 1, "norm": null, "head_act": "gelu-tanh", "scales": []}"#
            .into(),
        "fuzz_net(in_dim=4, classes=2, blocks=[{\"width\": 2}])".into(),
        r#"{"in_dim": 1e3, "classes": -1, "name": "", "extra": {"nested": [1, 2]}}"#.into(),
    ];
    for (i, text) in configs.iter().enumerate() {
        write(
            root,
            "config_from_json",
            &format!("config-{i}"),
            text.as_bytes(),
        )?;
    }

    let model = net(0);
    let tensors: Vec<(String, Tensor)> = model
        .state_dict()
        .iter()
        .map(|(k, t)| (k.to_string(), t.clone()))
        .collect();
    let valid = serialize_safetensors(&tensors)?;
    write(root, "safetensors", "valid", &valid)?;
    write(root, "safetensors", "truncated", &valid[..valid.len() / 2])?;
    let dtypes = safetensors_bytes(&[
        (
            "a",
            "F64",
            &[2],
            &[0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40],
        ),
        ("b", "F16", &[1, 2], &[0, 0x3c, 0, 0x7c]),
        ("c", "I64", &[1], &[0xff; 8]),
        ("d", "BOOL", &[0, 3], &[]),
        ("e", "BF16", &[1], &[0x80, 0x7f]),
    ]);
    write(root, "safetensors", "dtypes", &dtypes)?;
    // A header claiming 100 GB of data in a tiny file.
    let huge = safetensors_bytes(&[("w", "F32", &[25_000_000_000], &[])]);
    write(root, "safetensors", "claims-100gb", &huge)?;

    let modes = [
        (0u8, "a,b,label\n1,2,x\n3,4,y\n\n5, 6 ,x\n"),
        (1, "a,b,label\n1,2,0\n3,4,2\n"),
        (2, "a,b,label\n1e3,-inf,NaN\n"),
        (3, "x,y\n1,2\n"),
        (0, "a,\"b\",label\n"),
    ];
    for (i, (mode, text)) in modes.iter().enumerate() {
        let mut bytes = vec![*mode];
        bytes.extend_from_slice(text.as_bytes());
        write(root, "csv", &format!("csv-{i}"), &bytes)?;
    }
    let mut gz = vec![1u8];
    gz.extend_from_slice(&gzip(b"a,b,label\n1,2,1\n"));
    write(root, "csv", "gzipped", &gz)?;

    let images: Vec<u8> = [0u8, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]
        .into_iter()
        .chain([0, 64, 128, 255, 1, 2, 3, 4])
        .collect();
    let labels = [0u8, 0, 8, 1, 0, 0, 0, 2, 7, 9];
    let idx = |images: &[u8], labels: &[u8]| {
        let mut out = (images.len() as u16).to_le_bytes().to_vec();
        out.extend_from_slice(images);
        out.extend_from_slice(labels);
        out
    };
    write(root, "idx", "mnist", &idx(&images, &labels))?;
    write(
        root,
        "idx",
        "mnist-gz",
        &idx(&gzip(&images), &gzip(&labels)),
    )?;
    write(
        root,
        "idx",
        "claims-100gb",
        &idx(
            &[
                0, 0, 8, 3, 0, 0, 0, 100, 0x0f, 0xff, 0xff, 0xff, 0, 0, 0, 64,
            ],
            &labels,
        ),
    )?;
    write(
        root,
        "idx",
        "empty",
        &idx(
            &[0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5],
            &[0, 0, 8, 1, 0, 0, 0, 0],
        ),
    )?;

    for name in OPTIMIZERS {
        let model = net(0);
        let mut opt = optimizer_from_str(name, &model)?;
        write(
            root,
            "optim_state",
            &format!("{name}-fresh"),
            &opt.state_dict().to_bytes()?,
        )?;
        train_step(&model, &mut *opt);
        write(
            root,
            "optim_state",
            &format!("{name}-stepped"),
            &opt.state_dict().to_bytes()?,
        )?;
    }

    let scratch =
        std::env::temp_dir().join(format!("minitrainer-fuzz-seeds-{}", std::process::id()));
    let checkpoint = trainer::write_checkpoint(&scratch);
    // The saved options name the scratch directory; the committed seeds name no machine path
    // (`resume` keeps the trainer's own options, so the value is never used).
    let text = std::fs::read_to_string(checkpoint.join("trainer.json"))?
        .replace(&*scratch.to_string_lossy(), "checkpoints");
    write(root, "trainer_resume", "valid", text.as_bytes())?;
    let mut value: serde_json::Value = serde_json::from_str(&text)?;
    value["position"]["batch"] = serde_json::json!(1_000_000);
    write(
        root,
        "trainer_resume",
        "batch-past-the-end",
        value.to_string().as_bytes(),
    )?;
    value["position"]["step"] = serde_json::json!(u64::MAX);
    value["position"]["epoch"] = serde_json::json!(u64::MAX);
    write(
        root,
        "trainer_resume",
        "position-at-the-limit",
        value.to_string().as_bytes(),
    )?;
    std::fs::remove_dir_all(&scratch)?;

    // Issue 16's config files: as saved, defaults omitted, reordered, another config.
    let saved = std::env::temp_dir().join(format!(
        "minitrainer-fuzz-seeds-pretrained-{}",
        std::process::id()
    ));
    net(5).save_pretrained(&saved)?;
    let text = std::fs::read_to_string(saved.join("config.json"))?;
    std::fs::remove_dir_all(&saved)?;
    write(root, "pretrained_config", "saved", text.as_bytes())?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    let mut omitted = value.clone();
    for key in ["head_act", "name", "seed", "scales"] {
        omitted.as_object_mut().map(|o| o.shift_remove(key));
    }
    write(
        root,
        "pretrained_config",
        "omitted-defaults",
        omitted.to_string().as_bytes(),
    )?;
    let reordered: serde_json::Map<String, serde_json::Value> = value
        .as_object()
        .into_iter()
        .flatten()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    write(
        root,
        "pretrained_config",
        "reordered",
        serde_json::Value::Object(reordered).to_string().as_bytes(),
    )?;
    let mut other = value;
    other["classes"] = serde_json::json!(4);
    write(
        root,
        "pretrained_config",
        "other-config",
        other.to_string().as_bytes(),
    )?;
    Ok(())
}
