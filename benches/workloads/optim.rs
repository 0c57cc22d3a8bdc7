//! Update rules for the training workloads: plain SGD (W1, W2) and a bench-only Adam (W3).

use minitrainer::prelude::*;
use ndarray::ArrayD;

/// An update rule over a fixed list of parameters.
pub(crate) trait Optimizer {
    fn step(&mut self, params: &[Param]);
}

/// Plain SGD, `p -= lr * grad`.
pub(crate) struct Sgd {
    pub(crate) lr: f32,
}

impl Optimizer for Sgd {
    fn step(&mut self, params: &[Param]) {
        for p in params {
            if let Some(grad) = p.grad() {
                p.update_data(|value| value.scaled_add(-self.lr, &grad));
            }
        }
    }
}

/// Bench-only Adam with `torch.optim.Adam`'s defaults (betas 0.9/0.999, eps 1e-8, no weight
/// decay): one fused pass per parameter over value, both moments and the gradient.
pub(crate) struct Adam {
    lr: f32,
    steps: i32,
    moments: Vec<(ArrayD<f32>, ArrayD<f32>)>,
}

impl Adam {
    const BETA1: f32 = 0.9;
    const BETA2: f32 = 0.999;
    const EPS: f32 = 1e-8;

    pub(crate) fn new(params: &[Param], lr: f32) -> Self {
        let zeros = |p: &Param| ArrayD::zeros(p.shape());
        let moments = params.iter().map(|p| (zeros(p), zeros(p))).collect();
        Adam {
            lr,
            steps: 0,
            moments,
        }
    }
}

impl Optimizer for Adam {
    fn step(&mut self, params: &[Param]) {
        self.steps += 1;
        let (b1, b2) = (Self::BETA1, Self::BETA2);
        let step_size = self.lr / (1.0 - b1.powi(self.steps));
        let bias2_sqrt = (1.0 - b2.powi(self.steps)).sqrt();
        for (p, (m, v)) in params.iter().zip(&mut self.moments) {
            let Some(grad) = p.grad() else { continue };
            // Flat slices: a 4-way `Zip` over `IxDyn` costs more than the arithmetic on these
            // tiny tensors. A gradient that arrives transposed is copied to row-major first.
            let grad = grad.as_standard_layout();
            let (m, v) = (row_major(m), row_major(v));
            p.update_data(|value| {
                let lanes = row_major(value).iter_mut().zip(m).zip(v);
                for (((w, m), v), &g) in lanes.zip(row_major_ref(&grad)) {
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    *w -= step_size * *m / (v.sqrt() / bias2_sqrt + Self::EPS);
                }
            });
        }
    }
}

/// The elements of an array created row-major (parameters, moments), as a slice.
pub(crate) fn row_major(array: &mut ArrayD<f32>) -> &mut [f32] {
    array
        .as_slice_mut()
        .expect("parameters and moments are row-major")
}

pub(crate) fn row_major_ref<'a>(
    array: &'a ndarray::CowArray<'_, f32, ndarray::IxDyn>,
) -> &'a [f32] {
    array.as_slice().expect("as_standard_layout is row-major")
}
