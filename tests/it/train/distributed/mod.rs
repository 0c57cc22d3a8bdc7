//! Data-parallel training through in-process thread ranks: N ranks with batch B reproduce one
//! process with batch N·B, the ranks' parameters stay bitwise equal after every step, an error
//! on one rank stops all of them (no hang), and rank 0 alone writes checkpoints.

mod errors;
mod resume;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use minitrainer::data::{
    Batch, DataLoader, Dataset, Digits, LoaderError, LoaderState, RandomSampler, Sampler,
};
use minitrainer::distributed::{Collective, ThreadGroup, ThreadRank};
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::optimizer_from_str;
use minitrainer::prelude::*;
use minitrainer::train::callbacks::{MetricsLog, Progress};
use minitrainer::train::sinks::MemorySink;
use minitrainer::train::{
    Batches, Callback, HookResult, StepRecord, TrainContext, Trainer, TrainerBuilder,
};

use super::{Loader, Net, TrainNet, TrainNetConfig, weight_bits};

/// Runs `body` on every rank of a `world_size` thread group and returns the results in rank
/// order; fails the test after 120 s instead of hanging.
pub fn on_ranks<T: Send + 'static>(
    world_size: usize,
    body: impl Fn(ThreadRank) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let (done, results) = mpsc::channel();
    let body = Arc::new(body);
    for rank in ThreadGroup::new(world_size) {
        let (done, body) = (done.clone(), Arc::clone(&body));
        std::thread::spawn(move || {
            let index = rank.rank();
            let _ = done.send((index, body(rank)));
        });
    }
    drop(done);
    let mut out: Vec<(usize, T)> = (0..world_size)
        .map(|_| {
            results
                .recv_timeout(Duration::from_secs(120))
                .expect("a rank hung (or panicked)")
        })
        .collect();
    out.sort_by_key(|(rank, _)| *rank);
    out.into_iter().map(|(_, result)| result).collect()
}

/// 64 → 16 → 10 without dropout (a dropout mask over B rows is not one over 2B rows).
pub fn model() -> Net {
    let config = TrainNetConfig { hidden: 16, p: 0.0 };
    TrainNet::from_config(config, &mut Init::seeded(1)).expect("valid config")
}

/// Rank `rank`'s share of digits' training split: the same seeded permutation on every rank,
/// split by `shard`, batches of `batch`, the short last batch dropped (so N ranks × B see
/// exactly the batches one process × N·B sees).
pub fn train_shard(rank: usize, world_size: usize, batch: usize) -> Loader {
    let (train, _) = Digits::train_test();
    let sampler = RandomSampler::new(train.len(), 7)
        .shard(rank, world_size)
        .expect("rank in range");
    DataLoader::builder(train)
        .batch_size(batch)
        .sampler(sampler)
        .drop_last(true)
        .build()
        .expect("valid loader")
}

/// The whole test split, on every rank.
pub fn valid() -> Loader {
    let (_, test) = Digits::train_test();
    DataLoader::builder(test)
        .batch_size(128)
        .build()
        .expect("valid loader")
}

/// Adam and accuracy over [`model`], as one rank of `group`.
pub fn builder(group: impl Collective + Send + 'static) -> TrainerBuilder<Net> {
    let model = model();
    let optimizer = optimizer_from_str("adam(lr=0.01)", &model).expect("valid optimizer");
    Trainer::builder(model, optimizer)
        .loss(CrossEntropyLoss::default())
        .metric(minitrainer::metrics::metric_from_str("accuracy").expect("known"))
        .distributed(group)
        .bucket_bytes(1024) // several buckets even for this small model
}

/// Every parameter's bits, by name.
pub type Bits = Vec<(String, Vec<u32>)>;

/// A step's loss and the weights' bits after it.
pub type Snapshot = (f64, Bits);

/// Keeps every step's loss and the weights' bits after it.
#[derive(Clone, Default)]
pub struct Snapshots(pub Arc<Mutex<Vec<Snapshot>>>);

impl Callback for Snapshots {
    fn name(&self) -> &str {
        "snapshots"
    }
    fn on_batch_end(&mut self, ctx: &mut TrainContext<'_>, step: &StepRecord) -> HookResult {
        let bits = weight_bits(&*ctx.model);
        self.0.lock().unwrap().push((step.loss, bits));
        Ok(())
    }
}

