//! The estimator facade: `Classifier` on the digits (a registered MLP with dropout, and the
//! built-in `linear`), `Regressor` on seeded synthetic data; fit/predict/score, the not-fitted
//! error, get/set_params, re-initialise vs warm start (bit for bit), save/load, `Predictor`.

use minitrainer::data::{Digits, Labels};
use minitrainer::metrics::MetricSet;
use minitrainer::prelude::*;
use minitrainer::train::{Classifier, EstimatorOptions, Predictor, Regressor, evaluate_predictor};
use rand::RngExt;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Config of [`EstimatorMlp`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct EstimatorMlpConfig {
    #[config(default = 64, min = 1)]
    pub in_dim: usize,
    #[config(default = 32, min = 1)]
    pub hidden: usize,
    #[config(default = 10, min = 1)]
    pub classes: usize,
    #[config(default = 0.1, range = 0.0..1.0)]
    pub p: f32,
}

/// Linear → ReLU → dropout → linear: dropout makes the seed matter beyond the initial weights.
#[derive(Module)]
#[model(name = "estimator_mlp", config = EstimatorMlpConfig)]
pub struct EstimatorMlp {
    hidden: Linear,
    drop: Dropout,
    out: Linear,
}

impl Build for EstimatorMlp {
    type Config = EstimatorMlpConfig;
    fn build(config: &EstimatorMlpConfig, init: &mut Init) -> Self {
        EstimatorMlp {
            hidden: Linear::build(&LinearConfig::new(config.in_dim, config.hidden), init),
            drop: Dropout::build(&DropoutConfig { p: config.p }, init),
            out: Linear::build(&LinearConfig::new(config.hidden, config.classes), init),
        }
    }
}

impl Forward for EstimatorMlp {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(self.drop.call(self.hidden.call(x).relu()))
    }
}

const MLP: &str = "estimator_mlp(hidden=32)";

/// The digits as tensors: train rows [0, 1437), test rows [1437, 1797).
struct DigitsXy {
    x_train: Tensor,
    y_train: Vec<usize>,
    x_test: Tensor,
    y_test: Vec<usize>,
}

fn digits() -> DigitsXy {
    let set = Digits::load();
    let Labels::Classes(labels) = set.labels().clone() else {
        panic!("the digits have class labels")
    };
    let x = Tensor::from_array(set.features().clone());
    DigitsXy {
        x_train: x.narrow(0, 0, 1437),
        y_train: labels[..1437].to_vec(),
        x_test: x.narrow(0, 1437, 360),
        y_test: labels[1437..].to_vec(),
    }
}

fn options(epochs: u64) -> EstimatorOptions {
    EstimatorOptions {
        optimizer: "adam(lr=0.01)".into(),
        epochs,
        ..EstimatorOptions::default()
    }
}

/// Every parameter's bits, by name.
fn weights(model: &dyn Model) -> Vec<(String, Vec<u32>)> {
    model
        .named_parameters()
        .into_iter()
        .map(|(name, p)| {
            (
                name,
                p.tensor().to_vec().iter().map(|v| v.to_bits()).collect(),
            )
        })
        .collect()
}

#[test]
fn fit_chains_and_an_mlp_reaches_90_percent_on_the_digits() -> TestResult {
    let d = digits();
    let mut clf = Classifier::with_options(MLP, options(10))?;
    let accuracy = clf
        .fit(&d.x_train, &d.y_train)?
        .score(&d.x_test, &d.y_test)?;
    assert!(accuracy > 0.9, "test accuracy {accuracy}");
    let history = clf.history().ok_or("a history")?;
    assert_eq!(history.epochs.len(), 10);
    let predicted = clf.predict(&d.x_test)?;
    let hits = predicted
        .iter()
        .zip(&d.y_test)
        .filter(|(p, y)| p == y)
        .count();
    assert_eq!(hits as f64 / 360.0, accuracy);
    let proba = clf.predict_proba(&d.x_test.narrow(0, 0, 3))?;
    assert_eq!(proba.shape(), &[3, 10]);
    for row in proba.to_vec().chunks(10) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5, "{row:?}");
    }
    Ok(())
}

#[test]
fn predict_before_fit_is_a_not_fitted_error() -> TestResult {
    let d = digits();
    let mut clf = Classifier::new("linear(in_features=64, out_features=10)")?;
    let message = clf.predict(&d.x_test).unwrap_err().to_string();
    assert_eq!(
        message,
        "this Classifier is not fitted yet: call `fit` before `predict`"
    );
    assert!(clf.predict_proba(&d.x_test).is_err() && clf.score(&d.x_test, &d.y_test).is_err());
    let err = clf
        .save(crate::scratch_dir("estimator-unfitted"))
        .unwrap_err();
    assert!(err.to_string().contains("before `save`"), "{err}");
    assert!(!clf.is_fitted());
    Ok(())
}

