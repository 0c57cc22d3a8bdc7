//! What one optimizer step is: gradient accumulation against a hand-written loop, and a
//! per-step scheduler's learning rate as the step used it.

use minitrainer::data::{Batch, DataLoader, Targets};
use minitrainer::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig, cross_entropy};
use minitrainer::optim::schedule::scheduler_from_str;
use minitrainer::optim::{Optimizer, Sgd, SgdConfig};
use minitrainer::prelude::*;
use minitrainer::train::callbacks::MetricsLog;
use minitrainer::train::sinks::MemorySink;
use minitrainer::train::{SchedulerInterval, Trainer, TrainerOptions};

use super::{digits, net, weight_bits};

fn labels(targets: &Targets) -> Vec<usize> {
    match targets {
        Targets::Classes(labels) => labels.clone(),
        _ => panic!("digits have class labels"),
    }
}

#[test]
fn accumulating_two_batches_is_the_hand_written_half_loss_loop() {
    let (train, _) = digits(0);
    let sgd = SgdConfig {
        lr: 0.05,
        ..SgdConfig::default()
    };
    let model = net(3);
    let optimizer = Sgd::new(&model, sgd.clone()).unwrap();
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .options(TrainerOptions {
            epochs: 1,
            accumulate: 2,
            ..TrainerOptions::default()
        })
        .build()
        .unwrap();
    trainer.fit(&train, None).unwrap();
    // 45 batches: 22 steps of two, and a last step of one.
    assert_eq!(trainer.position().step, 23);

    // The same by hand: each loss halved, gradients summed over two batches, one step.
    let mut model = net(3);
    model.train();
    let mut optimizer = Sgd::new(&model, sgd).unwrap();
    let loader = DataLoader::builder(minitrainer::data::Digits::train_test().0)
        .batch_size(32)
        .shuffle(true)
        .seed(7)
        .build()
        .unwrap();
    let batches: Vec<Batch> = loader.iter().map(Result::unwrap).collect();
    for pair in batches.chunks(2) {
        for Batch { inputs, targets } in pair {
            let loss = cross_entropy(
                &model.call(inputs.clone()),
                labels(targets),
                &CrossEntropyLossConfig::default(),
            )
            .unwrap();
            loss.mul_scalar(0.5).backward();
        }
        optimizer.step();
        optimizer.zero_grad();
    }
    assert_eq!(weight_bits(trainer.model()), weight_bits(&*model));
}

#[test]
fn a_per_step_scheduler_sets_the_rate_each_step_logs() {
    let (train, _) = digits(0);
    let model = net(0);
    let optimizer = Sgd::new(&model, SgdConfig::default()).unwrap();
    let scheduler = scheduler_from_str("step_lr(step_size=10, gamma=0.5)", &[0.001]).unwrap();
    let sink = MemorySink::new();
    let mut trainer = Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .scheduler(scheduler)
        .callback(MetricsLog::new(sink.clone()))
        .options(TrainerOptions {
            max_steps: Some(25),
            scheduler_interval: SchedulerInterval::Step,
            ..TrainerOptions::default()
        })
        .build()
        .unwrap();
    trainer.fit(&train, None).unwrap();
    let rates: Vec<f64> = sink
        .of_kind("step")
        .iter()
        .map(|line| line["lr"].as_f64().unwrap())
        .collect();
    assert_eq!(rates.len(), 25);
    // Steps 1-10 use 1e-3, steps 11-20 5e-4, steps 21-25 2.5e-4 (PyTorch's StepLR).
    assert_eq!(rates[0], 0.001);
    assert_eq!(rates[9], 0.001);
    assert_eq!(rates[10], 0.0005);
    assert_eq!(rates[24], 0.00025);
    // After step 25 the scheduler has counted 25: still 0.001 · 0.5².
    assert_eq!(trainer.optimizer().learning_rates(), vec![0.00025]);
}
