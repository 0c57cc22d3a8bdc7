//! Hooks that replace values (PyTorch's semantics): a pre-hook returning `Some(input)` replaces
//! the input, a forward hook returning `Some(output)` replaces the output; hooks chain in
//! registration order; observe-only hooks (returning `()`) still work.

use std::sync::{Arc, Mutex};

use minitrainer::module::{HookHandle, HookValue, ModuleError};
use minitrainer::prelude::*;

#[derive(Module)]
struct Encoder {
    layers: Vec<Linear>,
}

#[derive(Module)]
struct Net {
    encoder: Encoder,
    head: Linear,
}

impl Forward for Encoder {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.layers.iter().fold(x, |h, layer| layer.call(h).tanh())
    }
}

impl Forward for Net {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.head.call(self.encoder.call(x))
    }
}

fn linear(in_features: usize, out_features: usize, init: &mut Init) -> Linear {
    let config = LinearConfig {
        in_features,
        out_features,
        bias: true,
    };
    Linear::build(&config, init)
}

fn net() -> Net {
    let mut init = Init::seeded(0);
    Net {
        encoder: Encoder {
            layers: vec![linear(4, 3, &mut init), linear(3, 3, &mut init)],
        },
        head: linear(3, 2, &mut init),
    }
}

fn input() -> Tensor {
    Tensor::randn(&[2, 4], 0.0, 1.0, &mut seeded_rng(1))
}

/// The hooked value as a tensor; a hook on these layers always sees one.
fn tensor(value: HookValue<'_>) -> Tensor {
    value
        .tensor()
        .cloned()
        .unwrap_or_else(|| Tensor::zeros(&[0]))
}

// ---- pre-hooks replace the input ----------------------------------------------------------

#[test]
fn pre_hook_doubling_a_nested_input_changes_the_output_as_computed_by_hand()
-> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let _handle = model.register_forward_pre_hook("encoder.layers.1", |_, input| {
        Some(tensor(input).mul_scalar(2.0))
    })?;
    let x = input();
    let y = model.call(x.clone());

    // By hand: layer 1 sees twice the first layer's activation.
    let h0 = model.encoder.layers[0].forward(x).tanh();
    let h1 = model.encoder.layers[1].forward(h0.mul_scalar(2.0)).tanh();
    let expected = model.head.forward(h1);
    assert_eq!(y.to_vec(), expected.to_vec());
    Ok(())
}

#[test]
fn pre_hook_returning_none_leaves_the_input_alone() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let _handle = model.register_forward_pre_hook("head", |_, _| -> Option<Tensor> { None })?;
    let x = input();
    assert_eq!(
        model.call(x.clone()).to_vec(),
        Net::forward(&model, x).to_vec()
    );
    Ok(())
}

// ---- forward hooks replace the output -----------------------------------------------------

#[test]
fn forward_hook_replaces_the_output() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let _handle =
        model.register_forward_hook("encoder", |_, _, output| Some(tensor(output).neg()))?;
    let x = input();
    let y = model.call(x.clone());
    let expected = model.head.forward(model.encoder.forward(x).neg());
    assert_eq!(y.to_vec(), expected.to_vec());
    Ok(())
}

#[test]
fn forward_hook_on_the_root_replaces_what_call_returns() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let _handle = model.register_forward_hook("", |_, _, _| Some(Tensor::ones(&[1])))?;
    assert_eq!(model.call(input()).to_vec(), [1.0]);
    Ok(())
}

// ---- chaining and removal -----------------------------------------------------------------

#[test]
fn hooks_chain_in_registration_order_each_seeing_the_previous_replacement()
-> Result<(), ModuleError> {
    let model = Hooked::new(net());
    // (o + 1) · 10, not o · 10 + 1: the second hook sees the first one's output.
    let _add = model.register_forward_hook("head", |_, _, o| Some(tensor(o).add_scalar(1.0)))?;
    let _scale = model.register_forward_hook("head", |_, _, o| Some(tensor(o).mul_scalar(10.0)))?;
    // Pre-hooks chain too: (x · 3) − 1.
    let _triple =
        model.register_forward_pre_hook("head", |_, i| Some(tensor(i).mul_scalar(3.0)))?;
    let _dec = model.register_forward_pre_hook("head", |_, i| Some(tensor(i).add_scalar(-1.0)))?;
    // A forward hook sees the input as the pre-hooks left it.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let _observe = model.register_forward_hook("head", move |_, i, _| {
        log.lock().map(|mut l| l.push(tensor(i).to_vec())).ok();
    })?;

    let x = input();
    let y = model.call(x.clone());

    let h = model.encoder.forward(x).mul_scalar(3.0).add_scalar(-1.0);
    let expected = model
        .head
        .forward(h.clone())
        .add_scalar(1.0)
        .mul_scalar(10.0);
    assert_eq!(y.to_vec(), expected.to_vec());
    assert_eq!(
        seen.lock().map(|l| l.clone()).unwrap_or_default(),
        [h.to_vec()]
    );
    Ok(())
}

#[test]
fn removing_the_handle_restores_the_original_output() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let x = input();
    let original = model.call(x.clone()).to_vec();
    let handle = model
        .register_forward_pre_hook("encoder.layers.0", |_, i| Some(tensor(i).mul_scalar(2.0)))?;
    assert_ne!(model.call(x.clone()).to_vec(), original);
    handle.remove();
    assert_eq!(model.call(x).to_vec(), original);
    Ok(())
}

// ---- observe-only hooks -------------------------------------------------------------------

#[test]
fn observe_only_hooks_see_values_and_change_nothing() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let pre_log = Arc::clone(&seen);
    let _pre = model.register_forward_pre_hook("head", move |path, input| {
        let shape = input.tensor().map(|t| t.shape().to_vec());
        pre_log
            .lock()
            .map(|mut l| l.push(format!("pre {path} {shape:?}")))
            .ok();
    })?;
    let post_log = Arc::clone(&seen);
    let _post = model.register_forward_hook("head", move |path, _input, output| {
        let shape = output.tensor().map(|t| t.shape().to_vec());
        post_log
            .lock()
            .map(|mut l| l.push(format!("post {path} {shape:?}")))
            .ok();
    })?;
    let x = input();
    assert_eq!(
        model.call(x.clone()).to_vec(),
        Net::forward(&model, x).to_vec()
    );
    assert_eq!(
        seen.lock().map(|l| l.clone()).unwrap_or_default(),
        ["pre head Some([2, 3])", "post head Some([2, 2])"]
    );
    Ok(())
}

// ---- a replacement of the wrong type ------------------------------------------------------

#[test]
#[should_panic(
    expected = "forward hook on `encoder.layers.1` returned a replacement output of type \
                `alloc::vec::Vec<f32>`, but the module's output is of type `"
)]
fn a_replacement_of_the_wrong_type_panics_naming_the_path_and_both_types() {
    let model = Hooked::new(net());
    model
        .register_forward_hook("encoder.layers.1", |_, _, _| Some(vec![1.0f32]))
        .map(HookHandle::keep)
        .ok();
    model.call(input());
}
