//! The data loader's guarantees: batch `k` is the same for 0, 1 and 4 workers (random
//! transform included), orders are functions of (seed, epoch), a resumed run sees the batches
//! an uninterrupted one sees, dropping an epoch joins its workers, failures reach the consumer
//! as errors, workers stay within the prefetch bound, and shards split epochs evenly.

use std::sync::Arc;

use minitrainer::data::{
    Batch, DataLoader, Dataset, Example, LoaderError, LoaderState, Target, Targets,
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

mod prefetch;
mod sampling;

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
    // An epoch outlives its loader (it owns what it needs); dropping both joins the workers.
    let data = Arc::clone(loader.dataset());
    let mut run = loader.iter();
    drop(loader);
    assert_eq!(run.next().transpose()?.map(|b| labels(&b).len()), Some(7));
    drop(run);
    assert_eq!(Arc::strong_count(&data), 1, "a worker outlived its epoch");
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
