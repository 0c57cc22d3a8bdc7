use std::sync::mpsc;
use std::time::Duration;

use super::*;

/// Runs `body` on every rank of a fresh group, each on its own thread, and returns the ranks'
/// results in rank order. Fails the test (instead of hanging it) after 20 s.
fn on_ranks<T: Send + 'static>(
    world_size: usize,
    body: impl Fn(ThreadRank) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let (done, results) = mpsc::channel();
    let body = Arc::new(body);
    let mut threads = Vec::new();
    for rank in ThreadGroup::new(world_size) {
        let (done, body) = (done.clone(), Arc::clone(&body));
        threads.push(std::thread::spawn(move || {
            let index = rank.rank();
            let result = body(rank);
            let _ = done.send((index, result));
        }));
    }
    drop(done);
    let mut out: Vec<Option<T>> = (0..world_size).map(|_| None).collect();
    for _ in 0..world_size {
        let (rank, result) = results
            .recv_timeout(Duration::from_secs(20))
            .expect("a rank hung (or panicked) instead of returning");
        out[rank] = Some(result);
    }
    threads
        .into_iter()
        .for_each(|t| t.join().expect("no panic"));
    out.into_iter()
        .map(|r| r.expect("every rank answered"))
        .collect()
}

#[test]
fn all_reduce_sums_in_rank_order_with_identical_bits_everywhere() {
    let results = on_ranks(3, |group| {
        // 1e8 + 1 - 1e8 depends on the order: rank order gives ((1e8 + 1) + -1e8) = 0.
        let mut values = [[1e8f32, 0.5], [1.0, 0.25], [-1e8, 0.125]][group.rank()];
        group.all_reduce_sum(&mut values).map(|()| values)
    });
    for result in results {
        assert_eq!(
            result.expect("sums").map(f32::to_bits),
            [0.0f32, 0.875].map(f32::to_bits)
        );
    }
}

#[test]
fn broadcasts_max_and_bytes_reach_every_rank() {
    let results = on_ranks(3, |group| {
        let rank = group.rank();
        let mut floats = vec![rank as f32; 2];
        group.broadcast(&mut floats, 2)?;
        let max = group.all_reduce_max(10 + rank as u64)?;
        let mut bytes = format!("from {rank}").into_bytes();
        group.broadcast_bytes(&mut bytes, 1)?;
        Ok::<_, DistributedError>((floats, max, bytes))
    });
    for result in results {
        let (floats, max, bytes) = result.expect("collectives");
        assert_eq!(
            (floats, max, bytes),
            (vec![2.0, 2.0], 12, b"from 1".to_vec())
        );
    }
}

#[test]
fn many_operations_in_a_row_stay_in_step() {
    let results = on_ranks(2, |group| {
        let mut total = 0.0;
        for i in 0..500 {
            let mut value = [i as f32 + group.rank() as f32];
            group.all_reduce_sum(&mut value)?;
            total += value[0];
        }
        Ok::<_, DistributedError>(total)
    });
    let expected: f32 = (0..500).map(|i| 2.0 * i as f32 + 1.0).sum();
    for result in results {
        assert_eq!(result.expect("sums"), expected);
    }
}

#[test]
fn a_length_mismatch_is_reported_on_every_rank() {
    let results = on_ranks(2, |group| {
        let mut values = vec![1.0; 2 + group.rank()];
        group.all_reduce_sum(&mut values)
    });
    for result in results {
        let error = result.expect_err("lengths differ");
        assert!(
            matches!(
                error,
                DistributedError::LengthMismatch {
                    rank: 1,
                    len: 3,
                    expected: 2,
                    ..
                }
            ),
            "{error}"
        );
    }
}

#[test]
fn a_root_out_of_range_is_an_error_not_a_hang() {
    let results = on_ranks(2, |group| group.broadcast(&mut [0.0], 2));
    for result in results {
        assert!(matches!(
            result,
            Err(DistributedError::RootOutOfRange {
                root: 2,
                world_size: 2
            })
        ));
    }
}

#[test]
fn a_rank_that_returns_early_wakes_the_waiting_ranks() {
    let results = on_ranks(3, |group| {
        if group.rank() == 1 {
            return Ok(()); // leaves: its handle is dropped here
        }
        group.all_reduce_sum(&mut [1.0])
    });
    assert!(results[1].is_ok());
    for rank in [0, 2] {
        let error = results[rank].as_ref().expect_err("rank 1 left");
        assert!(
            matches!(error, DistributedError::PeerGone { rank: 1, .. }),
            "{error}"
        );
    }
}

#[test]
fn a_rank_that_panics_wakes_the_waiting_ranks() {
    let results = on_ranks(2, |group| {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if group.rank() == 0 {
                panic!("rank 0 fails mid-run");
            }
            group.all_reduce_max(1)
        }));
        drop(group);
        outcome.map_err(|_| "panicked")
    });
    assert!(results[0].is_err());
    let error = results[1]
        .as_ref()
        .expect("no panic")
        .as_ref()
        .expect_err("rank 0 left");
    assert!(
        matches!(error, DistributedError::PeerGone { rank: 0, .. }),
        "{error}"
    );
}

#[test]
fn after_a_rank_left_later_operations_fail_at_once() {
    let results = on_ranks(2, |group| {
        group.all_reduce_max(1)?;
        if group.rank() == 0 {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
        group.all_reduce_max(2).map(drop)
    });
    assert!(results[0].is_ok());
    assert!(matches!(
        results[1],
        Err(DistributedError::PeerGone { rank: 0, .. })
    ));
}

#[test]
fn different_operations_at_the_same_point_are_an_error() {
    let results = on_ranks(2, |group| {
        if group.rank() == 0 {
            group.all_reduce_max(1).map(drop)
        } else {
            group.all_reduce_sum(&mut [1.0])
        }
    });
    for result in results {
        assert!(matches!(result, Err(DistributedError::Transport(_))));
    }
}

#[test]
fn a_group_of_one_is_its_own_result() {
    let results = on_ranks(1, |group| {
        let mut values = [3.0];
        group.all_reduce_sum(&mut values)?;
        Ok::<_, DistributedError>((values, group.all_reduce_max(7)?, group.is_main()))
    });
    assert_eq!(results[0].as_ref().expect("works"), &([3.0], 7, true));
}