impl Snapshots {
    pub fn take(&self) -> Vec<Snapshot> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// What a run left: per-step losses and weights, the final weights, the history.
pub struct Run {
    pub steps: Vec<Snapshot>,
    pub weights: Bits,
    pub history: minitrainer::train::History,
    pub log: Vec<serde_json::Value>,
}

/// Trains `epochs` epochs on `world_size` ranks with batch `batch` each.
pub fn run(world_size: usize, batch: usize, epochs: u64) -> Vec<Run> {
    on_ranks(world_size, move |group| {
        let rank = group.rank();
        let snapshots = Snapshots::default();
        let sink = MemorySink::new();
        let mut trainer = builder(group)
            .callback(snapshots.clone())
            .callback(MetricsLog::new(sink.clone()))
            .epochs(epochs)
            .build()
            .expect("valid trainer");
        assert_eq!((trainer.rank(), trainer.world_size()), (rank, world_size));
        let history = trainer
            .fit(&train_shard(rank, world_size, batch), Some(&valid()))
            .expect("training runs");
        Run {
            steps: snapshots.take(),
            weights: weight_bits(trainer.model()),
            history,
            log: sink.records(),
        }
    })
}

/// `|a - b| <= tol * |b|`, tensor by tensor in L2 and value by value for the losses.
fn assert_close(single: &Run, ranks: &Run, tol: f64) {
    assert_eq!(single.steps.len(), ranks.steps.len(), "steps taken");
    for (step, ((a, _), (b, _))) in single.steps.iter().zip(&ranks.steps).enumerate() {
        assert!(
            (a - b).abs() <= tol * a.abs(),
            "step {}: loss {a} vs {b}",
            step + 1
        );
    }
    for ((name, a), (_, b)) in single.weights.iter().zip(&ranks.weights) {
        let (a, b): (Vec<f64>, Vec<f64>) = a
            .iter()
            .zip(b)
            .map(|(a, b)| (f32::from_bits(*a) as f64, f32::from_bits(*b) as f64))
            .unzip();
        let diff = a
            .iter()
            .zip(&b)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            .sqrt();
        let norm = a.iter().map(|a| a * a).sum::<f64>().sqrt();
        assert!(
            diff <= tol * norm,
            "{name}: relative difference {}",
            diff / norm
        );
    }
}

/// Every rank's weights after every step are the same bits, and so is what they recorded.
fn assert_ranks_identical(ranks: &[Run]) {
    for other in &ranks[1..] {
        assert_eq!(other.steps.len(), ranks[0].steps.len());
        for (step, (a, b)) in ranks[0].steps.iter().zip(&other.steps).enumerate() {
            assert!(
                a.1 == b.1,
                "step {}: the ranks' parameters differ",
                step + 1
            );
            assert_eq!(
                a.0.to_bits(),
                b.0.to_bits(),
                "step {}: logged loss",
                step + 1
            );
        }
        assert_eq!(other.weights, ranks[0].weights);
        assert_eq!(other.history, ranks[0].history);
        assert!(other.log.is_empty(), "only rank 0 logs");
    }
    assert!(!ranks[0].log.is_empty());
}

#[test]
fn two_ranks_with_batch_b_reproduce_one_process_with_batch_2b() {
    let single = run(1, 64, 2).pop().expect("one rank");
    let ranks = run(2, 32, 2);
    assert_eq!(single.steps.len(), 2 * (1437 / 64));
    assert_ranks_identical(&ranks);
    assert_close(&single, &ranks[0], 1e-6);
    let accuracy = ranks[0].history.metric("valid_accuracy");
    assert!(
        accuracy[1] > accuracy[0] && accuracy[1] > 0.7,
        "{accuracy:?}"
    );
}

#[test]
fn three_ranks_work_too() {
    let single = run(1, 48, 1).pop().expect("one rank");
    let ranks = run(3, 16, 1);
    assert_eq!(single.steps.len(), 1437 / 48);
    assert_ranks_identical(&ranks);
    assert_close(&single, &ranks[0], 1e-6);
}

/// A loader that hands out `inner`'s batches but spoils batch `at` of each epoch: NaN inputs,
/// or a loader error.
pub struct Spoiled {
    pub inner: Loader,
    pub at: usize,
    pub nan: bool,
}

impl Batches for Spoiled {
    fn epoch_batches(&self) -> Box<dyn Iterator<Item = Result<Batch, LoaderError>> + '_> {
        let (at, nan) = (self.at, self.nan);
        Box::new(
            self.inner
                .epoch_batches()
                .enumerate()
                .map(move |(i, batch)| {
                    if i != at {
                        return batch;
                    }
                    if !nan {
                        return Err(LoaderError::Worker {
                            worker: 0,
                            reason: "injected failure".into(),
                        });
                    }
                    let batch = batch?;
                    let inputs = Tensor::full(batch.inputs.shape(), f32::NAN);
                    Ok(Batch {
                        inputs,
                        targets: batch.targets,
                    })
                }),
        )
    }
    fn seek(&self, state: LoaderState) -> Result<(), LoaderError> {
        self.inner.seek(state)
    }
    fn batches_in_epoch(&self, epoch: u64) -> usize {
        self.inner.batches_in_epoch(epoch)
    }
}

/// A writer into a shared buffer.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn progress_reports_on_rank_0_only() {
    let outputs = on_ranks(2, |group| {
        let rank = group.rank();
        let out = Shared::default();
        let progress = Progress::to_writer(out.clone()).every_steps(5);
        let mut trainer = builder(group)
            .callback(progress)
            .build()
            .expect("valid trainer");
        trainer
            .fit(&train_shard(rank, 2, 32), None)
            .expect("training runs");
        String::from_utf8(out.0.lock().unwrap().clone()).expect("utf-8")
    });
    assert!(
        outputs[0].contains("epoch 1  step 20  loss"),
        "{}",
        outputs[0]
    );
    assert_eq!(outputs[1], "");
}
