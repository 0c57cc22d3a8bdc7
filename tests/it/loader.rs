//! The data loader's guarantees: batch `k` is the same for 0, 1 and 4 workers (random
//! transform included), orders are functions of (seed, epoch), a resumed run sees the batches
//! an uninterrupted one sees, dropping an epoch joins its workers, failures reach the consumer
//! as errors, workers stay within the prefetch bound, and shards split epochs evenly.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use minitrainer::data::{
    Batch, DataLoader, Dataset, Example, LoaderError, LoaderState, Remainder, Sampler, Shard,
    Target, Targets, WeightedRandomSampler,
};
use ndarray::{ArrayD, IxDyn};
use rand::RngExt;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Sample `i`: features `[i, i + 0.5, i + 0.25]`, label `i`; optionally failing or panicking
/// at one index.
#[derive(Default)]
struct Indexed {
    len: usize,
    fail_at: Option<usize>,
    panic_at: Option<usize>,
}

#[derive(Debug)]
struct Unreadable(usize);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sample {} is unreadable", self.0)
    }
}

impl std::error::Error for Unreadable {}

impl Indexed {
    fn new(len: usize) -> Self {
        Indexed {
            len,
            ..Indexed::default()
        }
    }
}

impl Dataset for Indexed {
    type Item = Example;
    type Error = Unreadable;

    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, index: usize) -> Result<Example, Unreadable> {
        if self.fail_at == Some(index) {
            return Err(Unreadable(index));
        }
        assert!(self.panic_at != Some(index), "sample {index} exploded");
        let x = index as f32;
        Ok(Example {
            features: ArrayD::from_shape_vec(IxDyn(&[3]), vec![x, x + 0.5, x + 0.25])
                .map_err(|_| Unreadable(index))?,
            target: Target::Class(index),
        })
    }
}

/// Adds uniform noise from the sample's generator: any dependence on the worker shows.
fn noisy(example: Example, rng: &mut rand::rngs::ChaCha8Rng) -> Example {
    Example {
        features: example.features.mapv(|v| v + rng.random::<f32>()),
        ..example
    }
}

fn loader(len: usize, workers: usize) -> Result<DataLoader<Indexed>, LoaderError> {
    DataLoader::builder(Indexed::new(len))
        .batch_size(7)
        .shuffle(true)
        .seed(42)
        .num_workers(workers)
        .map_with_rng(noisy)
        .build()
}

fn epoch(loader: &DataLoader<Indexed>) -> Result<Vec<Batch>, LoaderError> {
    loader.iter().collect()
}

fn labels(batch: &Batch) -> Vec<usize> {
    match &batch.targets {
        Targets::Classes(c) => c.clone(),
        other => panic!("expected class labels, got {other:?}"),
    }
}

#[test]
fn batches_are_the_same_for_0_1_and_4_workers() -> TestResult {
    let reference = loader(100, 0)?;
    let expected = [epoch(&reference)?, epoch(&reference)?];
    assert_eq!(expected[0].len(), 15);
    for workers in [1, 4] {
        let parallel = loader(100, workers)?;
        assert_eq!(epoch(&parallel)?, expected[0], "{workers} workers, epoch 0");
        assert_eq!(epoch(&parallel)?, expected[1], "{workers} workers, epoch 1");
    }
    Ok(())
}

#[test]
fn orders_are_functions_of_seed_and_epoch() -> TestResult {
    let (a, b) = (loader(50, 2)?, loader(50, 0)?);
    let (a0, a1) = (epoch(&a)?, epoch(&a)?);
    assert_eq!(a0, epoch(&b)?, "same seed, same epoch 0");
    assert_eq!(a1, epoch(&b)?, "same seed, same epoch 1");
    let order = |batches: &[Batch]| batches.iter().flat_map(labels).collect::<Vec<_>>();
    assert_ne!(order(&a0), order(&a1), "a new epoch reshuffles");
    let mut sorted = order(&a0);
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        (0..50).collect::<Vec<_>>(),
        "an epoch visits every sample once"
    );
    // The transform's noise changes with the epoch too, not only the order.
    assert_ne!(a0[0].inputs.to_vec(), a1[0].inputs.to_vec());
    Ok(())
}

