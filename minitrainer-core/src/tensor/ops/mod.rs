//! Forward ops, by family. Each computes its value with vectorised `ndarray` code and records
//! an [`Op`] through [`Tensor::from_op`] (which records nothing under `no_grad` or when no
//! input requires grad). Derivatives live in `backward/`, one file per family.
//!
//! Shape mistakes are programming errors: every op checks its shapes first and panics with a
//! message naming the op and the shapes, documented under `# Panics`.

pub(crate) mod activation;
mod arithmetic;
pub(crate) mod index;
pub(crate) mod linear;
pub(crate) mod loss;
pub(crate) mod matmul;
mod reduce;
pub(crate) mod shape;
mod std_ops;

use ndarray::ArrayD;

use super::Tensor;
use super::op::Op;

impl Tensor {
    /// An op with one input whose value is `f(input)`.
    fn unary(
        &self,
        op: impl FnOnce() -> Op,
        f: impl FnOnce(&ArrayD<f32>) -> ArrayD<f32>,
    ) -> Tensor {
        let data = f(&self.data());
        Tensor::from_op(data, &[self], op)
    }

    /// Panics unless `axis` is an axis of this tensor.
    fn check_axis(&self, op: &str, axis: usize) {
        assert!(
            axis < self.ndim(),
            "{op}: axis {axis} is out of range for a tensor of shape {:?}",
            self.shape()
        );
    }
}
