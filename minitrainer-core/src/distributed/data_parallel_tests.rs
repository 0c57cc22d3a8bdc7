use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::build::{Build, Init};
use crate::distributed::{ThreadGroup, ThreadRank, agree_on_failure, all_gather_f64};
use crate::nn::{Linear, LinearConfig};

/// Runs `body` on `world_size` thread ranks; the ranks' results in rank order, or a failed test
/// after 20 s instead of a hang.
fn on_ranks<T: Send + 'static>(
    world_size: usize,
    body: impl Fn(ThreadRank) -> T + Send + Sync + Copy + 'static,
) -> Vec<T> {
    let (done, results) = mpsc::channel();
    for rank in ThreadGroup::new(world_size) {
        let done = done.clone();
        std::thread::spawn(move || {
            let index = rank.rank();
            let _ = done.send((index, body(rank)));
        });
    }
    drop(done);
    let mut out: Vec<(usize, T)> = (0..world_size)
        .map(|_| {
            results
                .recv_timeout(Duration::from_secs(20))
                .expect("no hang")
        })
        .collect();
    out.sort_by_key(|(rank, _)| *rank);
    out.into_iter().map(|(_, result)| result).collect()
}

/// A 3 → 2 linear layer, its weights drawn from `seed`.
fn linear(seed: u64) -> Linear {
    Linear::build(&LinearConfig::new(3, 2), &mut Init::seeded(seed))
}

fn bits(model: &Linear) -> Vec<u32> {
    model
        .named_parameters()
        .iter()
        .flat_map(|(_, p)| p.tensor().to_vec())
        .map(f32::to_bits)
        .collect()
}

#[test]
fn broadcast_parameters_gives_every_rank_rank_0s_weights() {
    let expected = bits(&linear(0));
    let results = on_ranks(3, |group| {
        let model = linear(group.rank() as u64);
        broadcast_parameters(&model, &group).map(|()| bits(&model))
    });
    for result in results {
        assert_eq!(result.expect("broadcast"), expected);
    }
}

/// Sets each parameter's gradient to `value` (none when `value` is `None`).
fn set_grads(model: &Linear, value: Option<f32>) {
    for param in model.parameters() {
        param.tensor().zero_grad();
        if let Some(value) = value {
            let grad = ndarray::ArrayD::from_elem(ndarray::IxDyn(param.tensor().shape()), value);
            param.tensor().accumulate_grad(grad);
        }
    }
}

fn grads(model: &Linear) -> Vec<Option<Vec<f32>>> {
    model
        .parameters()
        .iter()
        .map(|p| p.tensor().grad().map(|g| g.iter().copied().collect()))
        .collect()
}

#[test]
fn gradients_are_averaged_whatever_the_bucket_size() {
    for bucket_bytes in [4, 8 * 4, DEFAULT_BUCKET_BYTES] {
        let results = on_ranks(2, move |group| {
            let model = linear(0);
            set_grads(&model, Some(1.0 + 2.0 * group.rank() as f32));
            average_gradients(&model.parameters(), &group, bucket_bytes).map(|()| grads(&model))
        });
        for result in results {
            let grads = result.expect("averaged");
            assert_eq!(
                grads,
                vec![Some(vec![2.0; 6]), Some(vec![2.0; 2])],
                "{bucket_bytes}"
            );
        }
    }
}

#[test]
fn a_gradient_missing_on_one_rank_counts_as_zeros_and_none_stays_none() {
    let results = on_ranks(2, |group| {
        let model = linear(0);
        set_grads(&model, (group.rank() == 0).then_some(4.0));
        average_gradients(&model.parameters(), &group, 8)?;
        let with_one = grads(&model);
        set_grads(&model, None);
        average_gradients(&model.parameters(), &group, 8)?;
        Ok::<_, DistributedError>((with_one, grads(&model)))
    });
    for result in results {
        let (with_one, with_none) = result.expect("averaged");
        assert_eq!(with_one, vec![Some(vec![2.0; 6]), Some(vec![2.0; 2])]);
        assert_eq!(with_none, vec![None, None]);
    }
}

#[test]
fn one_rank_changes_nothing() {
    let model = linear(0);
    set_grads(&model, Some(3.0));
    average_gradients(&model.parameters(), &crate::distributed::SingleProcess, 4).expect("no-op");
    assert_eq!(grads(&model), vec![Some(vec![3.0; 6]), Some(vec![3.0; 2])]);
}

#[test]
fn a_failure_on_one_rank_reaches_every_rank_with_its_message() {
    let results = on_ranks(3, |group| {
        let failure = (group.rank() == 1).then_some("bad batch");
        agree_on_failure(&group, failure)
    });
    for result in results {
        let error = result.expect_err("rank 1 failed");
        assert_eq!(error.to_string(), "rank 1 failed: bad batch");
    }
    let results = on_ranks(2, |group| agree_on_failure(&group, None));
    assert!(results.iter().all(Result::is_ok));
}

#[test]
fn gathered_f64s_keep_about_48_bits_and_non_finite_values() {
    let results = on_ranks(2, |group| {
        let mine = [0.1 + group.rank() as f64, f64::INFINITY, 1e6 + 1.0 / 3.0];
        all_gather_f64(&group, &mine)
    });
    for result in results {
        let table = result.expect("gathered");
        for (rank, row) in table.iter().enumerate() {
            assert!((row[0] - (0.1 + rank as f64)).abs() < 1e-14, "{row:?}");
            assert_eq!(row[1], f64::INFINITY);
            assert!((row[2] - (1e6 + 1.0 / 3.0)).abs() < 1e-8, "{row:?}");
        }
    }
}
