//! Reductions over all elements or along one axis.

use ndarray::{ArrayD, Axis, Zip, arr0};

use crate::tensor::Tensor;
use crate::tensor::op::Op;

impl Tensor {
    /// Sum of all elements.
    ///
    /// # Shapes
    /// Any shape `-> []` (a 0-dimensional tensor; read it with [`Tensor::item`]).
    pub fn sum(&self) -> Tensor {
        self.unary(|| Op::Sum, |a| arr0(a.sum()).into_dyn())
    }

    /// Mean of all elements (NaN for an empty tensor).
    ///
    /// # Shapes
    /// Any shape `-> []`.
    pub fn mean(&self) -> Tensor {
        let n = self.numel() as f32;
        self.unary(|| Op::Mean, |a| arr0(a.sum() / n).into_dyn())
    }

    /// Largest element. As in PyTorch, the gradient is split evenly among the elements equal
    /// to the maximum (use [`Tensor::max_axis`] to send it to one of them).
    ///
    /// # Shapes
    /// Any non-empty shape `-> []`.
    ///
    /// # Panics
    /// When the tensor is empty.
    pub fn max(&self) -> Tensor {
        let (_, max) = {
            let data = self.data();
            first_argmax(data.iter().copied())
                .unwrap_or_else(|| panic!("max: the tensor is empty (shape {:?})", self.shape()))
        };
        Tensor::from_op(arr0(max).into_dyn(), &[self], || Op::Max)
    }

    /// Sum along `axis`, keeping it as size 1 when `keepdim`.
    ///
    /// # Shapes
    /// `[a, b, c]` summed along axis 1 `-> [a, c]`, or `[a, 1, c]` with `keepdim`.
    ///
    /// # Panics
    /// When `axis >= self.ndim()`.
    pub fn sum_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.check_axis("sum_axis", axis);
        self.unary(
            || Op::SumAxis { axis, keepdim },
            |a| keep(a.sum_axis(Axis(axis)), axis, keepdim),
        )
    }

    /// Mean along `axis`, keeping it as size 1 when `keepdim`.
    ///
    /// # Shapes
    /// As [`Tensor::sum_axis`].
    ///
    /// # Panics
    /// When `axis >= self.ndim()`.
    pub fn mean_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.check_axis("mean_axis", axis);
        let n = self.shape()[axis] as f32;
        self.unary(
            || Op::MeanAxis { axis, keepdim },
            |a| keep(a.sum_axis(Axis(axis)) / n, axis, keepdim),
        )
    }

    /// Largest entry along `axis`, keeping it as size 1 when `keepdim`. The gradient goes to
    /// the first largest entry of each lane.
    ///
    /// # Shapes
    /// As [`Tensor::sum_axis`].
    ///
    /// # Panics
    /// When `axis >= self.ndim()` or the axis has size 0.
    pub fn max_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.check_axis("max_axis", axis);
        assert!(
            self.shape()[axis] > 0,
            "max_axis: axis {axis} of shape {:?} is empty",
            self.shape()
        );
        let (max, argmax) = {
            let data = self.data();
            let lanes = data.lanes(Axis(axis));
            // Non-empty lanes always have an argmax; the fallback is unreachable.
            let best = Zip::from(lanes)
                .map_collect(|lane| first_argmax(lane.iter().copied()).unwrap_or((0, f32::NAN)));
            (best.mapv(|(_, value)| value), best.mapv(|(index, _)| index))
        };
        Tensor::from_op(keep(max, axis, keepdim), &[self], || Op::MaxAxis {
            axis,
            keepdim,
            argmax,
        })
    }

    /// Population variance along `axis` (divides by n, as LayerNorm and BatchNorm use),
    /// composed from differentiable ops.
    ///
    /// # Shapes
    /// As [`Tensor::sum_axis`].
    ///
    /// # Panics
    /// When `axis >= self.ndim()`.
    pub fn var_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.check_axis("var_axis", axis);
        let centred = self.sub(&self.mean_axis(axis, true));
        centred.mul(&centred).mean_axis(axis, keepdim)
    }
}

/// Reinserts the reduced `axis` as size 1 when `keepdim`.
fn keep(reduced: ArrayD<f32>, axis: usize, keepdim: bool) -> ArrayD<f32> {
    if keepdim {
        reduced.insert_axis(Axis(axis))
    } else {
        reduced
    }
}

/// Position and value of the first largest value (NaN counts as largest, as in PyTorch, so a
/// NaN is never hidden), or `None` when empty.
pub(crate) fn first_argmax(values: impl Iterator<Item = f32>) -> Option<(usize, f32)> {
    let mut best: Option<(usize, f32)> = None;
    for (i, v) in values.enumerate() {
        match best {
            Some((_, b)) if b.is_nan() || !(v > b || v.is_nan()) => {}
            _ => best = Some((i, v)),
        }
    }
    best
}
