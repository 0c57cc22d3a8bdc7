//! Sets built from sets: [`Subset`], [`Concat`], [`Map`], and the [`DatasetExt`] methods that
//! make them (the splits live in `split.rs`).
//!
//! `Subset` and `Concat` check their indices when built and report a data set's own error
//! through [`DataError::wrap`], so a `DataError` from a ready-made set arrives unchanged.

use std::sync::Arc;

use super::dataset::{Dataset, Example};
use super::error::DataError;
use super::split;

/// The samples of a set at the given indices, in that order (PyTorch's `Subset`). Made by
/// [`DatasetExt::subset`] and the splits; shares the set it reads from.
#[derive(Debug)]
pub struct Subset<D> {
    inner: Arc<D>,
    indices: Vec<usize>,
}

impl<D> Clone for Subset<D> {
    fn clone(&self) -> Self {
        Subset {
            inner: Arc::clone(&self.inner),
            indices: self.indices.clone(),
        }
    }
}

impl<D: Dataset> Subset<D> {
    /// The samples of `inner` at `indices`.
    ///
    /// # Errors
    /// [`DataError::IndexOutOfRange`] for an index `>= inner.len()`.
    pub fn new(inner: Arc<D>, indices: Vec<usize>) -> Result<Self, DataError> {
        let len = inner.len();
        if let Some(&index) = indices.iter().find(|&&i| i >= len) {
            return Err(DataError::IndexOutOfRange {
                index,
                len,
                what: "the set being subset",
            });
        }
        Ok(Subset { inner, indices })
    }

    /// The indices into the underlying set.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }

    /// The underlying set.
    pub fn inner(&self) -> &D {
        &self.inner
    }
}

impl<D: Dataset> Dataset for Subset<D> {
    type Item = D::Item;
    type Error = DataError;

    fn len(&self) -> usize {
        self.indices.len()
    }

    fn get(&self, index: usize) -> Result<D::Item, DataError> {
        let &inner = self.indices.get(index).ok_or(DataError::IndexOutOfRange {
            index,
            len: self.indices.len(),
            what: "a subset",
        })?;
        self.inner.get(inner).map_err(DataError::wrap)
    }
}

/// The samples of `first`, then those of `second` (PyTorch's `ConcatDataset` of two).
#[derive(Clone, Debug)]
pub struct Concat<A, B> {
    first: A,
    second: B,
}

impl<A, B> Dataset for Concat<A, B>
where
    A: Dataset,
    B: Dataset<Item = A::Item>,
{
    type Item = A::Item;
    type Error = DataError;

    fn len(&self) -> usize {
        self.first.len() + self.second.len()
    }

    fn get(&self, index: usize) -> Result<A::Item, DataError> {
        let split = self.first.len();
        if index < split {
            self.first.get(index).map_err(DataError::wrap)
        } else if index - split < self.second.len() {
            self.second.get(index - split).map_err(DataError::wrap)
        } else {
            Err(DataError::IndexOutOfRange {
                index,
                len: self.len(),
                what: "a concatenation",
            })
        }
    }
}

/// Every sample passed through a function (a transform, like torchvision's `transform=`).
#[derive(Clone, Debug)]
pub struct Map<D, F> {
    inner: D,
    f: F,
}

impl<D, F, T> Dataset for Map<D, F>
where
    D: Dataset,
    F: Fn(D::Item) -> T + Send + Sync,
    T: Send + 'static,
{
    type Item = T;
    type Error = D::Error;

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn get(&self, index: usize) -> Result<T, D::Error> {
        self.inner.get(index).map(&self.f)
    }
}

/// Combinators on every [`Dataset`]: `set.subset(..)`, `set.map(..)`, `set.random_split(..)`.
///
/// ```
/// use minitrainer_core::data::{Dataset, DatasetExt, Digits};
///
/// let digits = Digits::load();
/// let (train, valid) = digits.random_split(0.8, 42)?;
/// assert_eq!((train.len(), valid.len()), (1438, 359));
/// let doubled = train.map(|mut example| {
///     example.features *= 2.0;
///     example
/// });
/// assert_eq!(doubled.len(), 1438);
/// # Ok::<(), minitrainer_core::data::DataError>(())
/// ```
pub trait DatasetExt: Dataset + Sized {
    /// The samples at `indices`, in that order.
    ///
    /// # Errors
    /// [`DataError::IndexOutOfRange`] for an index `>= self.len()`.
    fn subset(self, indices: Vec<usize>) -> Result<Subset<Self>, DataError> {
        Subset::new(Arc::new(self), indices)
    }

