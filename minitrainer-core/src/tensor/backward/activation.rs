//! Derivatives of the activations and of softmax / log-softmax (`ops/activation.rs`), each
//! computed in place in the output gradient.

use ndarray::{ArrayD, Axis, Zip};

use super::{Grads, Step};
use crate::tensor::ops::activation::{
    GELU_TANH_COEF, SQRT_2_OVER_PI, normal_cdf, normal_pdf, sigmoid as sigma,
};

pub(super) fn relu(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d relu(a)/da = 1 where a > 0, else 0 (NaN passes the gradient, as PyTorch's
    // `threshold_backward`). A select, not a branch: about half of a ReLU's inputs are ≤ 0 in
    // no order, and a branch per element mispredicted on them (9% of W1's step, `perf`).
    let mask = |g: &mut f32, &x: &f32| *g = if x <= 0.0 { 0.0 } else { *g };
    let input = s.input(0);
    match (grad.as_slice_mut(), input.as_slice()) {
        // Both in standard order (the usual case): plain slices, which vectorize.
        (Some(g), Some(x)) => g.iter_mut().zip(x).for_each(|(g, x)| mask(g, x)),
        _ => Zip::from(&mut grad).and(&*input).for_each(mask),
    }
    vec![Some(grad)]
}

pub(super) fn gelu(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d(a·Φ(a))/da = Φ(a) + a·φ(a)
    Zip::from(&mut grad)
        .and(&*s.input(0))
        .for_each(|g, &x| *g *= normal_cdf(x) + x * normal_pdf(x));
    vec![Some(grad)]
}

pub(super) fn gelu_tanh(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d(a/2·(1+t))/da = (1+t)/2 + a/2·(1-t²)·√(2/π)(1 + 3k·a²), t = tanh(√(2/π)(a + k·a³))
    Zip::from(&mut grad).and(&*s.input(0)).for_each(|g, &x| {
        let t = (SQRT_2_OVER_PI * (x + GELU_TANH_COEF * x * x * x)).tanh();
        let du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEF * x * x);
        *g *= 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du;
    });
    vec![Some(grad)]
}

pub(super) fn sigmoid(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // dσ(a)/da = σ(a)(1 - σ(a)) = out(1 - out)
    Zip::from(&mut grad)
        .and(&*s.out())
        .for_each(|g, &y| *g *= y * (1.0 - y));
    vec![Some(grad)]
}

pub(super) fn tanh(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d tanh(a)/da = 1 - tanh²(a) = 1 - out²
    Zip::from(&mut grad)
        .and(&*s.out())
        .for_each(|g, &y| *g *= 1.0 - y * y);
    vec![Some(grad)]
}

pub(super) fn silu(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d(a·σ(a))/da = σ(a)(1 + a(1 - σ(a)))
    Zip::from(&mut grad).and(&*s.input(0)).for_each(|g, &x| {
        let sig = sigma(x);
        *g *= sig * (1.0 + x * (1.0 - sig));
    });
    vec![Some(grad)]
}

pub(super) fn softmax(s: &Step<'_>, mut grad: ArrayD<f32>, axis: usize) -> Grads {
    // dy_i/da_j = y_i(δ_ij - y_j)  ⇒  da_j = y_j (g_j - Σ_i g_i y_i), per lane along `axis`
    Zip::from(grad.lanes_mut(Axis(axis)))
        .and(s.out().lanes(Axis(axis)))
        .for_each(|mut g, y| {
            let dot = g.dot(&y);
            Zip::from(&mut g)
                .and(&y)
                .for_each(|g, &y| *g = y * (*g - dot));
        });
    vec![Some(grad)]
}

pub(super) fn log_softmax(s: &Step<'_>, mut grad: ArrayD<f32>, axis: usize) -> Grads {
    // dy_i/da_j = δ_ij - softmax_j  ⇒  da_j = g_j - e^(y_j) Σ_i g_i, per lane along `axis`
    Zip::from(grad.lanes_mut(Axis(axis)))
        .and(s.out().lanes(Axis(axis)))
        .for_each(|mut g, y| {
            let total = g.sum();
            Zip::from(&mut g)
                .and(&y)
                .for_each(|g, &y| *g -= y.exp() * total);
        });
    vec![Some(grad)]
}