#[test]
fn data_that_does_not_fit_is_refused_before_training() -> TestResult {
    let d = digits();
    let mut clf = Classifier::with_options("linear(in_features=64, out_features=10)", options(1))?;
    let err = clf.fit(&d.x_train, &d.y_test).unwrap_err().to_string();
    assert!(
        err.contains("x has 1437 rows but y has 360 targets"),
        "{err}"
    );
    let mut labels = d.y_train.clone();
    labels[7] = 10;
    let err = clf.fit(&d.x_train, &labels).unwrap_err().to_string();
    assert!(
        err.contains("label 10 (sample 7) is out of range: the model outputs 10 classes"),
        "{err}"
    );
    assert!(!clf.is_fitted());
    Ok(())
}

#[test]
fn a_bad_spec_or_option_is_refused_at_construction() {
    let err = Classifier::new("linera(in_features=64, out_features=10)").unwrap_err();
    assert!(
        err.to_string().contains(r#"did you mean "linear"?"#),
        "{err}"
    );
    let err = Classifier::new("linear(in_features=64, out_feature=10)").unwrap_err();
    assert!(
        err.to_string().contains(r#"did you mean "out_features"?"#),
        "{err}"
    );
    let bad_optimizer = EstimatorOptions {
        optimizer: "adamm(lr=0.01)".into(),
        ..EstimatorOptions::default()
    };
    let err = Classifier::with_options("linear(in_features=4, out_features=2)", bad_optimizer);
    assert!(err.unwrap_err().to_string().contains("adamm"));
    let bad_loss = EstimatorOptions {
        loss: Some("cross_entropi".into()),
        ..EstimatorOptions::default()
    };
    let err = Regressor::with_options("linear(in_features=4, out_features=2)", bad_loss);
    assert!(
        err.unwrap_err()
            .to_string()
            .contains(r#"did you mean "cross_entropy"?"#)
    );
}

#[test]
fn get_params_and_set_params_round_trip() -> TestResult {
    let mut clf = Classifier::new("linear(in_features=64, out_features=10)")?;
    let params = clf.get_params();
    assert_eq!(params["model"]["model_type"], "linear");
    assert_eq!(
        params["model"]["bias"], true,
        "defaults are written: {params}"
    );
    assert_eq!(params["options"]["epochs"], 10);
    assert_eq!(params["options"]["warm_start"], false);
    clf.set_params(r#"{"options": {"epochs": 3, "seed": 7}, "model": {"bias": false}}"#)?;
    let changed = clf.get_params();
    assert_eq!(
        (
            changed["options"]["epochs"].clone(),
            changed["options"]["seed"].clone()
        ),
        (3.into(), 7.into())
    );
    assert_eq!(changed["model"]["bias"], false);
    assert_eq!(
        changed["model"]["in_features"], 64,
        "a partial update keeps the rest"
    );
    // The whole of get_params is accepted back, and changes nothing.
    let mut other = Classifier::new("linear(in_features=4, out_features=2)")?;
    other.set_params(&changed.to_string())?;
    assert_eq!(other.get_params(), changed);
    Ok(())
}

#[test]
fn set_params_rejects_unknown_keys_with_a_suggestion_and_bad_values_by_name() -> TestResult {
    let mut clf = Classifier::new("linear(in_features=64, out_features=10)")?;
    let before = clf.get_params();
    let err = clf
        .set_params(r#"{"options": {"epoch": 3}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(r#"unknown field "epoch"; did you mean "epochs"?"#),
        "{err}"
    );
    let err = clf.set_params(r#"{"optons": {}}"#).unwrap_err().to_string();
    assert!(
        err.contains(r#"unknown parameter group "optons"; did you mean "options"?"#),
        "{err}"
    );
    let err = clf.set_params(r#"{"epochs": 3}"#).unwrap_err().to_string();
    assert!(
        err.contains(r#"did you mean {"options": {"epochs": ...}}?"#),
        "{err}"
    );
    let err = clf
        .set_params(r#"{"options": {"batch_size": 0}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid `options` parameters") && err.contains("batch_size"),
        "{err}"
    );
    let err = clf
        .set_params(r#"{"model": {"out_features": -1}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid `model` parameters") && err.contains("out_features"),
        "{err}"
    );
    let err =
        clf.set_params(r#"{"options": {"optimizer": "sgd(lr=-1)"}, "model": {"bias": false}}"#);
    assert!(err.unwrap_err().to_string().contains("lr"));
    assert_eq!(clf.get_params(), before, "a refused update changes nothing");
    Ok(())
}

#[test]
fn a_second_fit_re_initialises_unless_warm_start() -> TestResult {
    let d = digits();
    let (x, y) = (d.x_train.narrow(0, 0, 256), &d.y_train[..256]);
    let once = Classifier::with_options(MLP, options(2))?
        .fit(&x, y)?
        .model()
        .map(weights)?;
    let mut twice = Classifier::with_options(MLP, options(2))?;
    twice.fit(&x, y)?.fit(&x, y)?;
    assert_eq!(
        twice.model().map(weights)?,
        once,
        "re-initialised: as one fit, bit for bit"
    );

    let mut warm = Classifier::with_options(
        MLP,
        EstimatorOptions {
            warm_start: true,
            ..options(2)
        },
    )?;
    let first = warm.fit(&x, y)?.model().map(weights)?;
    assert_eq!(
        first, once,
        "a first fit is the same with or without warm_start"
    );
    let second = warm.fit(&x, y)?.model().map(weights)?;
    assert_ne!(second, once, "warm start continues from the fitted weights");
    // Changing the model's config drops the fitted weights.
    warm.set_params(r#"{"model": {"hidden": 16}}"#)?;
    assert!(!warm.is_fitted());
    Ok(())
}

#[test]
fn save_and_load_give_the_same_predictions() -> TestResult {
    let d = digits();
    let dir = crate::scratch_dir("estimator-save");
    let mut clf = Classifier::with_options(MLP, options(1))?;
    clf.set_params(r#"{"options": {"warm_start": true}}"#)?;
    let proba = clf.fit(&d.x_train, &d.y_train)?.predict_proba(&d.x_test)?;
    clf.save(&dir)?;
    let mut loaded = Classifier::load(&dir)?;
    assert_eq!(loaded.get_params(), clf.get_params());
    assert!(loaded.is_fitted());
    let bits = |t: &Tensor| t.to_vec().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&loaded.predict_proba(&d.x_test)?), bits(&proba));
    // The model alone loads by name, and the other estimator refuses the directory.
    let model = minitrainer::from_pretrained(&dir)?;
    assert_eq!(model.model_type(), "estimator_mlp");
    let err = Regressor::load(&dir).unwrap_err().to_string();
    assert!(err.contains("holds a Classifier, not a Regressor"), "{err}");
    Ok(())
}

#[test]
fn estimators_are_predictors() -> TestResult {
    let d = digits();
    let mut clf = Classifier::with_options("linear(in_features=64, out_features=10)", options(10))?;
    clf.fit(&d.x_train, &d.y_train)?;
    let (_, test) = Digits::train_test();
    let test = minitrainer::data::DataLoader::builder(test)
        .batch_size(100)
        .build()?;
    let mut metrics = MetricSet::from_specs(["accuracy"])?;
    let values = evaluate_predictor(&mut clf, &test, &mut metrics)?;
    assert_eq!(values[0].1, clf.score(&d.x_test, &d.y_test)?);
    assert!(values[0].1 > 0.8, "{values:?}");
    let logits = clf.predict_batch(d.x_test.narrow(0, 0, 2))?;
    assert_eq!(logits.shape(), &[2, 10]);
    Ok(())
}

/// `n` samples of 3 features in [-1, 1) and y = x·w + 0.5 + small noise, from a seeded generator.
fn linear_data(n: usize, seed: u64) -> Result<(Tensor, Tensor), minitrainer::Error> {
    let mut rng = seeded_rng(seed);
    let w = [1.5_f32, -2.0, 0.5];
    let x: Vec<f32> = (0..n * 3).map(|_| rng.random_range(-1.0..1.0)).collect();
    let y: Vec<f32> = x
        .chunks(3)
        .map(|r| {
            r.iter().zip(w).map(|(a, b)| a * b).sum::<f32>() + 0.5 + rng.random_range(-0.05..0.05)
        })
        .collect();
    Ok((Tensor::from_vec(x, &[n, 3])?, Tensor::from_vec(y, &[n])?))
}

#[test]
fn a_regressor_fits_a_linear_relation() -> TestResult {
    let (x, y) = linear_data(256, 1)?;
    let (x_test, y_test) = linear_data(64, 2)?;
    let options = EstimatorOptions {
        optimizer: "adam(lr=0.05)".into(),
        ..options(40)
    };
    let mut reg = Regressor::with_options("linear(in_features=3, out_features=1)", options)?;
    let r2 = reg.fit(&x, &y)?.score(&x_test, &y_test)?;
    assert!(r2 > 0.9, "R² {r2}");
    assert_eq!(reg.predict(&x_test)?.shape(), &[64, 1]);
    assert_eq!(reg.get_params()["options"]["loss"], serde_json::Value::Null);
    let wide = Tensor::from_vec(vec![0.0; 512], &[256, 2])?;
    let err = reg.fit(&x, &wide).unwrap_err().to_string();
    assert!(
        err.contains("each target has shape [2] but `linear` outputs [1] per sample"),
        "{err}"
    );
    assert!(
        reg.is_fitted(),
        "a fit refused before training keeps the fitted model"
    );
    assert_eq!(reg.score(&x_test, &y_test)?, r2);
    Ok(())
}

#[test]
#[should_panic(expected = "expected input of shape [..., 64], got [1, 32]")]
fn features_the_model_does_not_take_panic_naming_the_layer() {
    let x = Tensor::zeros(&[4, 32]);
    let mut clf = Classifier::new("linear(in_features=64, out_features=10)").expect("a valid spec");
    let _ = clf.fit(&x, &[0, 1, 2, 3]);
}