    /// The samples of `self`, then those of `other`.
    fn concat<B: Dataset<Item = Self::Item>>(self, other: B) -> Concat<Self, B> {
        Concat {
            first: self,
            second: other,
        }
    }

    /// Every sample passed through `f` when it is read.
    fn map<F, T>(self, f: F) -> Map<Self, F>
    where
        F: Fn(Self::Item) -> T + Send + Sync,
        T: Send + 'static,
    {
        Map { inner: self, f }
    }

    /// One subset per row range, in order (e.g. `[0..1437, 1437..1797]`); ranges may overlap
    /// or leave rows out.
    ///
    /// # Errors
    /// [`DataError::Split`] for a range that is reversed or ends past `self.len()`.
    fn split_ranges(
        self,
        ranges: &[std::ops::Range<usize>],
    ) -> Result<Vec<Subset<Self>>, DataError> {
        split::ranges(Arc::new(self), ranges)
    }

    /// Two disjoint subsets covering the set: `fraction` of the samples and the rest, sized as
    /// PyTorch's `random_split(set, [fraction, 1 - fraction])` (each part rounded down, the
    /// remainder to the first: 0.8 of 1797 is 1438 + 359), drawn by a permutation from `ChaCha8Rng::seed_from_u64(seed)` — the same seed gives
    /// the same split on every machine. The subsets keep the permuted order, as PyTorch's
    /// `random_split` does (the permutation itself differs from PyTorch's).
    ///
    /// # Errors
    /// [`DataError::Split`] for a fraction outside `[0, 1]`.
    fn random_split(
        self,
        fraction: f64,
        seed: u64,
    ) -> Result<(Subset<Self>, Subset<Self>), DataError> {
        split::random(Arc::new(self), fraction, seed)
    }

    /// Like [`random_split`](DatasetExt::random_split), but each class contributes
    /// `round(fraction × its count)` samples to the first subset, so both keep the class
    /// proportions (to one sample per class). Each subset lists its indices in ascending order;
    /// every target is read once to find the classes.
    ///
    /// # Errors
    /// [`DataError::Split`] for a fraction outside `[0, 1]`, [`DataError::NotAClass`] for a
    /// sample without a class target, and any error reading a sample.
    fn stratified_split(
        self,
        fraction: f64,
        seed: u64,
    ) -> Result<(Subset<Self>, Subset<Self>), DataError>
    where
        Self: Dataset<Item = Example>,
    {
        split::stratified(Arc::new(self), fraction, seed)
    }
}

impl<D: Dataset> DatasetExt for D {}

#[cfg(test)]
mod tests {
    use super::DatasetExt;
    use crate::data::{DataError, Dataset};

    /// `0..n`, the sample being its own index.
    #[derive(Debug)]
    struct Range(usize);

    impl Dataset for Range {
        type Item = usize;
        type Error = DataError;
        fn len(&self) -> usize {
            self.0
        }
        fn get(&self, index: usize) -> Result<usize, DataError> {
            (index < self.0)
                .then_some(index)
                .ok_or(DataError::IndexOutOfRange {
                    index,
                    len: self.0,
                    what: "a range",
                })
        }
    }

    fn all<D: Dataset>(set: &D) -> Result<Vec<D::Item>, D::Error> {
        (0..set.len()).map(|i| set.get(i)).collect()
    }

    #[test]
    fn subset_reads_the_given_indices_in_order() -> Result<(), DataError> {
        let subset = Range(10).subset(vec![7, 2, 2])?;
        assert_eq!(all(&subset)?, vec![7, 2, 2]);
        assert!(matches!(
            subset.get(3),
            Err(DataError::IndexOutOfRange {
                index: 3,
                len: 3,
                ..
            })
        ));
        Ok(())
    }

    #[test]
    fn subset_refuses_an_index_past_the_end() {
        let error = Range(3).subset(vec![0, 3]).unwrap_err();
        assert!(matches!(
            error,
            DataError::IndexOutOfRange {
                index: 3,
                len: 3,
                ..
            }
        ));
    }

    #[test]
    fn concat_reads_the_first_then_the_second() -> Result<(), DataError> {
        let both = Range(2).concat(Range(3));
        assert_eq!(all(&both)?, vec![0, 1, 0, 1, 2]);
        assert!(matches!(
            both.get(5),
            Err(DataError::IndexOutOfRange {
                index: 5,
                len: 5,
                ..
            })
        ));
        Ok(())
    }

    #[test]
    fn map_applies_the_function_to_each_sample() -> Result<(), DataError> {
        let squares = Range(4).map(|i| i * i);
        assert_eq!(all(&squares)?, vec![0, 1, 4, 9]);
        Ok(())
    }
}
