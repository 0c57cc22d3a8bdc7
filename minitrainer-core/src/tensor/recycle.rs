//! Large value buffers kept from one training step to the next.
//!
//! A step of a large model allocates the same big buffers every time (a `[256, 1024]`
//! activation is 1 MiB) and frees them before the next. The system allocator gives such
//! memory back to the operating system and then takes it again, page by page: W2 (784-1024-
//! 1024-10, batch 256) paid about 450 page faults per step for it. Instead, a dropped tensor
//! value or a consumed gradient of at least [`MIN_LEN`] elements is kept here (at most
//! [`MAX_BYTES`] in all, the oldest given up first), and the next large op output of the
//! same length takes it over (GEMM outputs, `linear`, `relu`).

use std::sync::Mutex;

use ndarray::{Array2, ArrayD, IxDyn};

/// Smallest buffer kept (256 KiB): the allocator reuses smaller blocks without the OS.
pub(crate) const MIN_LEN: usize = 64 * 1024;

/// The most memory kept at once.
const MAX_BYTES: usize = 64 << 20;

/// Kept buffers, the most recent last; each is fully initialised.
static KEPT: Mutex<Vec<Vec<f32>>> = Mutex::new(Vec::new());

fn kept() -> std::sync::MutexGuard<'static, Vec<Vec<f32>>> {
    // A panic while the list was held leaves a valid list of buffers.
    KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Keeps `array`'s buffer for a later output when it is large; drops it otherwise.
pub(crate) fn give_back(array: ArrayD<f32>) {
    if array.len() < MIN_LEN {
        return;
    }
    let (buffer, _) = array.into_raw_vec_and_offset();
    let bytes = buffer.len() * 4;
    if bytes > MAX_BYTES {
        return;
    }
    let mut kept = kept();
    let mut total: usize = kept.iter().map(Vec::len).sum::<usize>() * 4 + bytes;
    // The oldest go first until the new one fits.
    while total > MAX_BYTES && !kept.is_empty() {
        total -= kept.remove(0).len() * 4;
    }
    kept.push(buffer);
}

/// Frees every buffer kept for reuse, returning their memory to the allocator (PyTorch's
/// `torch.cuda.empty_cache()` for this CPU cache): for a long-lived process that has finished
/// training a large model. Later steps keep buffers again. Returns the bytes released.
///
/// # Examples
/// ```
/// use minitrainer_core::tensor::{Tensor, empty_cache};
/// // A 512 × 512 value (1 MiB) is kept for reuse when it is dropped…
/// drop(Tensor::zeros(&[512, 512]));
/// // …and released here (other threads may have kept or taken buffers meanwhile).
/// let _released: usize = empty_cache();
/// ```
pub fn empty_cache() -> usize {
    let released = std::mem::take(&mut *kept());
    released.iter().map(|buffer| buffer.len() * 4).sum()
}

/// A kept buffer of `shape`'s length as a row-major array of `shape`, for an op that writes
/// every element (its old values are still in it); `None` when none is kept, and always for
/// small shapes (the caller allocates as usual).
pub(crate) fn take(shape: &[usize]) -> Option<ArrayD<f32>> {
    let len: usize = shape.iter().product();
    if len < MIN_LEN {
        return None;
    }
    let buffer = {
        let mut kept = kept();
        let found = kept.iter().rposition(|buffer| buffer.len() == len)?;
        // `remove`, not `swap_remove`: the list stays oldest first, as eviction assumes (it
        // holds at most 256 buffers).
        kept.remove(found)
    };
    ArrayD::from_shape_vec(IxDyn(shape), buffer).ok()
}

/// A `[rows, cols]` output for an op that writes every element: a kept buffer (old values in
/// it) when there is one of that length, else zeros.
pub(crate) fn matrix(rows: usize, cols: usize) -> Array2<f32> {
    take(&[rows, cols])
        .and_then(|out| out.into_dimensionality().ok())
        .unwrap_or_else(|| Array2::zeros((rows, cols)))
}

#[cfg(test)]
mod tests {
    use ndarray::{ArrayD, IxDyn};

    use super::{MIN_LEN, give_back, take};
    use crate::tensor::{Tensor, seeded_rng};

