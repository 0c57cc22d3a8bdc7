//! The update loops of the common cases, without branches, and for `f32` on the CPU's widest
//! vectors: plain SGD's `p ← p + (-lr)·g` ([`Float::add_scaled`]) and Adam's
//! ([`AdamLanes`]).
//!
//! Adam's common case (no amsgrad, no maximize, no coupled decay, `|1 - β1| < 0.5`) is a loop
//! without branches: the same operations in the same order as the general loop in `adam.rs`,
//! hence the same bits. For `f32` (every model) it runs on the widest vectors the CPU has
//! (`pulp`'s run-time dispatch: AVX-512, AVX2, SSE2), not the baseline target's SSE2: its two
//! divisions and a square root per element made Adam 39% of an MNIST training step (`perf`,
//! W6). Vector lanes matter beyond speed too: once a dead unit's moments have decayed into the
//! subnormal range (they stay there), every operation on them costs a microcode assist, paid
//! once per vector instead of once per element.
//!
//! Every operation is IEEE-exact in any lane width (add, sub, mul, div, sqrt; no fused
//! multiply-add), so the vectorized and scalar loops give the same bits. Each element's update
//! reads only its own element, so a large parameter's loop is also split in chunks over the
//! runtime's threads (`threads.rs`) without changing a bit.

use std::sync::Mutex;

use pulp::{Simd, WithSimd};

use super::float::Float;
use crate::threads::{next_block, num_threads, run_on_threads};

/// Elements per thread before an update is split: a 256 × 784 weight's Adam step (~0.2 ms)
/// pays for the hand-off to a worker, a bias does not.
const ELEMENTS_PER_THREAD: usize = 1 << 16;

/// Chunks of a split update: several per thread, so that the caller takes over a late
/// worker's share; a multiple of every vector width.
fn chunk_len(len: usize, threads: usize) -> usize {
    len.div_ceil(4 * threads).next_multiple_of(64)
}

/// How many threads an update of `len` elements uses when `threads` are allowed.
fn threads_for(len: usize, threads: usize) -> usize {
    threads.min(len / ELEMENTS_PER_THREAD).max(1)
}

/// Adam's scalars for one parameter, cast to its element type.
pub(crate) struct AdamLanes<T> {
    pub(crate) one_minus_beta1: T,
    pub(crate) beta2: T,
    pub(crate) one_minus_beta2: T,
    pub(crate) sqrt_bc2: T,
    pub(crate) eps: T,
    pub(crate) neg_step_size: T,
    pub(crate) decay: T,
}

impl<T: Float> AdamLanes<T> {
    /// Updates `param` and the moments `m`, `v` in place, one element at a time (`f64`, and
    /// the tails of the vector loop). `DECAY`: AdamW's `p ← p·(1 - lr·wd)` first.
    pub(crate) fn run_scalar<const DECAY: bool>(
        &self,
        param: &mut [T],
        grad: &[T],
        m: &mut [T],
        v: &mut [T],
    ) {
        let n = param.len().min(grad.len()).min(m.len()).min(v.len());
        let lanes = param[..n]
            .iter_mut()
            .zip(&grad[..n])
            .zip(&mut m[..n])
            .zip(&mut v[..n]);
        for (((p, &g), m), v) in lanes {
            if DECAY {
                *p = *p * self.decay;
            }
            *m = *m + self.one_minus_beta1 * (g - *m);
            *v = *v * self.beta2 + self.one_minus_beta2 * g * g;
            let denom = v.sqrt() / self.sqrt_bc2 + self.eps;
            *p = *p + self.neg_step_size * *m / denom;
        }
    }
}

/// [`AdamLanes::run_scalar`] for `f32`, on vectors chosen at run time, a large parameter in
/// chunks over the runtime's threads.
pub(crate) fn run_f32<const DECAY: bool>(
    lanes: &AdamLanes<f32>,
    param: &mut [f32],
    grad: &[f32],
    m: &mut [f32],
    v: &mut [f32],
) {
    run_f32_on::<DECAY>(num_threads(), lanes, param, grad, m, v);
}

