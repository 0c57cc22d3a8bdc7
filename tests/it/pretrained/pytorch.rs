//! PyTorch interop: the fixture's logits, its state dict into a hand-built module, BatchNorm's
//! i64 counter.

use std::path::Path;

use minitrainer::prelude::*;
use minitrainer::registry::{CONFIG_FILE, WEIGHTS_FILE};
use minitrainer::{Error, from_pretrained};

use super::*;

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
