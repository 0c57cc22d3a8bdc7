//! The one door to matrix-multiply kernels: every GEMM of the tensor ops (forward and backward)
//! goes through [`gemm_into`] or [`product`], and the single-row product of batch-1 inference
//! through [`row_times_columns`], so the kernels and their threading are chosen in one place.
//!
//! The GEMM kernel is matrixmultiply's (through ndarray's `general_mat_mul`, with its AVX-512
//! and FMA kernels picked at run time), always single-threaded: a product large enough to pay
//! for the hand-off is split here into blocks of rows or columns of `c`, each one kernel call,
//! shared out between the caller and the runtime's workers ([`crate::num_threads`] in all;
//! `threads.rs`). Every element of `c` sees the same kernel and the same summation order
//! whatever the split, so results do not depend on the thread count.

use std::sync::Mutex;

use pulp::{Simd, WithSimd};

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, Slice, linalg::general_mat_mul};

use crate::threads::{next_block, num_threads, run_on_threads};

/// Floating-point operations (`2·n·k·p`) a thread must get before a product is split: below
/// this, handing half of it to a worker costs more than the half saves.
const FLOPS_PER_THREAD: usize = 4_000_000;

/// Fewest rows (or columns) of `c` per block: below one kernel tile's worth the kernel
/// computes padding.
const MIN_BLOCK: usize = 16;

/// Blocks per thread: enough for the caller to take over a late worker's share, few enough
/// that the operand every block packs again (see below) stays a small cost.
const BLOCKS_PER_THREAD: usize = 2;

/// `c = alpha · a·b + beta · c` (BLAS `sgemm`) on views of any strides.
///
/// # Panics
/// When the shapes do not fit (`a: [n, k]`, `b: [k, p]`, `c: [n, p]`); callers check first.
pub(crate) fn gemm_into(
    alpha: f32,
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
    beta: f32,
    c: &mut ArrayViewMut2<'_, f32>,
) {
    gemm_on_threads(num_threads(), alpha, a, b, beta, c);
}

/// [`gemm_into`] on at most `threads` threads.
fn gemm_on_threads(
    threads: usize,
    alpha: f32,
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
    beta: f32,
    c: &mut ArrayViewMut2<'_, f32>,
) {
    let (n, k) = a.dim();
    let p = b.ncols();
    // Split by rows, every thread packs all of `b` (`k·p`); by columns, all of `a` (`n·k`):
    // split the longer side of `c`, so that the operand packed twice is the smaller one.
    let (axis, len) = if n >= p { (Axis(0), n) } else { (Axis(1), p) };
    let threads = threads
        .min((2 * n * k * p) / FLOPS_PER_THREAD)
        .min(len / MIN_BLOCK);
    if threads < 2 || b.nrows() != k || c.shape() != [n, p] {
        // One thread, or shapes that do not fit (general_mat_mul's own panic says so).
        return general_mat_mul(alpha, a, b, beta, c);
    }
    // More blocks than threads, claimed in turn by whichever thread is free: the caller
    // starts at once and takes over the blocks of a worker that wakes late (the machine is
    // often shared), instead of waiting for it.
    let blocks = (threads * BLOCKS_PER_THREAD).min(len / MIN_BLOCK);
    let size = len.div_ceil(blocks);
    // Blocks are handed out in order, one at a time, to whichever thread asks next.
    let blocks = Mutex::new(c.axis_chunks_iter_mut(axis, size).enumerate());
    let work = || {
        loop {
            let Some((i, mut c_block)) = next_block(&blocks) else {
                return;
            };
            let start = i * size;
            let range = Slice::from(start..start + c_block.len_of(axis));
            let (a, b) = if axis == Axis(0) {
                (a.slice_axis(axis, range), b.view())
            } else {
                (a.view(), b.slice_axis(axis, range))
            };
            general_mat_mul(alpha, &a, &b, beta, &mut c_block);
        }
    };
    run_on_threads(threads, &work);
}

