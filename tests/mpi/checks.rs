//! The collective operations on every rank: values, identical bits, and errors every rank sees.

use minitrainer::distributed::{Collective, DistributedError, MpiCollective};

/// Runs every check; the first failure's message.
pub fn run(world: &MpiCollective) -> Result<(), String> {
    identity(world)?;
    broadcast_from_every_root(world)?;
    all_reduce_sum_values(world)?;
    all_reduce_sum_same_bits(world)?;
    broadcast_bytes_any_length(world)?;
    all_reduce_max_values(world)?;
    mismatches_reach_every_rank(world)?;
    a_failure_is_agreed(world)?;
    second_init_is_an_error()?;
    Ok(())
}

/// `TrainerBuilder::distributed` takes a `Collective + Send`; an `Arc` shares the handle.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<MpiCollective>();
};

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

fn op<T>(result: Result<T, DistributedError>, what: &str) -> Result<T, String> {
    result.map_err(|e| format!("{what}: {e}"))
}

fn identity(world: &MpiCollective) -> Result<(), String> {
    let (rank, size) = (world.rank(), world.world_size());
    ensure(rank < size && world.is_main() == (rank == 0), || {
        format!(
            "rank {rank}, world size {size}, is_main {}",
            world.is_main()
        )
    })
}

fn broadcast_from_every_root(world: &MpiCollective) -> Result<(), String> {
    for root in 0..world.world_size() {
        let mut buffer: Vec<f32> = (0..5).map(|i| (world.rank() * 10 + i) as f32).collect();
        op(world.broadcast(&mut buffer, root), "broadcast")?;
        let want: Vec<f32> = (0..5).map(|i| (root * 10 + i) as f32).collect();
        ensure(buffer == want, || {
            format!("broadcast from {root}: {buffer:?}")
        })?;
    }
    Ok(())
}

fn all_reduce_sum_values(world: &MpiCollective) -> Result<(), String> {
    // Small integers: exact in f32 whatever the order of the additions.
    let n = world.world_size();
    let mut buffer: Vec<f32> = (0..1000).map(|i| ((world.rank() + 1) * i) as f32).collect();
    op(world.all_reduce_sum(&mut buffer), "all_reduce_sum")?;
    let bad = (0..1000).find(|&i| buffer[i] != (i * n * (n + 1) / 2) as f32);
    ensure(bad.is_none(), || format!("all_reduce_sum wrong at {bad:?}"))?;
    let mut empty: Vec<f32> = Vec::new();
    op(
        world.all_reduce_sum(&mut empty),
        "all_reduce_sum of nothing",
    )
}

/// Values whose sum depends on the order of the additions: every rank must still hold the same
/// bits (rank 0's, compared through `broadcast_bytes`), and they must be a correct sum.
fn all_reduce_sum_same_bits(world: &MpiCollective) -> Result<(), String> {
    let rank = world.rank() as f32;
    let len = 300_000;
    let mut buffer: Vec<f32> = (0..len)
        .map(|i| {
            let x = (i as f32 * 0.618_034 + rank * 0.414_213_57).sin();
            x * 10f32.powi((i % 9) as i32 - 4)
        })
        .collect();
    let exact: Vec<f64> = (0..len)
        .map(|i| {
            (0..world.world_size())
                .map(|r| {
                    let x = (i as f32 * 0.618_034 + r as f32 * 0.414_213_57).sin();
                    f64::from(x * 10f32.powi((i % 9) as i32 - 4))
                })
                .sum()
        })
        .collect();
    op(world.all_reduce_sum(&mut buffer), "all_reduce_sum")?;
    let bad = (0..len).find(|&i| {
        let tolerance = 1e-6 * (exact[i].abs() + 10f64.powi((i % 9) as i32 - 4));
        (f64::from(buffer[i]) - exact[i]).abs() > tolerance
    });
    ensure(bad.is_none(), || {
        format!("all_reduce_sum inexact at {bad:?}")
    })?;
    same_bits_everywhere(world, &buffer, "all_reduce_sum")
}

/// Rank 0's `values` as bytes to every rank; an error on a rank whose bits differ (every rank
/// then learns of it through `all_reduce_max`).
pub fn same_bits_everywhere(
    world: &MpiCollective,
    values: &[f32],
    what: &str,
) -> Result<(), String> {
    let mine: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut rank0 = mine.clone();
    op(world.broadcast_bytes(&mut rank0, 0), "broadcast_bytes")?;
    let differs = u64::from(rank0 != mine);
    let any = op(world.all_reduce_max(differs), "all_reduce_max")?;
    ensure(any == 0, || {
        format!("{what}: the ranks' values are not bitwise equal (this rank differs: {differs})")
    })
}

