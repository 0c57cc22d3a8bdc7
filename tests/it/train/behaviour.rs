//! What a run does when something goes wrong or is asked of it: the non-finite guard, the
//! step budget, evaluation restoring the mode, early stopping restoring the best weights.

use minitrainer::data::{DataLoader, Dataset, Example, Target, TensorDataset};
use minitrainer::ndarray::{ArrayD, IxDyn};
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::optimizer_from_str;
use minitrainer::prelude::*;
use minitrainer::train::callbacks::{EarlyStopping, EarlyStoppingConfig};
use minitrainer::train::{MonitorMode, OnNonFinite, TrainError, Trainer, TrainerOptions};

use super::{Net, digits, net, trainer, weight_bits};

/// 40 digit-like rows of 64 features, row `bad` holding a NaN.
fn rows_with_nan(bad: usize) -> TensorDataset {
    let mut features = ArrayD::from_shape_fn(IxDyn(&[40, 64]), |i| {
        ((i[0] * 64 + i[1]) % 17) as f32 / 17.0
    });
    features[[bad, 3]] = f32::NAN;
    TensorDataset::classification(features, (0..40).map(|i| i % 10).collect()).expect("fits")
}

fn sgd_trainer(options: TrainerOptions) -> Trainer<Net> {
    let model = net(0);
    let optimizer = optimizer_from_str("sgd(lr=0.1)", &model).expect("valid");
    Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .options(options)
        .build()
        .expect("valid trainer")
}

#[test]
fn a_nan_loss_stops_training_naming_the_epoch_and_step() {
    // Unshuffled batches of 4: row 9 is in the third batch.
    let loader = DataLoader::builder(rows_with_nan(9))
        .batch_size(4)
        .build()
        .unwrap();
    let mut trainer = sgd_trainer(TrainerOptions::default());
    let before = weight_bits(trainer.model());
    let err = trainer.fit(&loader, None).unwrap_err();
    assert!(
        matches!(err, TrainError::NonFiniteLoss { epoch: 1, step: 3, loss } if loss.is_nan()),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("the loss is NaN at epoch 1, step 3"),
        "{message}"
    );
    // Two steps were taken; the third was refused before the update.
    assert_eq!(trainer.position().step, 2);
    assert_ne!(before, weight_bits(trainer.model()));
    let params = trainer.model().state_dict();
    assert!(
        params
            .iter()
            .all(|(_, t)| t.to_vec().iter().all(|v| v.is_finite()))
    );
}

#[test]
fn a_nan_loss_can_be_skipped_and_training_goes_on() {
    let loader = DataLoader::builder(rows_with_nan(9))
        .batch_size(4)
        .build()
        .unwrap();
    let options = TrainerOptions {
        epochs: 2,
        on_non_finite: OnNonFinite::Skip,
        ..TrainerOptions::default()
    };
    let mut trainer = sgd_trainer(options);
    let history = trainer
        .fit(&loader, None)
        .expect("skipping keeps the run going");
    assert_eq!(trainer.position().step, 20);
    assert!(history.metric("train_loss").iter().all(|v| v.is_finite()));
    let params = trainer.model().state_dict();
    assert!(
        params
            .iter()
            .all(|(_, t)| t.to_vec().iter().all(|v| v.is_finite()))
    );
}

#[test]
fn a_step_budget_ends_the_run_mid_epoch_and_validates_there() {
    let (train, test) = digits(0);
    let options = TrainerOptions {
        epochs: 5,
        max_steps: Some(50),
        ..TrainerOptions::default()
    };
    let mut trainer = trainer(0, options);
    let history = trainer.fit(&train, Some(&test)).expect("runs");
    let position = trainer.position();
    assert_eq!((position.epoch, position.step, position.batch), (2, 50, 5));
    assert_eq!(history.epochs.len(), 1);
    assert_eq!(history.validations.len(), 1);
    assert_eq!(history.validations[0].step, 50);
    assert!(history.validations[0].get("valid_accuracy").is_some());
}

/// A set whose sample 5 cannot be read.
struct Unreadable;

impl Dataset for Unreadable {
    type Item = Example;
    type Error = std::io::Error;
    fn len(&self) -> usize {
        10
    }
    fn get(&self, index: usize) -> Result<Example, std::io::Error> {
        if index == 5 {
            return Err(std::io::Error::other("sector 5 unreadable"));
        }
        Ok(Example {
            features: ArrayD::zeros(IxDyn(&[64])),
            target: Target::Class(0),
        })
    }
}

