//! Numerical faults, each a defined behaviour: NaN and infinities through the forward pass
//! (as PyTorch: `tools/reference/gen_nonfinite.py`), a zero-length dimension, an empty
//! batch, an exploding gradient (clipped; or stopped or skipped by the Trainer's guard,
//! naming epoch and step), a batch larger than the data set, and a learning rate of zero.
//! Already covered elsewhere: a NaN loss stopping or skipped (`train/behaviour.rs`), an empty
//! training set (`TrainError::EmptyData`, same file; an empty loader in the loader's unit
//! tests), labels out of range in losses and metrics (`losses.rs`, `metrics.rs`).

use minitrainer::data::{DataLoader, Labels, TensorDataset};
use minitrainer::nn::loss::{
    CrossEntropyLoss, CrossEntropyLossConfig, MseLossConfig, Reduction, cross_entropy, mse_loss,
};
use minitrainer::optim::{OPTIMIZERS, optimizer_from_str};
use minitrainer::prelude::*;
use minitrainer::train::{OnNonFinite, TrainError, Trainer, TrainerOptions};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const FIXTURE: &str = include_str!("../../../minitrainer-core/tests/fixtures/nonfinite.json");

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("the committed fixture parses")
}

/// A fixture tensor: `{"shape": [...], "values": ["nan", "1.5", ...]}`.
fn tensor(value: &Value) -> (Vec<usize>, Vec<f32>) {
    let shape = value["shape"]
        .as_array()
        .expect("a shape")
        .iter()
        .map(|d| d.as_u64().expect("a dimension") as usize)
        .collect();
    let values = value["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_str().expect("text").parse().expect("a float"))
        .collect();
    (shape, values)
}

/// The positions where `ours` differs from PyTorch: NaN where PyTorch has NaN, the same
/// infinities and signed zeros, finite values within `1e-6` (relative).
fn differences(ours: &[f32], torch: &[f32]) -> Vec<(usize, f32, f32)> {
    assert_eq!(ours.len(), torch.len());
    ours.iter()
        .zip(torch)
        .enumerate()
        .filter(|&(_, (&a, &b))| {
            !if b.is_nan() {
                a.is_nan()
            } else if b.is_infinite() || b == 0.0 {
                a.to_bits() == b.to_bits()
            } else {
                (a - b).abs() <= 1e-6 * b.abs().max(1.0)
            }
        })
        .map(|(i, (&a, &b))| (i, a, b))
        .collect()
}

fn assert_like_torch(what: &str, ours: &[f32], torch: &[f32]) {
    let differences = differences(ours, torch);
    assert!(
        differences.is_empty(),
        "{what}: (index, ours, PyTorch) {differences:?}"
    );
}

#[test]
fn nan_and_infinities_go_through_activations_as_in_pytorch() {
    let fixture = fixture();
    let input: Vec<f32> = fixture["input"]
        .as_array()
        .expect("the input")
        .iter()
        .map(|v| v.as_str().expect("text").parse().expect("a float"))
        .collect();
    let x = Tensor::from_vec(input.clone(), &[input.len()]).expect("a vector");
    let ours: [(&str, Tensor); 6] = [
        ("relu", x.relu()),
        ("gelu", x.gelu()),
        ("gelu_tanh", x.gelu_tanh()),
        ("sigmoid", x.sigmoid()),
        ("tanh", x.tanh()),
        ("silu", x.silu()),
    ];
    let mut found = Vec::new();
    for (name, output) in ours {
        let (_, torch) = tensor(&fixture["activations"][name]);
        for (i, a, b) in differences(&output.to_vec(), &torch) {
            found.push(format!("{name}({:?}) = {a:?}, PyTorch {b:?}", input[i]));
        }
    }
    // PyTorch's own answer depends on the tensor's length: its vectorised kernel (8 or more
    // elements, as here) gives NaN, its scalar path and float64 give inf, the exact value.
    assert_eq!(found, ["gelu(inf) = inf, PyTorch NaN"]);
}

#[test]
fn a_nan_or_an_infinity_spoils_its_softmax_and_layer_norm_row_only() {
    let fixture = fixture();
    let (shape, rows) = tensor(&fixture["softmax_rows"]["input"]);
    let x = Tensor::from_vec(rows, &shape).expect("rows");
    let (_, torch) = tensor(&fixture["softmax_rows"]["output"]);
    assert_like_torch("softmax", &x.softmax(1).to_vec(), &torch);
    let norm = LayerNorm::build(&LayerNormConfig::new(3), &mut Init::seeded(0));
    let (_, torch) = tensor(&fixture["layer_norm_rows"]["output"]);
    assert_like_torch("layer_norm", &norm.call(x.clone()).to_vec(), &torch);
    // A linear layer: a NaN feature spoils its sample's outputs, no other sample's.
    let linear = Linear::build(&LinearConfig::new(3, 2), &mut Init::seeded(0));
    let out = linear.call(x).to_vec();
    assert!(
        out[..6].iter().all(|v| v.is_nan() || v.is_infinite()),
        "{out:?}"
    );
    assert!(out[6..].iter().all(|v| v.is_finite()), "{out:?}");
}

#[test]
fn a_zero_length_dimension_flows_through_ops_and_layers() {
    let fixture = fixture();
    let empty = Tensor::zeros(&[0, 4]);
    empty.set_requires_grad(true);
    let cases = [
        ("sum", empty.sum()),
        ("mean", empty.mean()),
        ("sum_axis0", empty.sum_axis(0, false)),
        ("mean_axis0", empty.mean_axis(0, false)),
        ("mean_axis1", empty.mean_axis(1, false)),
    ];
    for (name, ours) in cases {
        let (shape, torch) = tensor(&fixture["empty_0x4"][name]);
        assert_eq!(ours.shape(), shape.as_slice(), "{name}");
        assert_like_torch(name, &ours.to_vec(), &torch);
    }
    assert_eq!(empty.matmul(&Tensor::ones(&[4, 3])).shape(), &[0, 3]);
    assert_eq!(empty.softmax(1).shape(), &[0, 4]);
    assert_eq!(empty.relu().shape(), &[0, 4]);
    let linear = Linear::build(&LinearConfig::new(4, 3), &mut Init::seeded(0));
    let out = linear.call(empty.clone());
    assert_eq!(out.shape(), &[0, 3]);
    let norm = LayerNorm::build(&LayerNormConfig::new(4), &mut Init::seeded(0));
    assert_eq!(norm.call(empty.clone()).shape(), &[0, 4]);
    // Backward through an empty batch: zero gradients of the right shapes.
    out.sum().backward();
    assert_eq!(empty.grad().map(|g| g.shape().to_vec()), Some(vec![0, 4]));
    let weight_grad = linear.weight.grad().expect("a gradient");
    assert!(weight_grad.iter().all(|&g| g == 0.0));
}

#[test]
fn losses_over_an_empty_batch_are_zero_for_a_mean_and_a_sum() -> TestResult {
    let fixture = fixture();
    let logits = Tensor::zeros(&[0, 3]);
    let labels: Vec<usize> = Vec::new();
    let sum = |reduction| CrossEntropyLossConfig {
        reduction,
        ..Default::default()
    };
    let ours = [
        (
            "cross_entropy_mean",
            cross_entropy(&logits, labels.as_slice(), &sum(Reduction::Mean))?,
        ),
        (
            "cross_entropy_sum",
            cross_entropy(&logits, labels.as_slice(), &sum(Reduction::Sum))?,
        ),
        (
            "mse_mean",
            mse_loss(
                &Tensor::zeros(&[0, 4]),
                &Tensor::zeros(&[0, 4]),
                &MseLossConfig::default(),
            )?,
        ),
        (
            "mse_sum",
            mse_loss(
                &Tensor::zeros(&[0, 4]),
                &Tensor::zeros(&[0, 4]),
                &MseLossConfig {
                    reduction: Reduction::Sum,
                },
            )?,
        ),
    ];
    let mut found = Vec::new();
    for (name, loss) in ours {
        let (_, torch) = tensor(&fixture["empty_batch_losses"][name]);
        for (_, a, b) in differences(&loss.to_vec(), &torch) {
            found.push(format!("{name} = {a:?}, PyTorch {b:?}"));
        }
    }
    // The losses' one documented difference (`nn::loss`): a mean over nothing is 0, not NaN.
    assert_eq!(
        found,
        [
            "cross_entropy_mean = 0.0, PyTorch NaN",
            "mse_mean = 0.0, PyTorch NaN"
        ]
    );
    Ok(())
}

/// A linear classifier over 8 samples of 4 features scaled by `scale`, in batches of `batch`.
fn data(scale: f32, batch: usize, drop_last: bool) -> DataLoader<TensorDataset> {
    let features: Vec<f32> = (0..32).map(|i| ((i % 5) as f32 - 2.0) * scale).collect();
    let features =
        ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&[8, 4]), features).expect("8 × 4 values");
    let labels = Labels::Classes((0..8).map(|i| i % 3).collect());
    DataLoader::builder(TensorDataset::new(features, labels).expect("matching counts"))
        .batch_size(batch)
        .drop_last(drop_last)
        .build()
        .expect("a valid loader")
}

