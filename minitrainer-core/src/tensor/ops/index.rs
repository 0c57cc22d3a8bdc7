//! Indexing: selecting entries of an axis (embedding lookup) and gathering one entry per lane
//! (picking the log-probability of each row's label).

use ndarray::{ArrayD, Axis, Zip};

use crate::tensor::Tensor;
use crate::tensor::op::Op;

impl Tensor {
    /// Entries `indices` of `axis`, in that order; repeats allowed (an embedding lookup is
    /// `weight.index_select(0, &token_ids)`).
    ///
    /// # Shapes
    /// `[v, d]` with `k` indices on axis 0 `-> [k, d]`.
    ///
    /// # Panics
    /// When `axis` is out of range or an index is not below the axis size.
    pub fn index_select(&self, axis: usize, indices: &[usize]) -> Tensor {
        self.check_axis("index_select", axis);
        let size = self.shape()[axis];
        if let Some(bad) = indices.iter().find(|&&i| i >= size) {
            panic!(
                "index_select: index {bad} is out of range for axis {axis} of shape {:?}",
                self.shape()
            );
        }
        let data = self.data().select(Axis(axis), indices);
        Tensor::from_op(data, &[self], || Op::IndexSelect {
            axis,
            indices: indices.to_vec(),
        })
    }

    /// Picks entries along `axis` by `index`, like `torch.gather`:
    /// `out[i][j] = self[i][index[i][j]]` for `axis = 1` of a 2-D tensor.
    ///
    /// `index` has the same shape as `self` except along `axis`, where it may have any length
    /// (often 1). Cross-entropy with integer labels is
    /// `log_probs.gather(1, &labels_as_column)`, with labels of shape `[batch, 1]`, built with
    /// `ndarray::Array::from(labels).insert_axis(ndarray::Axis(1)).into_dyn()`.
    ///
    /// # Shapes
    /// `self: [n, c]`, `index: [n, k]` on axis 1 `-> [n, k]`.
    ///
    /// # Panics
    /// When `axis` is out of range, the shapes differ outside `axis`, or an index is not below
    /// the size of `axis`.
    pub fn gather(&self, axis: usize, index: &ArrayD<usize>) -> Tensor {
        self.check_axis("gather", axis);
        let (shape, ishape) = (self.shape(), index.shape());
        let fits = ishape.len() == shape.len()
            && shape
                .iter()
                .zip(ishape)
                .enumerate()
                .all(|(d, (s, i))| d == axis || s == i);
        assert!(
            fits,
            "gather: index shape {ishape:?} must equal the tensor shape {shape:?} outside axis {axis}"
        );
        if let Some(bad) = index.iter().find(|&&i| i >= shape[axis]) {
            panic!("gather: index {bad} is out of range for axis {axis} of shape {shape:?}");
        }
        let mut data = ArrayD::<f32>::zeros(ishape);
        Zip::from(data.lanes_mut(Axis(axis)))
            .and(self.data().lanes(Axis(axis)))
            .and(index.lanes(Axis(axis)))
            .for_each(|mut out, src, idx| {
                for (o, &i) in out.iter_mut().zip(idx) {
                    *o = src[i];
                }
            });
        Tensor::from_op(data, &[self], || Op::Gather {
            axis,
            index: index.clone(),
        })
    }
}