#[test]
fn evaluation_that_fails_leaves_the_model_in_its_modes() {
    let mut trainer = sgd_trainer(TrainerOptions::default());
    trainer.model_mut().train();
    let loader = DataLoader::builder(Unreadable)
        .batch_size(4)
        .build()
        .unwrap();
    let err = trainer.evaluate(&loader).unwrap_err();
    assert!(
        matches!(
            err,
            TrainError::Data {
                split: "evaluation",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("sector 5 unreadable"), "{err}");
    assert!(trainer.model().is_training());

    // A submodule kept in eval mode stays there.
    trainer.model_mut().drop.eval();
    let _ = trainer.predict(&loader).unwrap_err();
    assert!(trainer.model().hidden.is_training());
    assert!(!trainer.model().drop.is_training());
}

#[test]
fn a_failed_fit_reports_the_data_error_with_the_epoch() {
    let mut trainer = sgd_trainer(TrainerOptions::default());
    let loader = DataLoader::builder(Unreadable)
        .batch_size(4)
        .build()
        .unwrap();
    let err = trainer.fit(&loader, None).unwrap_err().to_string();
    assert!(err.starts_with("reading training data at epoch 1"), "{err}");
    assert!(trainer.model().is_training());
}

#[test]
fn early_stopping_stops_and_restores_the_best_epochs_weights() {
    // The train loss falls every epoch, so in "max" mode epoch 1 stays the best: the run stops
    // after `patience` epochs without improvement and puts epoch 1's weights back.
    let stopper = || {
        EarlyStopping::new(EarlyStoppingConfig {
            monitor: "train_loss".into(),
            mode: MonitorMode::Max,
            patience: 2,
            ..EarlyStoppingConfig::default()
        })
        .expect("valid config")
    };
    let build = |epochs| {
        let model = net(4);
        let optimizer = optimizer_from_str("adam(lr=0.01)", &model).expect("valid");
        Trainer::builder(model, optimizer)
            .loss(CrossEntropyLoss::default())
            .callback(stopper())
            .epochs(epochs)
            .build()
            .expect("valid trainer")
    };
    let (train, _) = digits(0);
    let mut stopped = build(10);
    let history = stopped.fit(&train, None).expect("runs");
    assert_eq!(
        history.epochs.len(),
        3,
        "epoch 1 best, then 2 without improvement"
    );
    assert!(
        stopped
            .stop_reason()
            .unwrap()
            .contains("has not improved for 2 epochs")
    );
    assert!(stopped.is_finished());

    let mut one_epoch = build(1);
    one_epoch.fit(&train, None).expect("runs");
    assert_eq!(weight_bits(stopped.model()), weight_bits(one_epoch.model()));
}

#[test]
fn early_stopping_on_a_metric_the_run_lacks_is_an_error_naming_the_metrics() {
    let stopper = EarlyStopping::new(EarlyStoppingConfig::default()).expect("valid config");
    let model = net(0);
    let optimizer = optimizer_from_str("sgd(lr=0.1)", &model).expect("valid");
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .callback(stopper)
        .build()
        .expect("valid trainer");
    let (train, _) = digits(0);
    let err = trainer.fit(&train, None).unwrap_err().to_string();
    assert!(err.contains("no metric `valid_loss`"), "{err}");
    assert!(err.contains("train_loss"), "{err}");
}

#[test]
fn bad_options_are_refused_when_building() {
    let model = net(0);
    let optimizer = optimizer_from_str("sgd(lr=0.1)", &model).expect("valid");
    let err = Trainer::builder(model, optimizer)
        .epochs(0)
        .build()
        .err()
        .expect("no epochs and no budget")
        .to_string();
    assert!(err.contains("max_steps"), "{err}");
    let model = net(0);
    let optimizer = optimizer_from_str("sgd(lr=0.1)", &model).expect("valid");
    let err = Trainer::builder(model, optimizer)
        .build()
        .err()
        .expect("no loss")
        .to_string();
    assert!(err.contains("no loss"), "{err}");
}

#[test]
fn an_empty_training_set_is_an_error() {
    let empty = TensorDataset::classification(ArrayD::zeros(IxDyn(&[0, 64])), vec![]).unwrap();
    let loader = DataLoader::builder(empty).batch_size(4).build().unwrap();
    let mut trainer = sgd_trainer(TrainerOptions::default());
    let err = trainer.fit(&loader, None).unwrap_err().to_string();
    assert!(err.contains("the training data has no batch"), "{err}");
}