/// `a·b` into a new row-major matrix.
///
/// # Panics
/// When the inner sizes differ; callers check first.
pub(crate) fn product(a: &ArrayView2<'_, f32>, b: &ArrayView2<'_, f32>) -> Array2<f32> {
    // beta = 0 below: the kernel overwrites `out` without reading it (BLAS's contract), so a
    // recycled buffer's old values do not matter.
    let mut out = super::recycle::matrix(a.nrows(), b.ncols());
    gemm_into(1.0, a, b, 0.0, &mut out.view_mut());
    out
}

/// `out[j] = x · columns[j]` for the columns of a matrix stored column after column
/// (`columns.len() == out.len() · x.len()`): a vector-matrix product (batch-1 inference) that
/// reads the matrix once, with the widest vectors the CPU has (AVX-512, AVX2+FMA, else SSE2;
/// chosen at run time by `pulp`, safely), where GEMM would pack the whole matrix first.
///
/// # Panics
/// When the lengths do not fit; callers check first.
pub(crate) fn row_times_columns(x: &[f32], columns: &[f32], out: &mut [f32]) {
    assert_eq!(
        columns.len(),
        out.len() * x.len(),
        "minitrainer internal error: row_times_columns sizes"
    );
    if x.is_empty() {
        return out.fill(0.0);
    }
    pulp::Arch::new().dispatch(RowTimesColumns { x, columns, out });
}

struct RowTimesColumns<'a> {
    x: &'a [f32],
    columns: &'a [f32],
    out: &'a mut [f32],
}

