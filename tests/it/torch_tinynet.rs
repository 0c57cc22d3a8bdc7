//! Layer numerics against PyTorch: the TinyNet fixture's weights (safetensors, read by hand)
//! loaded into a Rust `Sequential` reproduce PyTorch's logits.

use std::path::PathBuf;

use minitrainer::prelude::*;
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[derive(Module)]
struct TinyNet {
    net: Sequential,
}

impl Forward for TinyNet {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.net.call(x)
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/torch_tinynet")
        .join(name)
}

/// A minimal safetensors reader: 8-byte little-endian header length, JSON header, F32 data.
fn read_safetensors(bytes: &[u8]) -> Result<StateDict, Box<dyn std::error::Error>> {
    let len_bytes: [u8; 8] = bytes
        .get(..8)
        .ok_or("file shorter than 8 bytes")?
        .try_into()?;
    let header_len = usize::try_from(u64::from_le_bytes(len_bytes))?;
    let header: Value =
        serde_json::from_slice(bytes.get(8..8 + header_len).ok_or("short header")?)?;
    let data = &bytes[8 + header_len..];
    let mut dict = StateDict::new();
    for (name, info) in header.as_object().ok_or("header is not an object")? {
        if name == "__metadata__" {
            continue;
        }
        assert_eq!(info["dtype"], "F32", "{name}");
        let shape: Vec<usize> = serde_json::from_value(info["shape"].clone())?;
        let [start, end]: [usize; 2] = serde_json::from_value(info["data_offsets"].clone())?;
        let values = data
            .get(start..end)
            .ok_or("data offsets out of range")?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        dict.insert(name.clone(), Tensor::from_vec(values, &shape)?);
    }
    Ok(dict)
}

fn matrix(value: &Value) -> Result<(Vec<f32>, usize), Box<dyn std::error::Error>> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(value.clone())?;
    let width = rows.first().map_or(0, Vec::len);
    Ok((
        rows.into_iter().flatten().map(|v| v as f32).collect(),
        width,
    ))
}

#[test]
fn tinynet_reproduces_pytorch_logits() -> TestResult {
    let mut rng = seeded_rng(0);
    let mut model = TinyNet {
        net: Sequential::new()
            .push(Linear::new(64, 32, true, &mut rng))
            .push(ReLU::new())
            .push(Linear::new(32, 10, true, &mut rng)),
    };
    let weights = read_safetensors(&std::fs::read(fixture("model.safetensors"))?)?;
    let report = model.load_state_dict(&weights, true)?;
    assert!(report.is_clean());

    let expected: Value = serde_json::from_slice(&std::fs::read(fixture("expected.json"))?)?;
    let (inputs, width) = matrix(&expected["inputs"])?;
    let (logits, classes) = matrix(&expected["logits"])?;
    assert_eq!((width, classes), (64, 10));
    let x = Tensor::from_vec(inputs, &[logits.len() / classes, width])?;
    let out = model.call(x).to_vec();
    let worst = out
        .iter()
        .zip(&logits)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst <= 1e-5, "largest logit difference {worst}");
    Ok(())
}
