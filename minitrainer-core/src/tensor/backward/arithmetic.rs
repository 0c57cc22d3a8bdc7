//! Derivatives of the elementwise arithmetic ops (`ops/arithmetic.rs`): a binary op's
//! gradients are summed back over the axes its operands were broadcast along; a unary op's
//! gradient is computed in place in the output gradient.

use ndarray::{ArrayD, Zip};

use super::{Grads, Step};
use crate::tensor::broadcast::sum_to_shape;

pub(super) fn add(s: &Step<'_>, grad: ArrayD<f32>) -> Grads {
    // d(a+b)/da = 1 ; d(a+b)/db = 1 (each summed over its broadcast axes)
    let (ga, gb) = split(grad, s.needs(0), s.needs(1));
    vec![
        ga.map(|g| sum_to_shape(g, s.shape(0))),
        gb.map(|g| sum_to_shape(g, s.shape(1))),
    ]
}

pub(super) fn sub(s: &Step<'_>, grad: ArrayD<f32>) -> Grads {
    // d(a-b)/da = 1 ; d(a-b)/db = -1
    let (ga, gb) = split(grad, s.needs(0), s.needs(1));
    vec![
        ga.map(|g| sum_to_shape(g, s.shape(0))),
        gb.map(|g| -sum_to_shape(g, s.shape(1))),
    ]
}

pub(super) fn mul(s: &Step<'_>, grad: ArrayD<f32>) -> Grads {
    // d(a·b)/da = b ; d(a·b)/db = a
    let (ga, gb) = split(grad, s.needs(0), s.needs(1));
    let ga = ga.map(|mut g| {
        g *= &*s.input(1);
        sum_to_shape(g, s.shape(0))
    });
    let gb = gb.map(|mut g| {
        g *= &*s.input(0);
        sum_to_shape(g, s.shape(1))
    });
    vec![ga, gb]
}

pub(super) fn div(s: &Step<'_>, grad: ArrayD<f32>) -> Grads {
    // d(a/b)/da = 1/b ; d(a/b)/db = -a/b² = -(a/b)/b = -out/b
    let (ga, gb) = split(grad, s.needs(0), s.needs(1));
    let b = s.input(1);
    let ga = ga.map(|mut g| {
        g /= &*b;
        sum_to_shape(g, s.shape(0))
    });
    let gb = gb.map(|mut g| {
        g *= &*s.out();
        g /= &*b;
        -sum_to_shape(g, s.shape(1))
    });
    vec![ga, gb]
}

pub(super) fn neg(grad: ArrayD<f32>) -> Grads {
    // d(-a)/da = -1
    vec![Some(-grad)]
}

pub(super) fn add_scalar(grad: ArrayD<f32>) -> Grads {
    // d(a+c)/da = 1
    vec![Some(grad)]
}

pub(super) fn mul_scalar(grad: ArrayD<f32>, c: f32) -> Grads {
    // d(a·c)/da = c
    vec![Some(grad * c)]
}

pub(super) fn powf(s: &Step<'_>, mut grad: ArrayD<f32>, p: f32) -> Grads {
    // d(aᵖ)/da = p·aᵖ⁻¹
    // For p = 0 that is 0 everywhere (also at a = 0, where the formula gives 0·0⁻¹ = NaN), as
    // in PyTorch.
    if p == 0.0 {
        grad.fill(0.0);
    } else {
        Zip::from(&mut grad)
            .and(&*s.input(0))
            .for_each(|g, &x| *g *= p * x.powf(p - 1.0));
    }
    vec![Some(grad)]
}

pub(super) fn exp(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d(eᵃ)/da = eᵃ = out
    grad *= &*s.out();
    vec![Some(grad)]
}

pub(super) fn log(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d(ln a)/da = 1/a
    grad /= &*s.input(0);
    vec![Some(grad)]
}

pub(super) fn sqrt(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d(√a)/da = 1/(2√a) = 1/(2·out)
    grad /= &*s.out();
    grad *= 0.5;
    vec![Some(grad)]
}

pub(super) fn abs(s: &Step<'_>, mut grad: ArrayD<f32>) -> Grads {
    // d|a|/da = sign(a), 0 at 0
    Zip::from(&mut grad).and(&*s.input(0)).for_each(|g, &x| {
        *g *= if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            0.0
        };
    });
    vec![Some(grad)]
}

pub(super) fn clamp(s: &Step<'_>, mut grad: ArrayD<f32>, min: f32, max: f32) -> Grads {
    // d clamp(a, min, max)/da = 1 where min <= a <= max, else 0
    Zip::from(&mut grad).and(&*s.input(0)).for_each(|g, &x| {
        if !(min <= x && x <= max) {
            *g = 0.0;
        }
    });
    vec![Some(grad)]
}

/// `grad` of a binary op's output, handed to the inputs that need it: copied only when both do.
fn split(
    grad: ArrayD<f32>,
    need_a: bool,
    need_b: bool,
) -> (Option<ArrayD<f32>>, Option<ArrayD<f32>>) {
    match (need_a, need_b) {
        (true, true) => (Some(grad.clone()), Some(grad)),
        (true, false) => (Some(grad), None),
        (false, true) => (None, Some(grad)),
        (false, false) => (None, None),
    }
}
