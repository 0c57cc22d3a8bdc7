//! What the fuzz targets share: a derived config with nested configs and enums, a registered
//! model built from it (parameters, buffers and a dropout generator: everything a weights,
//! optimizer or checkpoint file can describe), scratch files reused across runs, and a bound
//! on the sizes a fuzzed model spec may ask for.

#![allow(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use minitrainer::prelude::*;
use serde_json::Value;

pub mod seeds;
pub mod trainer;

/// An activation, with a renamed variant and an alias.
#[derive(Config, Clone, Copy, Debug, PartialEq)]
pub enum Act {
    Relu,
    Tanh,
    #[config(rename = "gelu-tanh", alias = "approx_gelu")]
    GeluTanh,
}

/// One hidden block.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct BlockConfig {
    #[config(min = 1, max = 64)]
    pub width: usize,
    #[config(default = Act::Relu)]
    pub act: Act,
    #[config(default = 0.0, range = 0.0..1.0)]
    pub dropout: f32,
}

/// An optional final normalisation.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct NormConfig {
    #[config(default = 1e-5, min = 0.0)]
    pub eps: f64,
    #[config(default = true)]
    pub affine: bool,
}

/// The config every target's model is built from: nested structs, a list of them, an option
/// of one, enums, rules of every kind.
#[derive(Config, Clone, Debug, PartialEq)]
pub struct FuzzNetConfig {
    #[config(min = 1, max = 64)]
    pub in_dim: usize,
    #[config(default = vec![])]
    pub blocks: Vec<BlockConfig>,
    #[config(min = 1, max = 16)]
    pub classes: usize,
    pub norm: Option<NormConfig>,
    #[config(default = Act::Tanh, one_of = [Act::Relu, Act::Tanh])]
    pub head_act: Act,
    #[config(default = String::from("net"), non_empty)]
    pub name: String,
    #[config(min = 1)]
    pub seed: Option<u64>,
    #[config(default = vec![0.5], non_empty)]
    pub scales: Vec<f64>,
}

/// Linear → batch norm → activation → dropout.
#[derive(Module)]
pub struct Block {
    linear: Linear,
    bn: BatchNorm1d,
    drop: Dropout,
    #[module(skip)]
    act: Act,
}

/// The blocks, an optional layer norm and a linear head.
#[derive(Module)]
#[model(name = "fuzz_net", config = FuzzNetConfig)]
pub struct FuzzNet {
    blocks: Vec<Block>,
    norm: Option<LayerNorm>,
    head: Linear,
}

impl Build for FuzzNet {
    type Config = FuzzNetConfig;
    fn build(config: &FuzzNetConfig, init: &mut Init) -> Self {
        let mut width = config.in_dim;
        let mut blocks = Vec::new();
        for block in &config.blocks {
            blocks.push(Block {
                linear: Linear::build(&LinearConfig::new(width, block.width), init),
                bn: BatchNorm1d::build(&BatchNorm1dConfig::new(block.width), init),
                drop: Dropout::build(&DropoutConfig { p: block.dropout }, init),
                act: block.act,
            });
            width = block.width;
        }
        let norm = config
            .norm
            .as_ref()
            .map(|_| LayerNorm::build(&LayerNormConfig::new(width), init));
        FuzzNet {
            blocks,
            norm,
            head: Linear::build(&LinearConfig::new(width, config.classes), init),
        }
    }
}

impl Forward for FuzzNet {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        let mut x = x;
        for block in &self.blocks {
            let h = block.bn.call(block.linear.call(x));
            let h = match block.act {
                Act::Relu => h.relu(),
                Act::Tanh => h.tanh(),
                Act::GeluTanh => h.gelu(),
            };
            x = block.drop.call(h);
        }
        if let Some(norm) = &self.norm {
            x = norm.call(x);
        }
        self.head.call(x)
    }
}

/// The fixed config of the model the weights, optimizer and checkpoint targets load into.
pub const NET_SPEC: &str = r#"{"model_type": "fuzz_net", "in_dim": 4, "classes": 3,
    "blocks": [{"width": 5, "dropout": 0.25}], "norm": {}}"#;

/// The model of [`NET_SPEC`], seeded.
pub fn net(seed: u64) -> Configured<FuzzNet> {
    let config = FuzzNetConfig::from_value(spec_fields(NET_SPEC)).expect("a valid config");
    FuzzNet::from_config(config, &mut Init::seeded(seed)).expect("a small model builds")
}

fn spec_fields(text: &str) -> Value {
    let mut value: Value = serde_json::from_str(text).expect("valid JSON");
    if let Some(object) = value.as_object_mut() {
        object.shift_remove("model_type");
    }
    value
}

/// A directory for this process's scratch files, created once and reused by every run: under
/// `$MINITRAINER_FUZZ_SCRATCH` when set (`scripts/fuzz.sh` sets it, and removes only that),
/// else the system's temporary directory.
pub fn scratch_dir(target: &str) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let parent = std::env::var_os("MINITRAINER_FUZZ_SCRATCH")
            .map_or_else(std::env::temp_dir, PathBuf::from);
        let dir = parent.join(format!("minitrainer-fuzz-{target}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    })
}

/// Writes `bytes` to `name` in the scratch directory, replacing what was there.
pub fn scratch_file(target: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch_dir(target).join(name);
    std::fs::write(&path, bytes).expect("a writable scratch file");
    path
}

/// Whether building the model `value` describes stays small: the integers in it, summed, at
/// most `budget`. A spec asking for a billion-wide layer is valid and allocates what it asks
/// (a library cannot tell a large model from a hostile one), so the fuzzer does not build it.
pub fn within_budget(value: &Value, budget: u64) -> bool {
    fn total(value: &Value) -> Option<u64> {
        match value {
            Value::Number(n) => match (n.as_u64(), n.as_f64()) {
                (Some(u), _) => Some(u),
                (None, Some(f)) if f.abs() <= 1.0 => Some(0),
                (None, Some(f)) if f < 0.0 => Some(0),
                _ => None,
            },
            Value::Array(items) => items
                .iter()
                .try_fold(0u64, |acc, v| acc.checked_add(total(v)?)),
            Value::Object(map) => map
                .values()
                .try_fold(0u64, |acc, v| acc.checked_add(total(v)?)),
            _ => Some(0),
        }
    }
    total(value).is_some_and(|t| t <= budget)
}