/// [`run_f32`] on at most `threads` threads.
fn run_f32_on<const DECAY: bool>(
    threads: usize,
    lanes: &AdamLanes<f32>,
    param: &mut [f32],
    grad: &[f32],
    m: &mut [f32],
    v: &mut [f32],
) {
    let n = param.len().min(grad.len()).min(m.len()).min(v.len());
    let (param, grad, m, v) = (&mut param[..n], &grad[..n], &mut m[..n], &mut v[..n]);
    let run = |param, grad, m, v| {
        let vectors = Vectors::<DECAY> {
            lanes,
            param,
            grad,
            m,
            v,
        };
        pulp::Arch::new().dispatch(vectors);
    };
    let threads = threads_for(n, threads);
    if threads < 2 {
        return run(param, grad, m, v);
    }
    let size = chunk_len(n, threads);
    let chunks = param.chunks_mut(size).zip(grad.chunks(size));
    let chunks = Mutex::new(chunks.zip(m.chunks_mut(size)).zip(v.chunks_mut(size)));
    run_on_threads(threads, &|| {
        while let Some((((param, grad), m), v)) = next_block(&chunks) {
            run(param, grad, m, v);
        }
    });
}

struct Vectors<'a, const DECAY: bool> {
    lanes: &'a AdamLanes<f32>,
    param: &'a mut [f32],
    grad: &'a [f32],
    m: &'a mut [f32],
    v: &'a mut [f32],
}

impl<const DECAY: bool> WithSimd for Vectors<'_, DECAY> {
    type Output = ();

    // Inlined into pulp's per-instruction-set entry points, so `simd` is that set's.
    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let l = self.lanes;
        // The four slices have one length, so they split into vectors at the same place.
        let (p, p_tail) = S::as_mut_simd_f32s(self.param);
        let (g, g_tail) = S::as_simd_f32s(self.grad);
        let (m, m_tail) = S::as_mut_simd_f32s(self.m);
        let (v, v_tail) = S::as_mut_simd_f32s(self.v);
        let one_minus_beta1 = simd.splat_f32s(l.one_minus_beta1);
        let (beta2, one_minus_beta2) =
            (simd.splat_f32s(l.beta2), simd.splat_f32s(l.one_minus_beta2));
        let (sqrt_bc2, eps) = (simd.splat_f32s(l.sqrt_bc2), simd.splat_f32s(l.eps));
        let (neg_step_size, decay) = (simd.splat_f32s(l.neg_step_size), simd.splat_f32s(l.decay));
        for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m).zip(v) {
            if DECAY {
                *p = simd.mul_f32s(*p, decay);
            }
            *m = simd.add_f32s(*m, simd.mul_f32s(one_minus_beta1, simd.sub_f32s(g, *m)));
            let g_squared = simd.mul_f32s(simd.mul_f32s(one_minus_beta2, g), g);
            *v = simd.add_f32s(simd.mul_f32s(*v, beta2), g_squared);
            let denom = simd.add_f32s(simd.div_f32s(simd.sqrt_f32s(*v), sqrt_bc2), eps);
            let step = simd.div_f32s(simd.mul_f32s(neg_step_size, *m), denom);
            *p = simd.add_f32s(*p, step);
        }
        l.run_scalar::<DECAY>(p_tail, g_tail, m_tail, v_tail);
    }
}

/// `p ← p + alpha·g` for `f32`, on vectors chosen at run time (the scalar loop's bits: a
/// multiply then an add, not fused), a large parameter in chunks over the runtime's threads.
pub(crate) fn add_scaled_f32(param: &mut [f32], grad: &[f32], alpha: f32) {
    add_scaled_f32_on(num_threads(), param, grad, alpha);
}

/// [`add_scaled_f32`] on at most `threads` threads.
fn add_scaled_f32_on(threads: usize, param: &mut [f32], grad: &[f32], alpha: f32) {
    let n = param.len().min(grad.len());
    let (param, grad) = (&mut param[..n], &grad[..n]);
    let run = |param, grad| pulp::Arch::new().dispatch(AddScaled { param, grad, alpha });
    let threads = threads_for(n, threads);
    if threads < 2 {
        return run(param, grad);
    }
    let size = chunk_len(n, threads);
    let chunks = Mutex::new(param.chunks_mut(size).zip(grad.chunks(size)));
    run_on_threads(threads, &|| {
        while let Some((param, grad)) = next_block(&chunks) {
            run(param, grad);
        }
    });
}

/// `p ← p + alpha·g`, one element at a time (`f64`, and the tail of the vector loop).
pub(crate) fn add_scaled_scalar<T: Float>(param: &mut [T], grad: &[T], alpha: T) {
    for (p, &g) in param.iter_mut().zip(grad) {
        *p = *p + alpha * g;
    }
}

struct AddScaled<'a> {
    param: &'a mut [f32],
    grad: &'a [f32],
    alpha: f32,
}