type Classifier = Configured<Linear>;

fn trainer(optimizer: &str, options: TrainerOptions) -> Trainer<Classifier> {
    let model =
        Linear::from_config(LinearConfig::new(4, 3), &mut Init::seeded(1)).expect("a valid config");
    let optimizer = optimizer_from_str(optimizer, &model).expect("a valid optimizer");
    Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .options(options)
        .build()
        .expect("a valid trainer")
}

fn weights(model: &dyn Module) -> Vec<u32> {
    model
        .state_dict()
        .iter()
        .flat_map(|(_, t)| t.to_vec())
        .map(f32::to_bits)
        .collect()
}

/// 8 samples whose 4 features are all `f32::MAX`, all of class 0, in batches of 4.
fn huge_features() -> DataLoader<TensorDataset> {
    let features = ndarray::ArrayD::from_elem(ndarray::IxDyn(&[8, 4]), f32::MAX);
    let set = TensorDataset::new(features, Labels::Classes(vec![0; 8])).expect("8 samples");
    DataLoader::builder(set)
        .batch_size(4)
        .build()
        .expect("a valid loader")
}

/// Zeroes every weight: the logits are 0, so the loss is ln 3, finite, whatever the inputs.
fn zero_weights(model: &mut Classifier) {
    let zeros: StateDict = model
        .state_dict()
        .iter()
        .map(|(k, t)| (k.to_string(), Tensor::zeros(t.shape())))
        .collect();
    model
        .load_state_dict(&zeros, true)
        .expect("same keys and shapes");
}

