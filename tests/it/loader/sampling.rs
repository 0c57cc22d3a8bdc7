//! Samplers through the loader: weighted draws follow the weights, shards split every epoch
//! into equal shares that are disjoint (remainder dropped) or cover it (remainder padded).

use std::collections::HashSet;

use minitrainer::data::{
    DataLoader, LoaderError, RandomSampler, Remainder, Sampler, SequentialSampler, Shard,
    WeightedRandomSampler,
};

use super::{Indexed, TestResult, labels};

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
                let sampler = Shard::new(RandomSampler::new(100, 8), rank, world, remainder)?;
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
    let rank_too_big = SequentialSampler::new(4).shard(3, 3);
    assert!(matches!(
        rank_too_big,
        Err(LoaderError::Shard {
            rank: 3,
            world_size: 3
        })
    ));
    Ok(())
}
