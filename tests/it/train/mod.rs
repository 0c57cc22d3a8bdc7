//! The Trainer through the public API: exact resume, determinism, the non-finite guard, mode
//! restoration, early stopping, and checkpoints surviving kills.

mod behaviour;
mod distributed;
mod kill;
mod resume;
mod steps;

use minitrainer::data::{Batch, DataLoader, Digits, Subset, TensorDataset};
use minitrainer::metrics::metric_from_str;
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::optimizer_from_str;
use minitrainer::optim::schedule::scheduler_from_str;
use minitrainer::prelude::*;
use minitrainer::train::{Trainer, TrainerBuilder, TrainerOptions};

/// Config of [`TrainNet`].
#[derive(Config, Clone, Debug, PartialEq)]
pub struct TrainNetConfig {
    #[config(default = 16, min = 1)]
    pub hidden: usize,
    #[config(default = 0.2, range = 0.0..1.0)]
    pub p: f32,
}

/// 64 → hidden → 10 with ReLU and dropout: every source of randomness a run has.
#[derive(Module)]
#[model(name = "train_net", config = TrainNetConfig)]
pub struct TrainNet {
    hidden: Linear,
    drop: Dropout,
    out: Linear,
}

impl Build for TrainNet {
    type Config = TrainNetConfig;
    fn build(config: &TrainNetConfig, init: &mut Init) -> Self {
        TrainNet {
            hidden: Linear::build(&LinearConfig::new(64, config.hidden), init),
            drop: Dropout::build(&DropoutConfig { p: config.p }, init),
            out: Linear::build(&LinearConfig::new(config.hidden, 10), init),
        }
    }
}

impl Forward for TrainNet {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(self.drop.call(self.hidden.call(x).relu()))
    }
}

pub type Net = Configured<TrainNet>;
pub type Loader = DataLoader<Subset<TensorDataset>, Batch>;

/// The model built with `seed`.
pub fn net(seed: u64) -> Net {
    TrainNet::from_config(TrainNetConfig::default(), &mut Init::seeded(seed)).expect("valid config")
}

/// Digits' train and test splits: shuffled training batches of 32 from seed 7.
pub fn digits(workers: usize) -> (Loader, Loader) {
    let (train, test) = Digits::train_test();
    let train = DataLoader::builder(train)
        .batch_size(32)
        .shuffle(true)
        .seed(7)
        .num_workers(workers)
        .build()
        .expect("valid loader");
    let test = DataLoader::builder(test)
        .batch_size(128)
        .build()
        .expect("valid loader");
    (train, test)
}

/// A trainer's builder over a model built with `init_seed`: Adam, a per-epoch step LR,
/// accuracy.
pub fn builder(init_seed: u64) -> TrainerBuilder<Net> {
    let model = net(init_seed);
    let optimizer = optimizer_from_str("adam(lr=0.01)", &model).expect("valid optimizer");
    let scheduler = scheduler_from_str("step_lr(step_size=1, gamma=0.7)", &[0.01]).expect("valid");
    Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(metric_from_str("accuracy").expect("known metric"))
        .scheduler(scheduler)
}

/// [`builder`] with `options`, built.
pub fn trainer(init_seed: u64, options: TrainerOptions) -> Trainer<Net> {
    builder(init_seed)
        .options(options)
        .build()
        .expect("valid trainer")
}

/// Every parameter's bits, by name.
pub fn weight_bits(model: &dyn Module) -> Vec<(String, Vec<u32>)> {
    model
        .state_dict()
        .iter()
        .map(|(name, t)| {
            (
                name.to_string(),
                t.to_vec().iter().map(|v| v.to_bits()).collect(),
            )
        })
        .collect()
}