    /// The tests of this module, one at a time: one of them empties the shared cache, which
    /// would take the buffers the others check for.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[test]
    fn a_large_buffer_given_back_is_taken_over_by_the_next_output_of_its_length() {
        let _serial = serial();
        // A length no other test uses, so parallel tests cannot take this buffer.
        let len = MIN_LEN + 123;
        let array = ArrayD::from_elem(IxDyn(&[len]), 7.0_f32);
        let address = array.as_ptr();
        give_back(array);
        let out = take(&[1, len]).expect("the buffer given back");
        assert_eq!(out.shape(), [1, len]);
        assert_eq!(out.as_ptr(), address);
        // Nothing kept of that length any more.
        assert!(take(&[len]).is_none());
    }

    #[test]
    fn emptying_the_cache_releases_what_was_kept() {
        let _serial = serial();
        let len = MIN_LEN + 321;
        give_back(ArrayD::zeros(IxDyn(&[len])));
        // Other tests may keep buffers meanwhile: at least this one is released.
        assert!(super::empty_cache() >= len * 4);
        assert!(take(&[len]).is_none());
    }

    #[test]
    fn the_oldest_go_first_and_a_buffer_over_the_limit_is_not_kept() {
        let _serial = serial();
        let zeros = |len| ArrayD::zeros(IxDyn(&[len]));
        let (old, limit) = (MIN_LEN + 555, super::MAX_BYTES / 4);
        give_back(zeros(old));
        // Exactly the limit: everything kept before it goes.
        give_back(zeros(limit));
        assert!(take(&[old]).is_none());
        // Over the limit: not kept, and it evicts nothing.
        let young = MIN_LEN + 777;
        give_back(zeros(young));
        give_back(zeros(limit + 1));
        assert!(take(&[limit + 1]).is_none());
        assert!(take(&[young]).is_some());
    }

    #[test]
    fn a_buffer_taken_from_the_middle_keeps_the_others_oldest_first() {
        let _serial = serial();
        super::empty_cache();
        let zeros = |len| ArrayD::zeros(IxDyn(&[len]));
        let (a, b, c, d) = (MIN_LEN + 901, MIN_LEN + 902, MIN_LEN + 903, MIN_LEN + 904);
        for len in [a, b, c, d] {
            give_back(zeros(len));
        }
        assert!(take(&[b]).is_some());
        // Room for `d` alone beside the newcomer: `a` and `c`, the oldest, go.
        let newcomer = super::MAX_BYTES / 4 - d;
        give_back(zeros(newcomer));
        assert!(take(&[c]).is_none());
        assert!(take(&[d]).is_some());
        assert!(take(&[newcomer]).is_some());
    }

    #[test]
    fn small_buffers_are_not_kept() {
        let _serial = serial();
        let small = ArrayD::from_elem(IxDyn(&[16]), 1.0_f32);
        give_back(small);
        assert!(take(&[16]).is_none());
    }

    #[test]
    fn ops_writing_into_kept_buffers_give_the_bits_of_fresh_ones() {
        let _serial = serial();
        // Shapes no other test uses: `x [40, 1800]`, `w [1700, 1800]`; the output `[40, 1700]`
        // and `dx [40, 1800]` are large enough to be kept.
        let mut rng = seeded_rng(11);
        let x = Tensor::randn(&[40, 1800], 0.0, 1.0, &mut rng);
        let w = Tensor::randn(&[1700, 1800], 0.0, 0.05, &mut rng);
        let b = Tensor::randn(&[1700], 0.0, 1.0, &mut rng);
        for t in [&x, &w, &b] {
            t.set_requires_grad(true);
        }
        let run = || {
            for t in [&x, &w, &b] {
                t.zero_grad();
            }
            let y = x.linear(&w, Some(&b)).relu();
            y.sum().backward();
            (
                y.to_vec(),
                x.grad().map(|g| g.iter().copied().collect::<Vec<_>>()),
            )
        };
        let fresh = run();
        // Buffers full of NaN, the most recent of their lengths: the next outputs take them.
        let stale = |len| ndarray::ArrayD::from_elem(ndarray::IxDyn(&[len]), f32::NAN);
        let (out, dx) = (stale(40 * 1700), stale(40 * 1800));
        let out_address = out.as_ptr();
        give_back(out);
        give_back(dx);
        let linear = x.linear(&w, Some(&b));
        assert_eq!(
            linear.data().as_ptr(),
            out_address,
            "the kept buffer was not used"
        );
        drop(linear);
        assert_eq!(run(), fresh);
    }
}
