//! The losses as a user calls them: values and gradients against PyTorch's (the fixture
//! `tools/reference/gen_losses.py` writes), the error paths, and the loss modules.

use minitrainer::config::Config;
use minitrainer::nn::loss::{
    BceWithLogitsLoss, BceWithLogitsLossConfig, CrossEntropyLoss, CrossEntropyLossConfig,
    HuberLoss, HuberLossConfig, L1Loss, L1LossConfig, LossError, MseLoss, MseLossConfig, NllLoss,
    NllLossConfig, Reduction, SmoothL1Loss, SmoothL1LossConfig, bce_with_logits, cross_entropy,
    l1_loss, mse_loss, nll_loss,
};
use minitrainer::prelude::{Build, Init, Module, Tensor};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const FIXTURE: &str = include_str!("../../minitrainer-core/tests/fixtures/losses.json");
/// A value or gradient entry matches PyTorch's when within this relative error...
const RTOL: f64 = 1e-6;
/// ...or this absolute error (entries near zero).
const ATOL: f64 = 1e-7;

// ---- against PyTorch ------------------------------------------------------------------------

/// A tensor from the fixture's `{shape, values}`.
fn tensor(value: &Value) -> Result<Tensor, Box<dyn std::error::Error>> {
    let shape: Vec<usize> = serde_json::from_value(value["shape"].clone())?;
    let values: Vec<f64> = serde_json::from_value(value["values"].clone())?;
    // The fixture holds f32 values written as the shortest f64 text: the cast is exact.
    let values = values.into_iter().map(|x| x as f32).collect();
    Ok(Tensor::from_vec(values, &shape)?)
}

/// The loss of one fixture case, computed through the loss module built from its options.
fn run_case(case: &Value, input: &Tensor, target: &Tensor) -> Result<Tensor, LossError> {
    let options = case["options"].clone();
    let init = &mut Init::default();
    let config_error = |e| LossError::Config(e);
    match case["loss"].as_str().unwrap_or_default() {
        "cross_entropy" => {
            let config = CrossEntropyLossConfig::from_value(options).map_err(config_error)?;
            CrossEntropyLoss::build(&config, init).forward(input, target)
        }
        "nll" => {
            let config = NllLossConfig::from_value(options).map_err(config_error)?;
            NllLoss::build(&config, init).forward(input, target)
        }
        "bce_with_logits" => {
            let config = BceWithLogitsLossConfig::from_value(options).map_err(config_error)?;
            BceWithLogitsLoss::build(&config, init).forward(input, target)
        }
        "mse" => {
            let config = MseLossConfig::from_value(options).map_err(config_error)?;
            MseLoss::build(&config, init).forward(input, target)
        }
        "l1" => {
            let config = L1LossConfig::from_value(options).map_err(config_error)?;
            L1Loss::build(&config, init).forward(input, target)
        }
        "smooth_l1" => {
            let config = SmoothL1LossConfig::from_value(options).map_err(config_error)?;
            SmoothL1Loss::build(&config, init).forward(input, target)
        }
        "huber" => {
            let config = HuberLossConfig::from_value(options).map_err(config_error)?;
            HuberLoss::build(&config, init).forward(input, target)
        }
        other => panic!("fixture names an unknown loss {other:?}"),
    }
}

/// The worst relative error (with entries within `ATOL` counted as exact) of `actual`
/// against `expected`, or a description of the first entry outside the tolerance.
fn compare(what: &str, actual: &Tensor, expected: &Tensor) -> Result<f64, String> {
    if actual.shape() != expected.shape() {
        return Err(format!(
            "{what}: shape {:?}, PyTorch {:?}",
            actual.shape(),
            expected.shape()
        ));
    }
    let mut worst: f64 = 0.0;
    for (i, (&a, &e)) in actual.data().iter().zip(expected.data().iter()).enumerate() {
        let (a, e) = (f64::from(a), f64::from(e));
        let error = (a - e).abs();
        if error <= ATOL {
            continue;
        }
        let relative = error / e.abs();
        if relative > RTOL {
            return Err(format!(
                "{what}[{i}]: {a}, PyTorch {e} (relative error {relative:.2e})"
            ));
        }
        worst = worst.max(relative);
    }
    Ok(worst)
}

