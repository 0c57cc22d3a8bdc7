//! Loader behaviours the integration tests do not reach: empty sets, bad samplers, custom
//! batch samplers, and the transform's generator for a sample drawn twice.

use std::convert::Infallible;

use rand::RngExt;

use super::*;

/// Sample `i` is the number `i`.
struct Numbers(usize);

impl Dataset for Numbers {
    type Item = f32;
    type Error = Infallible;
    fn len(&self) -> usize {
        self.0
    }
    fn get(&self, index: usize) -> Result<f32, Infallible> {
        Ok(index as f32)
    }
}

fn keep(items: Vec<f32>) -> Result<Vec<f32>, Infallible> {
    Ok(items)
}

struct Fixed(Vec<Vec<usize>>);

impl BatchSampler for Fixed {
    fn batches(&self, _epoch: u64) -> Vec<Vec<usize>> {
        self.0.clone()
    }
}

#[test]
fn an_empty_set_yields_nothing_and_moves_to_the_next_epoch() -> Result<(), LoaderError> {
    let loader = DataLoader::with_collate(Numbers(0), keep)
        .num_workers(2)
        .build()?;
    assert_eq!(loader.iter().count(), 0);
    assert_eq!(loader.iter().count(), 0);
    assert_eq!(
        loader.state(),
        LoaderState {
            epoch: 2,
            batches: 0
        }
    );
    Ok(())
}

#[test]
fn a_full_epoch_leaves_the_loader_at_the_next_one() -> Result<(), LoaderError> {
    let loader = DataLoader::with_collate(Numbers(5), keep)
        .batch_size(2)
        .build()?;
    let mut run = loader.iter();
    assert_eq!(run.num_batches(), 3);
    let batches: Vec<Vec<f32>> = run.by_ref().collect::<Result<_, _>>()?;
    assert_eq!(batches, [vec![0.0, 1.0], vec![2.0, 3.0], vec![4.0]]);
    assert_eq!(
        run.state(),
        LoaderState {
            epoch: 1,
            batches: 0
        }
    );
    assert_eq!(loader.state(), run.state());
    loader.set_epoch(7);
    assert_eq!(loader.iter().epoch(), 7);
    Ok(())
}

#[test]
fn a_sampler_index_past_the_end_is_an_error() -> Result<(), LoaderError> {
    for workers in [0, 2] {
        let loader = DataLoader::with_collate(Numbers(3), keep)
            .batch_sampler(Fixed(vec![vec![0, 1], vec![2, 3]]))
            .num_workers(workers)
            .build()?;
        let results: Vec<_> = loader.iter().collect();
        assert!(results[0].is_ok());
        assert!(matches!(
            results[1],
            Err(LoaderError::IndexOutOfRange {
                batch: 1,
                index: 3,
                len: 3
            })
        ));
    }
    Ok(())
}

#[test]
fn a_batch_sampler_excludes_the_batch_options() {
    let conflicting = DataLoader::with_collate(Numbers(3), keep)
        .batch_sampler(Fixed(vec![vec![0]]))
        .batch_size(2)
        .build();
    assert!(matches!(
        conflicting,
        Err(LoaderError::InvalidOption {
            option: "batch_sampler",
            ..
        })
    ));
}

#[test]
fn a_sample_drawn_twice_gets_two_different_draws() -> Result<(), LoaderError> {
    let loader = DataLoader::with_collate(Numbers(3), keep)
        .batch_sampler(Fixed(vec![vec![1, 1], vec![1]]))
        .seed(5)
        .map_with_rng(|x, rng| x + rng.random::<f32>())
        .build()?;
    let values: Vec<f32> = loader.iter().collect::<Result<Vec<_>, _>>()?.concat();
    assert_ne!(values[0], values[1]);
    // Position 2 of epoch 0, sample 1: exactly `sample_rng`'s first draw.
    let expected = 1.0 + crate::data::sample_rng(5, 0, 1, 2).random::<f32>();
    assert_eq!(values[2], expected);
    Ok(())
}
