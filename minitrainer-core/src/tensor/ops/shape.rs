//! Shape ops: permute/transpose, reshape, concatenation, narrowing.

use ndarray::{ArrayD, ArrayViewD, Axis, Slice};

use crate::tensor::Tensor;
use crate::tensor::op::Op;

impl Tensor {
    /// Swaps axes `axis_a` and `axis_b`.
    ///
    /// # Shapes
    /// `[a, b, c]` with axes 0 and 2 swapped `-> [c, b, a]`.
    ///
    /// # Panics
    /// When either axis is out of range.
    pub fn transpose(&self, axis_a: usize, axis_b: usize) -> Tensor {
        self.check_axis("transpose", axis_a);
        self.check_axis("transpose", axis_b);
        let mut perm: Vec<usize> = (0..self.ndim()).collect();
        perm.swap(axis_a, axis_b);
        self.permute(&perm)
    }

    /// Reorders the axes: output axis `i` is input axis `perm[i]`.
    ///
    /// The result is a strided (non-contiguous) array; later ops read it as it is.
    ///
    /// # Shapes
    /// `[a, b, c]` permuted by `[2, 0, 1]` `-> [c, a, b]`.
    ///
    /// # Panics
    /// When `perm` is not a permutation of `0..self.ndim()`.
    pub fn permute(&self, perm: &[usize]) -> Tensor {
        let mut seen = vec![false; self.ndim()];
        let valid = perm.len() == self.ndim()
            && perm
                .iter()
                .all(|&p| p < seen.len() && !std::mem::replace(&mut seen[p], true));
        assert!(
            valid,
            "permute: {perm:?} is not a permutation of the axes of shape {:?}",
            self.shape()
        );
        // Copies the buffer (tensors do not share storage), then relabels its strides: the
        // result is non-contiguous, which later ndarray ops handle without another copy.
        let data = self.to_array().permuted_axes(perm.to_vec());
        Tensor::from_op(data, &[self], || Op::Permute(perm.to_vec()))
    }

    /// The same elements in row-major order with a new shape.
    ///
    /// # Shapes
    /// Any shape with the same number of elements, e.g. `[2, 3, 4] -> [6, 4]`.
    ///
    /// # Panics
    /// When the element counts differ.
    pub fn reshape(&self, shape: &[usize]) -> Tensor {
        let data = reshaped(self.data().view(), shape)
            .unwrap_or_else(|| panic!("reshape: cannot reshape {:?} into {shape:?}", self.shape()));
        Tensor::from_op(data, &[self], || Op::Reshape)
    }

    /// Concatenates `tensors` along `axis`.
    ///
    /// # Shapes
    /// All shapes equal except along `axis`; the result's `axis` is the sum of theirs,
    /// e.g. `[2, 3]` and `[2, 5]` along axis 1 `-> [2, 8]`.
    ///
    /// # Panics
    /// When `tensors` is empty, `axis` is out of range, or the other axes differ.
    pub fn cat(tensors: &[&Tensor], axis: usize) -> Tensor {
        let shapes: Vec<&[usize]> = tensors.iter().map(|t| t.shape()).collect();
        let Some(first) = tensors.first() else {
            panic!("cat: needs at least one tensor")
        };
        first.check_axis("cat", axis);
        let compatible = shapes.iter().all(|s| {
            s.len() == first.ndim()
                && s.iter()
                    .zip(first.shape())
                    .enumerate()
                    .all(|(i, (x, y))| i == axis || x == y)
        });
        assert!(
            compatible,
            "cat: shapes {shapes:?} differ outside axis {axis}"
        );
        let guards: Vec<_> = tensors.iter().map(|t| t.data()).collect();
        let views: Vec<ArrayViewD<'_, f32>> = guards.iter().map(|g| g.view()).collect();
        let data = ndarray::concatenate(Axis(axis), &views)
            .unwrap_or_else(|e| panic!("minitrainer internal error: cat: {e}"));
        drop(views);
        drop(guards);
        Tensor::from_op(data, tensors, || Op::Cat { axis })
    }

    /// `len` entries of `axis` starting at `start` (a slice `start..start + len`).
    ///
    /// # Shapes
    /// `[a, b]` narrowed on axis 1 `-> [a, len]`.
    ///
    /// # Panics
    /// When `axis` is out of range or `start + len` exceeds the axis.
    pub fn narrow(&self, axis: usize, start: usize, len: usize) -> Tensor {
        self.check_axis("narrow", axis);
        assert!(
            start
                .checked_add(len)
                .is_some_and(|end| end <= self.shape()[axis]),
            "narrow: range {start}..{} is out of bounds for axis {axis} of shape {:?}",
            start.saturating_add(len),
            self.shape()
        );
        let data = self
            .data()
            .slice_axis(Axis(axis), Slice::from(start..start + len))
            .to_owned();
        Tensor::from_op(data, &[self], || Op::Narrow { axis, start })
    }
}

/// `view` in row-major order with `shape`, or `None` when the element counts differ.
pub(crate) fn reshaped(view: ArrayViewD<'_, f32>, shape: &[usize]) -> Option<ArrayD<f32>> {
    if shape.iter().product::<usize>() != view.len() {
        return None;
    }
    view.to_shape(shape.to_vec())
        .ok()
        .map(|cow| cow.into_owned())
}