#[test]
fn an_exploding_gradient_stops_the_run_naming_epoch_and_step_or_is_skipped() {
    // A finite loss (ln 3) whose weight gradient, f32::MAX · (1/3 - 1) in 4 entries and
    // f32::MAX / 3 in 8, has a norm past f32::MAX.
    let train = huge_features();
    let mut stopped = trainer("sgd(lr=0.1)", TrainerOptions::default());
    zero_weights(stopped.model_mut());
    let before = weights(stopped.model());
    match stopped.fit(&train, None) {
        Err(TrainError::NonFiniteGradient {
            epoch: 1,
            step: 1,
            grad_norm,
        }) => assert!(grad_norm.is_infinite(), "{grad_norm}"),
        other => panic!("expected a non-finite gradient at epoch 1, step 1: {other:?}"),
    }
    assert_eq!(weights(stopped.model()), before, "no step was taken");
    let message = stopped.fit(&train, None).map(drop).unwrap_err().to_string();
    assert!(
        message.contains("epoch 1") && message.contains("step"),
        "{message}"
    );

    let mut skipping = trainer(
        "sgd(lr=0.1)",
        TrainerOptions {
            on_non_finite: OnNonFinite::Skip,
            ..TrainerOptions::default()
        },
    );
    zero_weights(skipping.model_mut());
    skipping
        .fit(&train, None)
        .expect("skipped steps are not errors");
    assert_eq!(weights(skipping.model()), before, "every step was skipped");
    assert_eq!(skipping.position().step, 2, "both steps counted");
}

#[test]
fn a_large_gradient_is_clipped_to_the_max_norm() {
    // Features of 1e6: a finite gradient norm in the millions, clipped to 1.
    let train = data(1e6, 8, false);
    let mut clipped = trainer(
        "sgd(lr=1.0)",
        TrainerOptions {
            clip_grad_norm: Some(1.0),
            ..TrainerOptions::default()
        },
    );
    let before: Vec<f32> = weights(clipped.model())
        .into_iter()
        .map(f32::from_bits)
        .collect();
    clipped.fit(&train, None).expect("training runs");
    let after: Vec<f32> = weights(clipped.model())
        .into_iter()
        .map(f32::from_bits)
        .collect();
    // One SGD step of lr 1 on gradients of norm at most 1 (+ rounding).
    let moved: f32 = before
        .iter()
        .zip(&after)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f32>()
        .sqrt();
    assert!(moved > 0.5 && moved <= 1.0 + 1e-5, "moved {moved}");
}

#[test]
fn a_batch_larger_than_the_data_set_is_one_short_batch_or_none_with_drop_last() {
    let whole = data(1.0, 100, false);
    let batches: Vec<_> = whole.iter().collect::<Result<_, _>>().expect("it reads");
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].inputs.shape(), &[8, 4]);
    let mut trainer1 = trainer("sgd(lr=0.1)", TrainerOptions::default());
    trainer1
        .fit(&whole, None)
        .expect("one step on the whole set");
    assert_eq!(trainer1.position().step, 1);

    let dropped = data(1.0, 100, true);
    assert_eq!(dropped.iter().count(), 0);
    let mut trainer2 = trainer("sgd(lr=0.1)", TrainerOptions::default());
    match trainer2.fit(&dropped, None) {
        Err(TrainError::EmptyData { .. }) => {}
        other => panic!("expected EmptyData when drop_last leaves no batch: {other:?}"),
    }
}

#[test]
fn a_learning_rate_of_zero_changes_no_weight_bitwise() {
    for name in OPTIMIZERS {
        // Weight decay and momentum too: with lr = 0 they scale a zero update.
        let spec = match *name {
            "sgd" => "sgd(lr=0, momentum=0.9, weight_decay=0.1, nesterov=true)".to_string(),
            "adam" | "adamw" => format!("{name}(lr=0, weight_decay=0.1, amsgrad=true)"),
            other => format!("{other}(lr=0, weight_decay=0.1)"),
        };
        let mut run = trainer(
            &spec,
            TrainerOptions {
                epochs: 3,
                ..TrainerOptions::default()
            },
        );
        let before = weights(run.model());
        run.fit(&data(1.0, 3, false), None).expect("training runs");
        assert_eq!(run.position().step, 9, "{spec}");
        assert_eq!(weights(run.model()), before, "{spec} moved a weight");
    }
}