impl WithSimd for AddScaled<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let (p, p_tail) = S::as_mut_simd_f32s(self.param);
        let (g, g_tail) = S::as_simd_f32s(self.grad);
        let alpha = simd.splat_f32s(self.alpha);
        for (p, &g) in p.iter_mut().zip(g) {
            *p = simd.add_f32s(*p, simd.mul_f32s(alpha, g));
        }
        add_scaled_scalar(p_tail, g_tail, self.alpha);
    }
}

#[cfg(test)]
mod tests {
    use super::AdamLanes;

    fn lanes<T: super::Float>() -> AdamLanes<T> {
        AdamLanes {
            one_minus_beta1: T::of(0.1),
            beta2: T::of(0.999),
            one_minus_beta2: T::of(1.0 - 0.999),
            sqrt_bc2: T::of((1.0f64 - 0.999f64.powi(3)).sqrt()),
            eps: T::of(1e-8),
            neg_step_size: T::of(-1e-3 / (1.0 - 0.9f64.powi(3))),
            decay: T::of(1.0 - 1e-3 * 0.01),
        }
    }

    /// Deterministic values in [-2, 2), with subnormals, zeros, infinities and NaN mixed in.
    fn values(len: usize, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(7);
        (0..len)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                match i % 53 {
                    7 => 1e-40,
                    19 => 0.0,
                    31 => f32::INFINITY,
                    43 => f32::NAN,
                    _ => (state >> 8) as f32 / (1u32 << 22) as f32 - 2.0,
                }
            })
            .collect()
    }

    fn bits(values: &[f32]) -> Vec<u32> {
        values.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn the_vector_sgd_step_gives_the_bits_of_the_scalar_one() {
        for len in [0, 1, 3, 4, 7, 8, 15, 16, 17, 33, 100, 1000] {
            let (param, grad) = (values(len, 5), values(len, 6));
            let (mut vector, mut scalar) = (param.clone(), param);
            super::add_scaled_f32(&mut vector, &grad, -0.01);
            super::add_scaled_scalar(&mut scalar, &grad, -0.01);
            assert_eq!(bits(&vector), bits(&scalar), "length {len}");
        }
    }

    #[test]
    fn a_large_update_split_over_threads_gives_the_bits_of_the_scalar_loop() {
        let len = 3 * super::ELEMENTS_PER_THREAD + 77;
        let (param, grad, m) = (values(len, 7), values(len, 8), values(len, 9));
        let v: Vec<f32> = values(len, 10).iter().map(|x| x.abs()).collect();
        let lanes = lanes::<f32>();
        let (mut p1, mut m1, mut v1) = (param.clone(), m.clone(), v.clone());
        let (mut p2, mut m2, mut v2) = (param.clone(), m, v);
        super::run_f32_on::<true>(3, &lanes, &mut p1, &grad, &mut m1, &mut v1);
        lanes.run_scalar::<true>(&mut p2, &grad, &mut m2, &mut v2);
        for (a, b) in [(&p1, &p2), (&m1, &m2), (&v1, &v2)] {
            assert_eq!(bits(a), bits(b));
        }
        let (mut split, mut scalar) = (param.clone(), param);
        super::add_scaled_f32_on(3, &mut split, &grad, -0.01);
        super::add_scaled_scalar(&mut scalar, &grad, -0.01);
        assert_eq!(bits(&split), bits(&scalar));
    }

    #[test]
    fn the_vector_loop_gives_the_bits_of_the_scalar_loop() {
        let lanes = lanes::<f32>();
        // Lengths around every vector width (4, 8, 16 lanes) and their tails.
        for len in [0, 1, 3, 4, 7, 8, 15, 16, 17, 33, 100, 1000] {
            let grad = values(len, 1);
            let (param, m) = (values(len, 2), values(len, 3));
            // Second moments are never negative.
            let v: Vec<f32> = values(len, 4).iter().map(|x| x.abs()).collect();
            for decay in [false, true] {
                let (mut p1, mut m1, mut v1) = (param.clone(), m.clone(), v.clone());
                let (mut p2, mut m2, mut v2) = (param.clone(), m.clone(), v.clone());
                if decay {
                    super::run_f32::<true>(&lanes, &mut p1, &grad, &mut m1, &mut v1);
                    lanes.run_scalar::<true>(&mut p2, &grad, &mut m2, &mut v2);
                } else {
                    super::run_f32::<false>(&lanes, &mut p1, &grad, &mut m1, &mut v1);
                    lanes.run_scalar::<false>(&mut p2, &grad, &mut m2, &mut v2);
                }
                for (a, b) in [(&p1, &p2), (&m1, &m2), (&v1, &v2)] {
                    assert_eq!(bits(a), bits(b), "length {len}, decay {decay}");
                }
            }
        }
    }
}
