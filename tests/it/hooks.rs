//! Forward hooks: registered by path, fired with the right path/input/output, removed by
//! handle, surviving a move of the model.

use std::sync::{Arc, Mutex};

use minitrainer::module::ModuleError;
use minitrainer::prelude::*;

#[derive(Module)]
struct Encoder {
    layers: Vec<Linear>,
    act: ReLU,
}

#[derive(Module)]
struct Net {
    encoder: Encoder,
    head: Linear,
}

impl Forward for Encoder {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.layers
            .iter()
            .fold(x, |h, layer| self.act.call(layer.call(h)))
    }
}

impl Forward for Net {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.head.call(self.encoder.call(x))
    }
}

fn net() -> Net {
    let mut init = Init::seeded(0);
    Net {
        encoder: Encoder {
            layers: vec![
                Linear::build(&LinearConfig::new(4, 3), &mut init),
                Linear::build(&LinearConfig::new(3, 3), &mut init),
            ],
            act: ReLU::new(),
        },
        head: Linear::build(&LinearConfig::new(3, 2), &mut init),
    }
}

type Log = Arc<Mutex<Vec<(String, Vec<f32>, Vec<f32>)>>>;

fn recorder(
    log: &Log,
) -> impl Fn(&str, HookValueRef<'_>, HookValueRef<'_>) + Send + Sync + 'static {
    let log = Arc::clone(log);
    move |path, input, output| {
        let t = |v: HookValueRef<'_>| v.tensor().map(Tensor::to_vec).unwrap_or_default();
        if let Ok(mut log) = log.lock() {
            log.push((path.to_owned(), t(input), t(output)));
        }
    }
}

type HookValueRef<'v> = minitrainer::module::HookValue<'v>;

#[test]
fn hook_fires_with_path_input_and_output_then_is_removed() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let log: Log = Arc::default();
    let handle = model.register_forward_hook("encoder.layers.1", recorder(&log))?;
    let pre_log: Arc<Mutex<Vec<String>>> = Arc::default();
    let pre = {
        let pre_log = Arc::clone(&pre_log);
        model.register_forward_pre_hook("head", move |path, input| {
            let shape = input.tensor().map(|t| t.shape().to_vec());
            pre_log
                .lock()
                .map(|mut l| l.push(format!("{path} {shape:?}")))
                .ok();
        })?
    };
    assert_eq!(model.num_hooks(), 2);

    let x = Tensor::randn(&[2, 4], 0.0, 1.0, &mut seeded_rng(1));
    let y = model.call(x.clone());

    // What the hooked layer really saw: its input is the first layer's activation.
    let h0 = model.encoder.layers[0].forward(x.clone()).relu();
    let h1 = model.encoder.layers[1].forward(h0.clone());
    let entries = log.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(
        entries,
        vec![("encoder.layers.1".to_owned(), h0.to_vec(), h1.to_vec())]
    );
    assert_eq!(
        pre_log.lock().map(|l| l.clone()).unwrap_or_default(),
        ["head Some([2, 3])"]
    );
    // Hooks observe only: the output is the plain forward's.
    assert_eq!(y.to_vec(), Net::forward(&model, x.clone()).to_vec());

    handle.remove();
    drop(pre);
    assert_eq!(model.num_hooks(), 0);
    model.call(x);
    assert_eq!(
        log.lock().map(|l| l.len()).unwrap_or_default(),
        1,
        "removed hook must not fire"
    );
    Ok(())
}

#[test]
fn hooks_keep_firing_after_the_model_is_moved_into_a_box() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let log: Log = Arc::default();
    model
        .register_forward_hook("encoder.act", recorder(&log))?
        .keep();
    model.register_forward_hook("", recorder(&log))?.keep();
    let boxed: Box<dyn Layer> = Box::new(model);
    let moved = [boxed];
    moved[0].call(Tensor::ones(&[1, 4]));
    let paths: Vec<String> = log
        .lock()
        .map(|l| l.iter().map(|e| e.0.clone()).collect())
        .unwrap_or_default();
    // The shared ReLU runs once per encoder layer, then the root finishes.
    assert_eq!(paths, ["encoder.act", "encoder.act", ""]);
    Ok(())
}

#[test]
fn calls_outside_the_hooked_wrapper_do_not_fire() -> Result<(), ModuleError> {
    let model = Hooked::new(net());
    let log: Log = Arc::default();
    model.register_forward_hook("head", recorder(&log))?.keep();
    model.head.call(Tensor::ones(&[1, 3]));
    model.forward(Tensor::ones(&[1, 4])); // `forward` of the wrapper is the hooked entry point
    assert_eq!(log.lock().map(|l| l.len()).unwrap_or_default(), 1);
    Ok(())
}

#[test]
fn registering_on_a_missing_path_names_it() {
    let model = Hooked::new(net());
    let err = model
        .register_forward_hook("encoder.layers.5", |_, _, _| {})
        .err();
    assert!(
        matches!(err, Some(ModuleError::NoSubmodule { ref missing, .. }) if missing == "5"),
        "{err:?}"
    );
}

#[derive(Module)]
struct Unit;

#[derive(Module)]
struct HasUnit {
    unit: Unit,
    head: Linear,
}

#[test]
fn zero_sized_modules_are_refused_as_hook_targets() {
    let model = Hooked::new(HasUnit {
        unit: Unit,
        head: Linear::build(
            &LinearConfig {
                bias: false,
                ..LinearConfig::new(1, 1)
            },
            &mut Init::seeded(0),
        ),
    });
    let err = model.register_forward_hook("unit", |_, _, _| {}).err();
    assert!(
        matches!(err, Some(ModuleError::ZeroSizedHookTarget { .. })),
        "{err:?}"
    );
}