#[test]
fn resumed_run_sees_the_batches_of_an_uninterrupted_one() -> TestResult {
    let uninterrupted = loader(60, 2)?;
    let expected: Vec<Vec<Batch>> = (0..3)
        .map(|_| epoch(&uninterrupted))
        .collect::<Result<_, _>>()?;

    let interrupted = loader(60, 2)?;
    epoch(&interrupted)?;
    let mut run = interrupted.iter();
    for k in 0..4 {
        assert_eq!(run.next().transpose()?.as_ref(), Some(&expected[1][k]));
    }
    let saved = run.state().to_json().to_string();
    drop(run);
    assert_eq!(
        interrupted.state(),
        LoaderState {
            epoch: 1,
            batches: 4
        }
    );

    for workers in [0, 3] {
        let resumed = loader(60, workers)?;
        resumed.resume(LoaderState::from_json(&serde_json::from_str(&saved)?)?)?;
        assert_eq!(
            epoch(&resumed)?,
            expected[1][4..],
            "{workers} workers, rest of epoch 1"
        );
        assert_eq!(epoch(&resumed)?, expected[2], "{workers} workers, epoch 2");
    }
    let past_end = LoaderState {
        epoch: 0,
        batches: 10,
    };
    assert!(matches!(
        interrupted.resume(past_end),
        Err(LoaderError::State { .. })
    ));
    Ok(())
}

#[test]
fn dropping_an_epoch_midway_joins_every_worker() -> TestResult {
    let loader = loader(1000, 4)?;
    let mut run = loader.iter();
    run.next().transpose()?;
    // The workers hold the data set while they run.
    assert!(Arc::strong_count(loader.dataset()) > 1);
    drop(run);
    assert_eq!(
        Arc::strong_count(loader.dataset()),
        1,
        "a worker outlived its epoch"
    );
    // The next epoch starts again from where the dropped one stopped.
    assert_eq!(
        loader.state(),
        LoaderState {
            epoch: 0,
            batches: 1
        }
    );
    Ok(())
}

fn failing(set: Indexed, workers: usize) -> Result<DataLoader<Indexed>, LoaderError> {
    DataLoader::builder(set)
        .batch_size(4)
        .num_workers(workers)
        .build()
}

#[test]
fn a_panicking_sample_is_an_error_and_ends_the_epoch() -> TestResult {
    for workers in [0, 1, 4] {
        let set = Indexed {
            panic_at: Some(9),
            ..Indexed::new(40)
        };
        let loader = failing(set, workers)?;
        let results: Vec<_> = loader.iter().collect();
        assert_eq!(
            results.len(),
            3,
            "{workers} workers: two batches, then the error"
        );
        match &results[2] {
            Err(LoaderError::Panic { batch: 2, message }) => {
                assert!(message.contains("sample 9 exploded"), "{message}")
            }
            other => panic!("{workers} workers: expected a panic error, got {other:?}"),
        }
        assert_eq!(Arc::strong_count(loader.dataset()), 1);
        assert_eq!(
            loader.state(),
            LoaderState {
                epoch: 0,
                batches: 2
            }
        );
    }
    Ok(())
}