impl WithSimd for RowTimesColumns<'_> {
    type Output = ();

    // Inlined into pulp's per-instruction-set entry points, so `simd` is that set's.
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let m = self.x.len();
        let (x_vectors, x_tail) = S::as_simd_f32s(self.x);
        let tail_dot = |c: &[f32]| x_tail.iter().zip(c).map(|(a, b)| a * b).sum::<f32>();
        let zero = simd.splat_f32s(0.0);
        // Four columns at a time: four independent accumulators (no FMA latency chain) and
        // one load of `x` for four columns.
        let mut quads = self.columns.chunks_exact(4 * m);
        let mut outs = self.out.chunks_exact_mut(4);
        for (quad, out) in (&mut quads).zip(&mut outs) {
            let (c0, rest) = quad.split_at(m);
            let (c1, rest) = rest.split_at(m);
            let (c2, c3) = rest.split_at(m);
            let ((v0, t0), (v1, t1)) = (S::as_simd_f32s(c0), S::as_simd_f32s(c1));
            let ((v2, t2), (v3, t3)) = (S::as_simd_f32s(c2), S::as_simd_f32s(c3));
            let mut acc = [zero; 4];
            // Zipped iterators, not indices: no bounds check in the loop.
            let vectors = x_vectors.iter().zip(v0).zip(v1).zip(v2).zip(v3);
            for ((((&xv, &a0), &a1), &a2), &a3) in vectors {
                acc[0] = simd.mul_add_e_f32s(xv, a0, acc[0]);
                acc[1] = simd.mul_add_e_f32s(xv, a1, acc[1]);
                acc[2] = simd.mul_add_e_f32s(xv, a2, acc[2]);
                acc[3] = simd.mul_add_e_f32s(xv, a3, acc[3]);
            }
            for ((o, a), t) in out.iter_mut().zip(acc).zip([t0, t1, t2, t3]) {
                *o = simd.reduce_sum_f32s(a) + tail_dot(t);
            }
        }
        for (column, o) in quads.remainder().chunks_exact(m).zip(outs.into_remainder()) {
            let (v, t) = S::as_simd_f32s(column);
            let acc = (x_vectors.iter().zip(v))
                .fold(zero, |acc, (&xv, &cv)| simd.mul_add_e_f32s(xv, cv, acc));
            *o = simd.reduce_sum_f32s(acc) + tail_dot(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{Array2, ShapeBuilder};

    use super::{gemm_on_threads, row_times_columns};

    /// A deterministic `[rows, cols]` matrix of values in [-0.5, 0.5), column-major if asked.
    fn matrix(rows: usize, cols: usize, seed: u32, column_major: bool) -> Array2<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        let values = (0..rows * cols)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect();
        let shape = (rows, cols);
        if column_major {
            Array2::from_shape_vec(shape.f(), values).unwrap()
        } else {
            Array2::from_shape_vec(shape, values).unwrap()
        }
    }

    #[test]
    fn a_split_product_equals_the_single_threaded_one_bit_for_bit() {
        // Row splits (n >= p) and column splits, operands in both layouts, alpha and beta.
        for (n, k, p, column_major) in [
            (300, 200, 70, false),
            (64, 784, 256, true),
            (256, 64, 300, false),
            (40, 500, 500, true),
        ] {
            let (a, b) = (matrix(n, k, 1, column_major), matrix(k, p, 2, false));
            let start = matrix(n, p, 3, false);
            let mut expected = start.clone();
            gemm_on_threads(1, 0.5, &a.view(), &b.view(), 2.0, &mut expected.view_mut());
            for threads in [2, 3] {
                let mut split = start.clone();
                gemm_on_threads(
                    threads,
                    0.5,
                    &a.view(),
                    &b.view(),
                    2.0,
                    &mut split.view_mut(),
                );
                assert_eq!(split, expected, "{n}x{k}x{p} on {threads} threads");
            }
            // And the single-threaded one is the product (against a plain f64 sum).
            let (i, j) = (n - 1, p / 2);
            let sum: f64 = (0..k)
                .map(|l| f64::from(a[[i, l]]) * f64::from(b[[l, j]]))
                .sum();
            let want = 0.5 * sum + 2.0 * f64::from(start[[i, j]]);
            assert!(
                (f64::from(expected[[i, j]]) - want).abs() < 1e-4,
                "{n}x{k}x{p}"
            );
        }
    }

    #[test]
    fn callers_on_several_threads_share_the_workers_and_get_the_same_bits() {
        // Four threads split products at once: their blocks queue for the same workers, and
        // each caller finishes what the workers have not taken.
        let (a, b) = (matrix(200, 300, 6, false), matrix(300, 180, 7, true));
        let mut expected = Array2::zeros((200, 180));
        gemm_on_threads(1, 1.0, &a.view(), &b.view(), 0.0, &mut expected.view_mut());
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..5 {
                        let mut c = Array2::from_elem((200, 180), f32::NAN);
                        gemm_on_threads(3, 1.0, &a.view(), &b.view(), 0.0, &mut c.view_mut());
                        assert_eq!(c, expected);
                    }
                });
            }
        });
    }

    #[test]
    fn the_vector_matrix_kernel_matches_a_plain_sum_at_every_length() {
        // Lengths around the vector widths (4, 8, 16 lanes); 1–9 columns cover groups of four
        // and the single columns after them.
        for m in [0, 1, 3, 8, 15, 16, 17, 33, 784] {
            for p in 1..=9 {
                let x = matrix(1, m, 4, false);
                let columns = matrix(p, m, 5, false);
                let mut out = vec![f32::NAN; p];
                let (x, columns) = (x.as_slice().unwrap(), columns.as_slice().unwrap());
                row_times_columns(x, columns, &mut out);
                for (j, got) in out.iter().enumerate() {
                    let column = &columns[j * m..(j + 1) * m];
                    let want: f64 = (x.iter().zip(column))
                        .map(|(a, b)| f64::from(*a) * f64::from(*b))
                        .sum();
                    assert!(
                        (f64::from(*got) - want).abs() < 1e-5,
                        "m {m}, p {p}, column {j}"
                    );
                }
            }
        }
    }
}
