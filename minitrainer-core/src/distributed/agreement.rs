//! Agreeing between ranks: whether any rank failed (and with which message), and a small table
//! of every rank's numbers. Both are built from the port's operations alone, so every adapter
//! gets them.

use super::{Collective, DistributedError};

/// Tells the group whether this rank failed (`Some(message)`) and learns whether any did.
///
/// Every rank calls it at the same points. When ranks failed, the highest failing rank's
/// message is broadcast and every rank gets [`DistributedError::RankFailed`] naming that rank;
/// `Ok` means no rank failed. A rank that failed itself usually returns its own error instead.
///
/// # Errors
/// [`DistributedError::RankFailed`] as above, or an error of the group itself.
///
/// # Examples
/// ```
/// use minitrainer_core::distributed::{SingleProcess, agree_on_failure};
/// assert!(agree_on_failure(&SingleProcess, None).is_ok());
/// let error = agree_on_failure(&SingleProcess, Some("bad data")).unwrap_err();
/// assert_eq!(error.to_string(), "rank 0 failed: bad data");
/// ```
pub fn agree_on_failure(
    group: &dyn Collective,
    failure: Option<&str>,
) -> Result<(), DistributedError> {
    let status = failure.map_or(0, |_| 1 + group.rank() as u64);
    let agreed = group.all_reduce_max(status)?;
    if agreed == 0 {
        return Ok(());
    }
    let rank = (agreed - 1) as usize;
    let mut bytes = failure.unwrap_or_default().as_bytes().to_vec();
    group.broadcast_bytes(&mut bytes, rank)?;
    Err(DistributedError::RankFailed {
        rank,
        message: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// Every rank's `values` (each rank passes as many), in rank order, on every rank.
///
/// Built on one `all_reduce_sum` over `f32`: each rank writes its values into its own slots of
/// a zeroed buffer, so every sum is `x + 0`, exact. An `f64` travels as two `f32`s (the value
/// rounded, and what rounding lost), which keeps about 48 bits of it; a non-finite value stays
/// itself.
///
/// # Errors
/// An error of the group (a peer left, another rank passed another count).
pub fn all_gather_f64(
    group: &dyn Collective,
    values: &[f64],
) -> Result<Vec<Vec<f64>>, DistributedError> {
    if values.is_empty() {
        return Ok(vec![Vec::new(); group.world_size()]);
    }
    let width = 2 * values.len();
    let mut buffer = vec![0.0f32; width * group.world_size()];
    let mine = &mut buffer[width * group.rank()..width * (group.rank() + 1)];
    for (slot, value) in mine.chunks_exact_mut(2).zip(values) {
        let high = *value as f32;
        let low = if high.is_finite() {
            (value - f64::from(high)) as f32
        } else {
            0.0
        };
        slot.copy_from_slice(&[high, low]);
    }
    group.all_reduce_sum(&mut buffer)?;
    Ok(buffer
        .chunks_exact(width)
        .map(|rank| {
            rank.chunks_exact(2)
                .map(|pair| f64::from(pair[0]) + f64::from(pair[1]))
                .collect()
        })
        .collect())
}
