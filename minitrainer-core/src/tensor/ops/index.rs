//! Indexing: selecting entries of an axis (embedding lookup) and gathering one entry per lane
//! (picking the log-probability of each row's label). Indices come in through
//! [`IntoIndices`]: slices, `Vec`s, integer arrays or whole-number tensors.

use ndarray::{ArrayD, Axis, Dimension, Zip};

use crate::tensor::op::Op;
use crate::tensor::{IntoIndices, Tensor};

impl Tensor {
    /// Entries `indices` of `axis`, in that order; repeats allowed (an embedding lookup is
    /// `weight.index_select(0, &token_ids)`).
    ///
    /// `indices` is anything [`IntoIndices`] accepts (`&[usize]`, `Vec<usize>`, a 1-D
    /// `ArrayD<usize>`, a 1-D tensor of whole numbers).
    ///
    /// # Shapes
    /// `[v, d]` with `k` indices on axis 0 `-> [k, d]`; `indices` is 1-D.
    ///
    /// # Panics
    /// When `axis` is out of range, `indices` is not 1-D, an index is not below the axis
    /// size, or (for a tensor) an index is not a non-negative whole number.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let table = Tensor::from_vec(vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5], &[3, 2])?;
    /// assert_eq!(table.index_select(0, &[2, 0, 2]).to_vec(), vec![2.0, 2.5, 0.0, 0.5, 2.0, 2.5]);
    /// let ids = Tensor::from_vec(vec![1.0], &[1])?;
    /// assert_eq!(table.index_select(0, &ids).to_vec(), vec![1.0, 1.5]);
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn index_select(&self, axis: usize, indices: impl IntoIndices) -> Tensor {
        self.check_axis("index_select", axis);
        let indices = indices.into_indices("index_select");
        assert!(
            indices.ndim() == 1,
            "index_select: indices must be 1-D, got shape {:?}",
            indices.shape()
        );
        let indices: Vec<usize> = indices.iter().copied().collect();
        let size = self.shape()[axis];
        if let Some((position, bad)) = indices.iter().enumerate().find(|&(_, &i)| i >= size) {
            panic!(
                "index_select: index {bad} (at position {position}) is out of range for axis \
                 {axis} of shape {:?}",
                self.shape()
            );
        }
        let data = self.data().select(Axis(axis), &indices);
        Tensor::from_op(data, &[self], || Op::IndexSelect { axis, indices })
    }

    /// Picks entries along `axis` by `index`, like `torch.gather`:
    /// `out[i][j] = self[i][index[i][j]]` for `axis = 1` of a 2-D tensor.
    ///
    /// `index` is anything [`IntoIndices`] accepts: `&[usize]`, `Vec<usize>`,
    /// `&ArrayD<usize>`, or a tensor of whole numbers (labels as a data loader yields them).
    /// It has the same shape as `self` except along `axis`, where it may have any length
    /// (often 1), or it has **one axis fewer** than `self`: then it holds one index per lane
    /// and is read as if a length-1 axis were inserted at `axis`. So cross-entropy with
    /// integer labels is `log_probs.log_softmax(1).gather(1, &labels).mean().neg()` with
    /// `labels` of length `batch` (read as `[batch, 1]`) or already of shape `[batch, 1]`;
    /// for a sequence, `[b, t, classes]` gathered along axis 2 takes `[b, t]` labels.
    ///
    /// # Shapes
    /// `self: [n, c]`, `index: [n, k]` on axis 1 `-> [n, k]`; `index: [n]` on axis 1
    /// `-> [n, 1]` (one index per row).
    ///
    /// # Panics
    /// When `axis` is out of range, the shapes differ outside `axis`, an index is not below
    /// the size of `axis`, or (for a tensor) an index is not a non-negative whole number.
    ///
    /// # Examples
    /// ```
    /// use minitrainer_core::Tensor;
    /// let log_probs = Tensor::from_vec(vec![-0.1, -2.0, -3.0, -4.0, -5.0, -0.2], &[2, 3])?;
    /// let picked = log_probs.gather(1, &[0, 2]); // one label per row
    /// assert_eq!(picked.shape(), &[2, 1]);
    /// assert_eq!(picked.to_vec(), vec![-0.1, -0.2]);
    /// # Ok::<(), minitrainer_core::Error>(())
    /// ```
    pub fn gather(&self, axis: usize, index: impl IntoIndices) -> Tensor {
        self.check_axis("gather", axis);
        let index = self.per_lane(axis, index.into_indices("gather"));
        let shape = self.shape();
        let found = index.indexed_iter().find(|&(_, &i)| i >= shape[axis]);
        if let Some((position, bad)) = found {
            panic!(
                "gather: index {bad} is out of range for axis {axis} of shape {shape:?} \
                 (at index position {:?})",
                position.slice()
            );
        }
        let mut data = ArrayD::<f32>::zeros(index.shape());
        Zip::from(data.lanes_mut(Axis(axis)))
            .and(self.data().lanes(Axis(axis)))
            .and(index.lanes(Axis(axis)))
            .for_each(|mut out, src, idx| {
                for (o, &i) in out.iter_mut().zip(idx) {
                    *o = src[i];
                }
            });
        Tensor::from_op(data, &[self], || Op::Gather { axis, index })
    }

    /// `gather`'s `index`, checked against this tensor's shape: one axis fewer (one index per
    /// lane) gains a length-1 axis at `axis`.
    fn per_lane(&self, axis: usize, index: ArrayD<usize>) -> ArrayD<usize> {
        let (shape, given) = (self.shape(), index.shape().to_vec());
        let index = if given.len() + 1 == shape.len() {
            index.insert_axis(Axis(axis))
        } else {
            index
        };
        let ishape = index.shape();
        let fits = ishape.len() == shape.len()
            && shape
                .iter()
                .zip(ishape)
                .enumerate()
                .all(|(d, (s, i))| d == axis || s == i);
        let read_as = if given.as_slice() == ishape {
            String::new()
        } else {
            format!(" (read as {ishape:?}: one index per lane)")
        };
        assert!(
            fits,
            "gather: index shape {given:?}{read_as} must equal the tensor shape {shape:?} \
             outside axis {axis}"
        );
        index
    }
}