#[test]
fn a_failing_get_is_an_error_naming_batch_and_index() -> TestResult {
    for workers in [0, 2] {
        let set = Indexed {
            fail_at: Some(5),
            ..Indexed::new(40)
        };
        let loader = failing(set, workers)?;
        let mut run = loader.iter();
        assert!(run.next().transpose()?.is_some());
        let error = run
            .next()
            .and_then(Result::err)
            .ok_or("expected an error")?;
        assert!(
            matches!(
                error,
                LoaderError::Get {
                    batch: 1,
                    index: 5,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "batch 1: reading sample 5 failed: sample 5 is unreadable"
        );
        assert!(run.next().is_none(), "the epoch ends after an error");
        // It converts into the crate's error.
        let _: minitrainer::Error = error.into();
    }
    Ok(())
}

#[test]
fn drop_last_drops_only_the_short_batch() -> TestResult {
    let sizes = |drop_last| -> Result<Vec<usize>, LoaderError> {
        let loader = DataLoader::builder(Indexed::new(10))
            .batch_size(4)
            .drop_last(drop_last)
            .build()?;
        loader
            .iter()
            .map(|b| b.map(|b| b.inputs.shape()[0]))
            .collect()
    };
    assert_eq!(sizes(false)?, [4, 4, 2]);
    assert_eq!(sizes(true)?, [4, 4]);
    Ok(())
}

#[test]
fn collate_errors_name_batch_and_sample() -> TestResult {
    struct Ragged;
    impl Dataset for Ragged {
        type Item = Example;
        type Error = std::convert::Infallible;
        fn len(&self) -> usize {
            8
        }
        fn get(&self, index: usize) -> Result<Example, Self::Error> {
            let width = if index == 6 { 2 } else { 3 };
            Ok(Example {
                features: ArrayD::zeros(IxDyn(&[width])),
                target: Target::None,
            })
        }
    }
    let loader = DataLoader::builder(Ragged)
        .batch_size(4)
        .num_workers(2)
        .build()?;
    let error = loader
        .iter()
        .find_map(Result::err)
        .ok_or("expected an error")?;
    let message = error.to_string();
    assert!(
        message.starts_with("batch 1: sample 2 of the batch has features of shape [2]"),
        "{message}"
    );
    Ok(())
}

#[test]
fn weighted_sampling_through_the_loader_follows_the_weights() -> TestResult {
    let weights = [1.0, 0.0, 2.0, 7.0];
    let sampler = WeightedRandomSampler::new(&weights, 1000, 5)?;
    let loader = DataLoader::builder(Indexed::new(4))
        .batch_size(64)
        .sampler(sampler)
        .num_workers(2)
        .build()?;
    let mut counts = [0usize; 4];
    for batch in &loader {
        for label in labels(&batch?) {
            counts[label] += 1;
        }
    }
    // Expected 100 / 0 / 200 / 700 (binomial sd <= 15); pinned exactly for this seed.
    for (count, expected) in counts.iter().zip([100.0, 0.0, 200.0, 700.0]) {
        assert!((*count as f64 - expected).abs() <= 45.0, "{counts:?}");
    }
    assert_eq!(counts, [102, 0, 194, 704]);
    Ok(())
}

#[test]
fn shards_split_every_epoch_disjointly_and_evenly() -> TestResult {
    let world = 3;
    for (remainder, share) in [(Remainder::Drop, 33), (Remainder::Pad, 34)] {
        for epoch_number in 0..2 {
            let mut seen = Vec::new();
            for rank in 0..world {
                let sampler = Shard::new(
                    minitrainer::data::RandomSampler::new(100, 8),
                    rank,
                    world,
                    remainder,
                )?;
                let loader = DataLoader::builder(Indexed::new(100))
                    .batch_size(10)
                    .sampler(sampler)
                    .build()?;
                loader.set_epoch(epoch_number);
                let indices: Vec<usize> = loader
                    .iter()
                    .map(|b| b.map(|b| labels(&b)))
                    .collect::<Result<Vec<_>, _>>()?
                    .concat();
                assert_eq!(indices.len(), share, "{remainder:?}: equal shares");
                seen.push(indices);
            }
            let all: Vec<usize> = seen.concat();
            let distinct: HashSet<usize> = all.iter().copied().collect();
            match remainder {
                // 99 of the 100 samples, none twice.
                Remainder::Drop => assert_eq!(distinct.len(), all.len()),
                // Every sample; 2 of them twice (102 positions).
                Remainder::Pad => assert_eq!(distinct.len(), 100),
            }
        }
    }
    let rank_too_big = minitrainer::data::SequentialSampler::new(4).shard(3, 3);
    assert!(matches!(
        rank_too_big,
        Err(LoaderError::Shard {
            rank: 3,
            world_size: 3
        })
    ));
    Ok(())
}

/// Counts live samples: created by `get`, gone when their batch is dropped.
struct Counted {
    live: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

struct Token(Arc<AtomicUsize>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Dataset for Counted {
    type Item = Token;
    type Error = std::convert::Infallible;
    fn len(&self) -> usize {
        400
    }
    fn get(&self, _index: usize) -> Result<Token, Self::Error> {
        let live = self.live.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(live, Ordering::SeqCst);
        Ok(Token(Arc::clone(&self.live)))
    }
}

#[test]
fn workers_stay_within_the_prefetch_bound() -> TestResult {
    let (live, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let set = Counted {
        live: Arc::clone(&live),
        peak: Arc::clone(&peak),
    };
    let keep = |tokens: Vec<Token>| Ok::<_, std::convert::Infallible>(tokens);
    let loader = DataLoader::with_collate(set, keep)
        .batch_size(4)
        .num_workers(3)
        .prefetch(2)
        .build()?;
    let mut batches = 0;
    for batch in &loader {
        // The consumer holds one batch; the workers may have at most `prefetch` more.
        assert!(live.load(Ordering::SeqCst) <= (2 + 1) * 4);
        drop(batch?);
        batches += 1;
    }
    assert_eq!(batches, 100);
    assert!(
        peak.load(Ordering::SeqCst) <= (2 + 1) * 4,
        "peak {}",
        peak.load(Ordering::SeqCst)
    );
    assert_eq!(live.load(Ordering::SeqCst), 0);
    Ok(())
}

#[test]
fn conflicting_options_are_refused() {
    let shuffled_sampler = DataLoader::builder(Indexed::new(4))
        .shuffle(true)
        .sampler(minitrainer::data::SequentialSampler::new(4))
        .build();
    assert!(matches!(
        shuffled_sampler,
        Err(LoaderError::InvalidOption {
            option: "shuffle",
            ..
        })
    ));
    let zero = DataLoader::builder(Indexed::new(4)).batch_size(0).build();
    assert!(matches!(
        zero,
        Err(LoaderError::InvalidOption {
            option: "batch_size",
            ..
        })
    ));
    let no_prefetch = DataLoader::builder(Indexed::new(4))
        .num_workers(2)
        .prefetch(0)
        .build();
    assert!(matches!(
        no_prefetch,
        Err(LoaderError::InvalidOption {
            option: "prefetch",
            ..
        })
    ));
}
