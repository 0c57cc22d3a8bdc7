//! Many threads at once: one loaded model serving 8 threads gives exactly the sequential
//! outputs; the registry's first use and its look-ups race safely; the data loader's worker
//! threads are gone (counted by the OS) after an epoch is dropped mid-way or a worker panics.
//! `tests/it/threads.rs` covers `Send + Sync` and 4 threads over a typed model;
//! `tests/it/loader.rs` covers joins through the data set's reference count.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use minitrainer::data::{DataLoader, Dataset, Example, LoaderError, Target};
use minitrainer::prelude::*;
use minitrainer::{describe, from_pretrained, list_models, load, load_seeded};
use ndarray::{ArrayD, IxDyn};

use super::{in_child, run_child};
use crate::scratch_dir;

const THREADS: usize = 8;

/// Input `i` of the inference test: `[3, 64]`, different for every `i`.
fn input(i: usize) -> Tensor {
    Tensor::randn(&[3, 64], 0.0, 1.0, &mut seeded_rng(100 + i as u64))
}

fn bits(t: &Tensor) -> Vec<u32> {
    t.to_vec().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn a_loaded_model_serving_8_threads_gives_the_sequential_outputs_bitwise()
-> Result<(), minitrainer::Error> {
    // A registered model with dropout and batch norm, saved and loaded as `Box<dyn Model>`.
    let dir = scratch_dir("eight-threads");
    crate::train::net(3).save_pretrained(&dir)?;
    let mut model = from_pretrained(&dir)?;
    model.eval();
    let sequential: Vec<Vec<u32>> = (0..32).map(|i| bits(&model.forward(input(i)))).collect();
    let model: Arc<dyn Model> = Arc::from(model);
    let start = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (model, start) = (Arc::clone(&model), Arc::clone(&start));
            std::thread::spawn(move || {
                // Half the threads record a graph, half do not: grad mode is per thread.
                let _guard = (t % 2 == 0).then(no_grad);
                start.wait();
                (0..32)
                    .map(|k| (t * 7 + k) % 32)
                    .map(|i| (i, bits(&model.forward(input(i)))))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for worker in workers {
        for (i, output) in worker.join().expect("no worker panics") {
            assert_eq!(output, sequential[i], "input {i}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[test]
#[ignore = "run alone in a child process by `the_registrys_first_use_races_safely`"]
fn child_races_the_registrys_first_use() {
    assert!(in_child(), "run by its parent test");
    let start = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                // The first use of the registry in this process, on 8 threads at once.
                let names = list_models().expect("the registry builds");
                let mut weights = Vec::new();
                for k in 0..20 {
                    assert_eq!(list_models().expect("listed"), names);
                    let schema = describe("linear").expect("described").to_string();
                    assert!(schema.contains("in_features"), "{schema}");
                    let model =
                        load_seeded("linear(in_features=8, out_features=4)", k).expect("loads");
                    weights.push(bits(
                        &model.state_dict().get("weight").expect("a weight").clone(),
                    ));
                    assert!(load("linaer(in_features=8)").is_err());
                    assert!(
                        load(&format!(
                            "{{\"model_type\": \"linear\", \"in_features\": {t}}}"
                        ))
                        .is_err()
                    );
                }
                (names, weights)
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .map(|w| w.join().expect("no thread panics"))
        .collect();
    for result in &results[1..] {
        assert_eq!(
            result, &results[0],
            "every thread saw the same registry and weights"
        );
    }
    assert!(results[0].0.contains(&"linear"));
    assert!(results[0].0.contains(&"train_net"));
}

#[test]
fn the_registrys_first_use_races_safely() {
    run_child(
        "hostile::concurrency::child_races_the_registrys_first_use",
        Duration::from_secs(60),
    );
}

/// Samples `[2]`, class `index`; sample `panic_at` panics; each read takes `delay`.
struct Slow {
    len: usize,
    panic_at: Option<usize>,
    delay: Duration,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl Dataset for Slow {
    type Item = Example;
    type Error = Never;

    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, index: usize) -> Result<Example, Never> {
        std::thread::sleep(self.delay);
        assert!(self.panic_at != Some(index), "sample {index} exploded");
        let x = index as f32;
        Ok(Example {
            features: ArrayD::from_shape_vec(IxDyn(&[2]), vec![x, -x]).map_err(|_| Never)?,
            target: Target::Class(index % 3),
        })
    }
}

/// The threads of this process, as the OS counts them.
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// Waits (at most 5 s) until the process has `count` threads; returns the last count seen.
fn settle_to(count: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = threads();
        if now == count || Instant::now() > deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
#[ignore = "run alone in a child process by `loader_workers_exit_when_an_epoch_is_dropped_or_panics`"]
fn child_counts_loader_threads() {
    assert!(in_child(), "run by its parent test");
    let before = threads();
    assert!(before >= 1, "/proc/self/task lists this thread");
    let slow = |panic_at| Slow {
        len: 400,
        panic_at,
        delay: Duration::from_millis(1),
    };
    // Dropped mid-epoch, workers busy reading and blocked on a full prefetch queue.
    let loader = DataLoader::builder(slow(None))
        .batch_size(4)
        .num_workers(4)
        .build()
        .expect("a valid loader");
    let mut epoch = loader.iter();
    epoch.next().expect("a first batch").expect("it reads");
    assert!(
        threads() >= before + 4,
        "4 workers run: {} threads",
        threads()
    );
    drop(epoch);
    assert_eq!(
        settle_to(before),
        before,
        "workers outlived a dropped epoch"
    );

    // A worker panics: the consumer gets the error, every worker exits.
    let loader = DataLoader::builder(slow(Some(37)))
        .batch_size(4)
        .num_workers(4)
        .build()
        .expect("a valid loader");
    let results: Vec<_> = loader.iter().collect();
    assert!(
        matches!(
            results.last(),
            Some(Err(LoaderError::Panic { batch: 9, .. }))
        ),
        "{:?}",
        results.last()
    );
    assert_eq!(results.len(), 10, "batches 0..9, then the error");
    assert_eq!(settle_to(before), before, "workers outlived a panic");

    // The loader is usable again afterwards, and its workers exit at the end of an epoch.
    let loader = DataLoader::builder(slow(None))
        .batch_size(8)
        .num_workers(2)
        .build()
        .expect("a valid loader");
    assert_eq!(loader.iter().count(), 50);
    assert_eq!(settle_to(before), before, "workers outlived a full epoch");
}

#[test]
fn loader_workers_exit_when_an_epoch_is_dropped_or_panics() {
    if !std::path::Path::new("/proc/self/task").is_dir() {
        return; // threads are counted through Linux's /proc
    }
    run_child(
        "hostile::concurrency::child_counts_loader_threads",
        Duration::from_secs(60),
    );
}
