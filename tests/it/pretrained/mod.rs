//! save_pretrained / from_pretrained: PyTorch interop, round trips, atomic saves and every bad
//! file.

mod bad_files;
mod pytorch;
mod round_trip;

use std::path::{Path, PathBuf};

use minitrainer::prelude::*;
use minitrainer::{Error, load};

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
pub(super) fn safetensors_bytes(tensors: &[(&str, &str, &[usize], Vec<u8>)]) -> Vec<u8> {
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

pub(super) fn f32_le(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(super) fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/torch_tinynet")
}

pub(super) fn tiny() -> Result<Box<dyn Model>, Error> {
    load("tiny_net(in_dim=6, hidden=5, out_dim=3)")
}

pub(super) fn input(rows: usize, cols: usize) -> Tensor {
    let data = (0..rows * cols).map(|i| (i as f32 * 0.61).cos()).collect();
    Tensor::from_vec(data, &[rows, cols]).expect("shape fits")
}

pub(super) fn error_text(result: Result<Box<dyn Model>, Error>) -> String {
    result.expect_err("an error").to_string()
}

/// Asserts that `model` maps the fixture's inputs to PyTorch's logits within 1e-5.
pub(super) fn assert_reproduces_pytorch_logits<M: Forward<Output = Tensor>>(
    model: &M,
) -> Result<(), Error> {
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