fn broadcast_bytes_any_length(world: &MpiCollective) -> Result<(), String> {
    for root in 0..world.world_size() {
        let message = format!("rank {root} says hello").repeat(root + 1);
        let mut bytes = if world.rank() == root {
            message.clone().into_bytes()
        } else {
            vec![7; world.rank() * 3] // other lengths, other contents: replaced
        };
        op(world.broadcast_bytes(&mut bytes, root), "broadcast_bytes")?;
        ensure(bytes == message.as_bytes(), || {
            format!(
                "broadcast_bytes from {root}: {:?}",
                String::from_utf8_lossy(&bytes)
            )
        })?;
    }
    let mut bytes = if world.is_main() {
        Vec::new()
    } else {
        vec![1, 2, 3]
    };
    op(world.broadcast_bytes(&mut bytes, 0), "broadcast_bytes")?;
    ensure(bytes.is_empty(), || {
        "an empty broadcast_bytes left bytes".to_owned()
    })
}

fn all_reduce_max_values(world: &MpiCollective) -> Result<(), String> {
    let n = world.world_size() as u64;
    let max = op(
        world.all_reduce_max(world.rank() as u64 * 7 + 3),
        "all_reduce_max",
    )?;
    ensure(max == (n - 1) * 7 + 3, || format!("all_reduce_max: {max}"))?;
    let big = if world.rank() == 1 % world.world_size() {
        u64::MAX
    } else {
        0
    };
    let max = op(world.all_reduce_max(big), "all_reduce_max")?;
    ensure(max == u64::MAX, || {
        format!("all_reduce_max of u64::MAX: {max}")
    })
}

/// The last rank passes one value more, or names another root: every rank gets the same error,
/// and the group still works afterwards (no rank is left inside an operation).
fn mismatches_reach_every_rank(world: &MpiCollective) -> Result<(), String> {
    let last = world.world_size() - 1;
    let len = if world.rank() == last { 5 } else { 4 };
    let mut buffer = vec![1.0_f32; len];
    let expected = |e: &DistributedError| matches!(e, DistributedError::LengthMismatch { rank, len: 5, expected: 4, .. } if *rank == last);
    match world.all_reduce_sum(&mut buffer) {
        Err(e) if expected(&e) => {}
        other => return Err(format!("all_reduce_sum with lengths 4 and 5: {other:?}")),
    }
    match world.broadcast(&mut buffer, 0) {
        Err(e) if expected(&e) => {}
        other => return Err(format!("broadcast with lengths 4 and 5: {other:?}")),
    }
    let mut buffer = vec![1.0_f32; 4];
    let root = if world.rank() == last { 1 } else { 0 };
    match world.broadcast(&mut buffer, root) {
        Err(DistributedError::Transport(m)) if m.contains("root") => {}
        other => return Err(format!("broadcast with roots 0 and 1: {other:?}")),
    }
    let n = world.world_size();
    match world.broadcast(&mut buffer, n) {
        Err(DistributedError::RootOutOfRange { root, world_size })
            if (root, world_size) == (n, n) => {}
        other => return Err(format!("broadcast from root {n}: {other:?}")),
    }
    op(
        world.all_reduce_sum(&mut buffer),
        "all_reduce_sum after the mismatches",
    )?;
    ensure(buffer == vec![n as f32; 4], || {
        format!("after the mismatches: {buffer:?}")
    })
}

/// The status agreement data-parallel training runs each step: the last rank fails, all agree
/// on `1 + rank`, and the failed rank's message reaches every rank.
fn a_failure_is_agreed(world: &MpiCollective) -> Result<(), String> {
    let last = world.world_size() - 1;
    let status = if world.rank() == last {
        1 + last as u64
    } else {
        0
    };
    let agreed = op(world.all_reduce_max(status), "all_reduce_max")?;
    ensure(agreed == 1 + last as u64, || {
        format!("agreed status {agreed}")
    })?;
    let failed = (agreed - 1) as usize;
    let mut message = if world.rank() == failed {
        b"loss is NaN at step 3".to_vec()
    } else {
        Vec::new()
    };
    op(
        world.broadcast_bytes(&mut message, failed),
        "broadcast_bytes",
    )?;
    ensure(message == b"loss is NaN at step 3", || {
        format!("failure message: {:?}", String::from_utf8_lossy(&message))
    })
}

fn second_init_is_an_error() -> Result<(), String> {
    match MpiCollective::new() {
        Err(DistributedError::Transport(m)) if m.contains("already initialised") => Ok(()),
        other => Err(format!("a second MpiCollective::new(): {other:?}")),
    }
}