#[test]
fn every_loss_matches_pytorch_values_and_gradients() -> TestResult {
    let fixture: Value = serde_json::from_str(FIXTURE)?;
    let cases = fixture["cases"].as_array().ok_or("fixture has no cases")?;
    assert!(cases.len() >= 70, "fixture has {} cases", cases.len());
    let (mut failures, mut worst) = (Vec::new(), 0.0_f64);
    for case in cases {
        let name = format!("{} / {}", case["loss"], case["name"]);
        let input = tensor(&case["input"])?;
        input.set_requires_grad(true);
        let target = match case.get("labels") {
            Some(labels) => tensor(labels)?,
            None => tensor(&case["target"])?,
        };
        let wants_target_grad = case.get("target_grad").is_some();
        target.set_requires_grad(wants_target_grad);
        let loss = run_case(case, &input, &target)?;
        // PyTorch's gradients are those of `loss.sum()` (the loss itself when reduced).
        loss.sum().backward();
        let mut checks = vec![
            ("value", loss, tensor(&case["value"])?),
            (
                "input grad",
                input.grad_tensor()?,
                tensor(&case["input_grad"])?,
            ),
        ];
        if wants_target_grad {
            checks.push((
                "target grad",
                target.grad_tensor()?,
                tensor(&case["target_grad"])?,
            ));
        }
        for (what, actual, expected) in checks {
            match compare(what, &actual, &expected) {
                Ok(error) => worst = worst.max(error),
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
    }
    eprintln!("losses vs PyTorch: worst relative error {worst:.2e} beyond {ATOL:e} absolute");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

/// The gradient as a tensor, or an error when there is none.
trait GradTensor {
    fn grad_tensor(&self) -> Result<Tensor, String>;
}

impl GradTensor for Tensor {
    fn grad_tensor(&self) -> Result<Tensor, String> {
        self.grad()
            .map(Tensor::from_array)
            .ok_or_else(|| "no gradient".to_owned())
    }
}

#[test]
fn labels_as_a_slice_a_vec_and_a_tensor_give_the_same_loss() -> TestResult {
    let logits = Tensor::from_vec(vec![0.5, -1.0, 2.0, 0.0, 1.0, -0.5], &[2, 3])?;
    let config = CrossEntropyLossConfig::default();
    let from_slice = cross_entropy(&logits, &[2, 1], &config)?.item();
    let from_vec = cross_entropy(&logits, vec![2, 1], &config)?.item();
    let from_tensor = cross_entropy(&logits, Tensor::from_vec(vec![2.0, 1.0], &[2])?, &config)?;
    assert_eq!(from_slice, from_vec);
    assert_eq!(from_slice, from_tensor.item());
    Ok(())
}

#[test]
fn cross_entropy_stays_finite_for_huge_logits() -> TestResult {
    // log-sum-exp with the maximum subtracted: e^1e4 would overflow f32.
    let logits = Tensor::from_vec(vec![1e4, 0.0, -1e4, 1e4], &[2, 2])?;
    logits.set_requires_grad(true);
    let loss = cross_entropy(&logits, &[0, 0], &CrossEntropyLossConfig::default())?;
    // Sample 0 is certain and right (0); sample 1 is certain and wrong by 2e4: mean 1e4.
    assert_eq!(loss.item(), 1e4);
    loss.backward();
    // d/dx = (softmax - onehot) / N: [0, 0] and [-1/2, 1/2].
    assert_eq!(logits.grad_tensor()?.to_vec(), vec![0.0, 0.0, -0.5, 0.5]);
    Ok(())
}

// ---- all ignored --------------------------------------------------------------------------

#[test]
fn all_ignored_batch_gives_zero_loss_and_zero_gradient_not_nan() -> TestResult {
    let logits = Tensor::from_vec(vec![0.5, -1.0, 2.0, 0.0, 1.0, -0.5], &[2, 3])?;
    logits.set_requires_grad(true);
    let labels = Tensor::from_vec(vec![-100.0, -100.0], &[2])?;
    for label_smoothing in [0.0, 0.1] {
        let config = CrossEntropyLossConfig {
            label_smoothing,
            ..Default::default()
        };
        let loss = cross_entropy(&logits, &labels, &config)?;
        assert_eq!(loss.item(), 0.0);
        loss.backward();
    }
    let nll = nll_loss(&logits, &labels, &NllLossConfig::default())?;
    assert_eq!(nll.item(), 0.0);
    nll.backward();
    assert_eq!(logits.grad_tensor()?.to_vec(), vec![0.0; 6]);
    Ok(())
}

#[test]
fn all_ignored_batch_sums_to_zero_and_gives_zeros_per_sample() -> TestResult {
    let logits = Tensor::from_vec(vec![0.5, -1.0, 2.0, 0.0, 1.0, -0.5], &[2, 3])?;
    let labels = Tensor::from_vec(vec![-100.0, -100.0], &[2])?;
    for (reduction, expected) in [(Reduction::Sum, vec![0.0]), (Reduction::None, vec![0.0; 2])] {
        let config = CrossEntropyLossConfig {
            reduction,
            ..Default::default()
        };
        assert_eq!(cross_entropy(&logits, &labels, &config)?.to_vec(), expected);
    }
    Ok(())
}

// ---- errors --------------------------------------------------------------------------------

#[test]
fn label_out_of_range_names_the_label_its_position_and_the_class_count() -> TestResult {
    let logits = Tensor::zeros(&[3, 4]);
    let error = cross_entropy(&logits, &[0, 3, 4], &CrossEntropyLossConfig::default())
        .expect_err("label 4 of 4 classes");
    assert_eq!(
        error.to_string(),
        "cross_entropy: label 4 at position [2] is out of range for 4 classes; labels must be \
         in 0..4 (or equal `ignore_index`, -100)"
    );
    assert!(matches!(
        error,
        LossError::LabelOutOfRange {
            label: 4,
            classes: 4,
            ..
        }
    ));
    Ok(())
}

#[test]
fn negative_label_other_than_ignore_index_is_out_of_range() -> TestResult {
    let logits = Tensor::zeros(&[2, 2, 3]);
    let labels = Tensor::from_vec(vec![0.0, 1.0, -100.0, -1.0, 0.0, 1.0], &[2, 3])?;
    let error = nll_loss(&logits, &labels, &NllLossConfig::default()).expect_err("-1");
    assert_eq!(
        error,
        LossError::LabelOutOfRange {
            loss: "nll_loss",
            label: -1,
            position: vec![1, 0],
            classes: 2,
            ignore_index: -100,
        }
    );
    Ok(())
}

#[test]
fn fractional_label_tensor_is_an_error_naming_the_value() -> TestResult {
    let logits = Tensor::zeros(&[2, 3]);
    let labels = Tensor::from_vec(vec![1.0, 1.5], &[2])?;
    let error = cross_entropy(&logits, &labels, &CrossEntropyLossConfig::default())
        .expect_err("1.5 is no label");
    assert!(
        error
            .to_string()
            .starts_with("cross_entropy: label 1.5 at position [1] is not a whole number"),
        "{error}"
    );
    let nan = Tensor::from_vec(vec![f32::NAN, 0.0], &[2])?;
    assert!(matches!(
        cross_entropy(&logits, &nan, &CrossEntropyLossConfig::default()),
        Err(LossError::NotALabel { .. })
    ));
    Ok(())
}

#[test]
fn label_shape_that_does_not_fit_the_logits_is_an_error() -> TestResult {
    let logits = Tensor::zeros(&[2, 3]);
    let error = cross_entropy(&logits, &[0, 1, 2], &CrossEntropyLossConfig::default())
        .expect_err("3 labels for 2 rows");
    assert_eq!(
        error.to_string(),
        "cross_entropy: labels of shape [3] do not fit an input of shape [2, 3]; expected \
         labels of shape [2] (the input's shape without the class axis 1)"
    );
    let vector = Tensor::zeros(&[3]);
    assert!(matches!(
        cross_entropy(&vector, &[0], &CrossEntropyLossConfig::default()),
        Err(LossError::InputShape { .. })
    ));
    Ok(())
}

#[test]
fn prediction_and_target_of_different_shapes_are_an_error() -> TestResult {
    let prediction = Tensor::zeros(&[4, 1]);
    let target = Tensor::zeros(&[4]);
    let error = mse_loss(&prediction, &target, &MseLossConfig::default()).expect_err("shapes");
    assert_eq!(
        error.to_string(),
        "mse_loss: the target's shape [4] differs from the prediction's [4, 1]; reshape one of \
         them (losses do not broadcast)"
    );
    assert!(bce_with_logits(&prediction, &target, &BceWithLogitsLossConfig::default()).is_err());
    Ok(())
}

#[test]
fn weight_of_the_wrong_length_is_an_error() -> TestResult {
    let logits = Tensor::zeros(&[2, 3]);
    let config = CrossEntropyLossConfig {
        weight: Some(vec![1.0, 2.0]),
        ..Default::default()
    };
    let error = cross_entropy(&logits, &[0, 1], &config).expect_err("2 weights, 3 classes");
    assert_eq!(
        error.to_string(),
        "cross_entropy: `weight` has 2 entries, expected 3 (one per class)"
    );
    let config = BceWithLogitsLossConfig {
        pos_weight: Some(vec![1.0, 2.0]),
        ..Default::default()
    };
    let error = bce_with_logits(&logits, &logits, &config).expect_err("2 pos weights, 3 columns");
    assert!(
        error.to_string().contains("`pos_weight` has 2 entries"),
        "{error}"
    );
    Ok(())
}

#[test]
fn invalid_options_are_errors_even_from_a_struct_literal() -> TestResult {
    let logits = Tensor::zeros(&[2, 3]);
    let config = CrossEntropyLossConfig {
        label_smoothing: 1.5,
        ..Default::default()
    };
    let error = cross_entropy(&logits, &[0, 1], &config).expect_err("label_smoothing 1.5");
    assert_eq!(
        error.to_string(),
        "label_smoothing: must be in 0.0..=1.0, got 1.5"
    );
    let text = json!({"delta": 0.0}).to_string();
    assert!(HuberLossConfig::from_json(&text).is_err());
    assert!(SmoothL1LossConfig::from_json(r#"{"beta": -1.0}"#).is_err());
    Ok(())
}

#[test]
fn loss_errors_convert_into_the_crate_error() -> TestResult {
    fn train_step(logits: &Tensor) -> minitrainer::Result<f32> {
        Ok(cross_entropy(logits, &[7], &CrossEntropyLossConfig::default())?.item())
    }
    let error = train_step(&Tensor::zeros(&[1, 3])).expect_err("label 7");
    assert!(matches!(error, minitrainer::Error::Loss(_)));
    Ok(())
}

// ---- modules and configs -------------------------------------------------------------------

#[test]
fn loss_modules_hold_no_state_and_read_pytorch_style_configs() -> TestResult {
    let config = CrossEntropyLossConfig::from_json(
        r#"{"weight": [1.0, 2.0], "ignore_index": 0, "label_smoothing": 0.05, "reduction": "sum"}"#,
    )?;
    assert_eq!(config.reduction, Reduction::Sum);
    assert_eq!(config.ignore_index, 0);
    let loss_fn = CrossEntropyLoss::try_build(&config, &mut Init::default())?;
    assert_eq!(loss_fn.config(), &config);
    assert!(loss_fn.named_parameters().is_empty());
    assert!(loss_fn.state_dict().is_empty());
    // Label 0 is ignored: the sum is sample 1's loss alone.
    let logits = Tensor::from_vec(vec![0.0, 0.0, 1.0, -1.0], &[2, 2])?;
    let both = loss_fn.forward(&logits, &[0, 1])?.item();
    let alone = loss_fn.forward(&logits.narrow(0, 1, 1), &[1])?.item();
    assert_eq!(both, alone);
    assert_eq!(MseLoss::default().config().reduction, Reduction::Mean);
    Ok(())
}

#[test]
fn l1_gradient_at_a_zero_difference_is_zero_as_in_pytorch() -> TestResult {
    let prediction = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3])?;
    prediction.set_requires_grad(true);
    let target = Tensor::from_vec(vec![0.0, 2.0, 4.0], &[3])?;
    let config = L1LossConfig {
        reduction: Reduction::Sum,
    };
    l1_loss(&prediction, &target, &config)?.backward();
    // d|x - y|/dx = sign(x - y), sign 0 = 0.
    assert_eq!(prediction.grad_tensor()?.to_vec(), vec![1.0, 0.0, -1.0]);
    Ok(())
}
