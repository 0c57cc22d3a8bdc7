//! Optimizers: PyTorch's float32 trajectories through real parameters, parameter groups,
//! frozen parameters, state save/load, and building by name. The shared models and helpers
//! are here.

mod by_name;
mod groups;
mod reference;
mod state;

use std::path::PathBuf;

use minitrainer::optim::{AdamW, AdamWConfig, OptimError, Optimizer, ParamGroup};
use minitrainer::prelude::*;
use serde_json::Value;

#[derive(Module)]
pub(crate) struct OneParam {
    pub(crate) p: Param,
}

pub(crate) fn flat(value: &Value) -> Vec<f32> {
    match value {
        Value::Array(items) => items.iter().flat_map(flat).collect(),
        // The fixture's float32 values are exact f32s written as f64 decimals.
        other => vec![other.as_f64().expect("a number") as f32],
    }
}

/// Sets `param`'s gradient to exactly `grad`: d Σ(p·g)/dp = g.
pub(crate) fn set_grad(param: &Param, grad: &Tensor) {
    param.zero_grad();
    param.mul(grad).sum().backward();
}

#[derive(Module)]
pub(crate) struct Net {
    pub(crate) encoder: Linear,
    pub(crate) norm: LayerNorm,
    pub(crate) head: Linear,
}

impl Forward for Net {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.head.call(self.norm.call(self.encoder.call(x).tanh()))
    }
}

pub(crate) fn net(out: usize) -> Net {
    let mut init = Init::seeded(7);
    Net {
        encoder: Linear::build(&LinearConfig::new(4, 4), &mut init),
        norm: LayerNorm::build(&LayerNormConfig::new(4), &mut init),
        head: Linear::build(&LinearConfig::new(4, out), &mut init),
    }
}

/// No weight decay on biases and norm weights, a lower lr for the encoder.
pub(crate) fn recipe() -> [ParamGroup; 3] {
    [
        ParamGroup::new("*.bias").weight_decay(0.0),
        ParamGroup::new("norm.*").weight_decay(0.0),
        ParamGroup::new("encoder.*").lr(0.01),
    ]
}

pub(crate) fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "minitrainer-optim-{}-{name}.safetensors",
        std::process::id()
    ))
}

pub(crate) fn train_step(model: &Net, opt: &mut dyn Optimizer, x: &Tensor) {
    let y = model.forward(x.clone());
    y.mul(&y).mean().backward();
    opt.step();
    opt.zero_grad();
}

pub(crate) fn adamw(model: &Net) -> Result<AdamW, OptimError> {
    let config = AdamWConfig {
        lr: 1e-2,
        amsgrad: true,
        ..AdamWConfig::default()
    };
    AdamW::with_groups(model, config, recipe())
}
