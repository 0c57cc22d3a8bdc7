//! Collation: a batch's samples into one value. [`collate`] is the default for [`Example`]s
//! (PyTorch's `default_collate`); the loader takes any `Fn(Vec<Item>) -> Result<B, E>` instead
//! (`DataLoader::with_collate`). Errors name the sample's position in the batch; the loader
//! adds the batch number.

use ndarray::ArrayD;

use super::dataset::{Batch, Example, Target, Targets};
use crate::Tensor;

/// Why a batch of [`Example`]s could not be collated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CollateError {
    /// The batch holds no sample.
    #[error("cannot collate an empty batch")]
    Empty,
    /// A sample's features have another shape than the batch's first sample.
    #[error(
        "sample {position} of the batch has features of shape {found:?}, but sample 0 has {expected:?}; pad or resize the samples, or pass a custom collate function"
    )]
    RaggedFeatures {
        /// Position of the sample in the batch.
        position: usize,
        /// Shape of sample 0's features.
        expected: Vec<usize>,
        /// Shape of this sample's features.
        found: Vec<usize>,
    },
    /// A sample's target is of another kind (class, values, none) than sample 0's.
    #[error(
        "sample {position} of the batch has a {found} target, but sample 0 has a {expected} target; a batch's targets must all be of one kind"
    )]
    MixedTargets {
        /// Position of the sample in the batch.
        position: usize,
        /// Sample 0's kind.
        expected: &'static str,
        /// This sample's kind.
        found: &'static str,
    },
    /// A sample's regression values have another shape than sample 0's.
    #[error(
        "sample {position} of the batch has target values of shape {found:?}, but sample 0 has {expected:?}"
    )]
    RaggedTargets {
        /// Position of the sample in the batch.
        position: usize,
        /// Shape of sample 0's target values.
        expected: Vec<usize>,
        /// Shape of this sample's target values.
        found: Vec<usize>,
    },
}

fn kind(target: &Target) -> &'static str {
    match target {
        Target::Class(_) => "class",
        Target::Values(_) => "values",
        Target::None => "none",
    }
}

/// Stacks same-shaped arrays along a new first axis; `ragged` builds the error naming the
/// first array whose shape differs from the first one's.
fn stack<'a>(
    arrays: impl ExactSizeIterator<Item = &'a ArrayD<f32>>,
    ragged: impl Fn(usize, Vec<usize>, Vec<usize>) -> CollateError,
) -> Result<Tensor, CollateError> {
    let count = arrays.len();
    let mut expected: Option<Vec<usize>> = None;
    let mut data = Vec::new();
    for (position, array) in arrays.enumerate() {
        match &expected {
            None => {
                data.reserve(count * array.len());
                expected = Some(array.shape().to_vec());
            }
            Some(shape) if shape.as_slice() != array.shape() => {
                return Err(ragged(position, shape.clone(), array.shape().to_vec()));
            }
            Some(_) => {}
        }
        // Logical (row-major) order whatever the array's memory layout.
        match array.as_slice() {
            Some(slice) => data.extend_from_slice(slice),
            None => data.extend(array.iter().copied()),
        }
    }
    let mut shape = vec![count];
    shape.extend(expected.unwrap_or_default());
    // Every array has `expected`'s shape, so `data` holds exactly `count * product(shape)`.
    Ok(Tensor::from_vec(data, &shape)
        .expect("minitrainer internal error: stacked length checked against the shapes"))
}

/// The default collation: features stacked into `inputs` of shape `[batch, ...features]`;
/// class labels into [`Targets::Classes`], regression values stacked into [`Targets::Values`]
/// (`[batch, ...values]`), no targets into [`Targets::None`].
///
/// # Errors
/// [`CollateError::Empty`] for no sample; [`CollateError::RaggedFeatures`],
/// [`CollateError::MixedTargets`] or [`CollateError::RaggedTargets`] naming the first sample
/// that does not match sample 0.
///
/// # Examples
/// ```
/// use minitrainer_core::data::{collate, Example, Target, Targets};
/// use ndarray::{ArrayD, IxDyn};
/// let example = |label| Example {
///     features: ArrayD::zeros(IxDyn(&[3])),
///     target: Target::Class(label),
/// };
/// let batch = collate(vec![example(1), example(0)])?;
/// assert_eq!(batch.inputs.shape(), &[2, 3]);
/// assert_eq!(batch.targets, Targets::Classes(vec![1, 0]));
/// # Ok::<(), minitrainer_core::data::CollateError>(())
/// ```
pub fn collate(examples: Vec<Example>) -> Result<Batch, CollateError> {
    let first = examples.first().ok_or(CollateError::Empty)?;
    let expected = kind(&first.target);
    if let Some((position, found)) = examples
        .iter()
        .map(|e| kind(&e.target))
        .enumerate()
        .find(|(_, k)| *k != expected)
    {
        return Err(CollateError::MixedTargets {
            position,
            expected,
            found,
        });
    }
    let inputs = stack(
        examples.iter().map(|e| &e.features),
        |position, expected, found| CollateError::RaggedFeatures {
            position,
            expected,
            found,
        },
    )?;
    let targets = match first.target {
        Target::Class(_) => Targets::Classes(
            examples
                .iter()
                .map(|e| match e.target {
                    Target::Class(c) => c,
                    _ => unreachable!("minitrainer internal error: target kinds checked above"),
                })
                .collect(),
        ),
        Target::Values(_) => {
            let values = examples.iter().filter_map(|e| match &e.target {
                Target::Values(v) => Some(v),
                _ => None,
            });
            let values: Vec<&ArrayD<f32>> = values.collect();
            Targets::Values(stack(values.into_iter(), |position, expected, found| {
                CollateError::RaggedTargets {
                    position,
                    expected,
                    found,
                }
            })?)
        }
        Target::None => Targets::None,
    };
    Ok(Batch { inputs, targets })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::IxDyn;

    fn example(shape: &[usize], fill: f32, target: Target) -> Example {
        Example {
            features: ArrayD::from_elem(IxDyn(shape), fill),
            target,
        }
    }

    #[test]
    fn collate_stacks_features_and_values() -> Result<(), CollateError> {
        let values = |v: f32| Target::Values(ArrayD::from_elem(IxDyn(&[2]), v));
        let batch = collate(vec![
            example(&[2, 2], 1.0, values(10.0)),
            example(&[2, 2], 2.0, values(20.0)),
        ])?;
        assert_eq!(batch.inputs.shape(), &[2, 2, 2]);
        assert_eq!(
            batch.inputs.to_vec(),
            [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0]
        );
        match batch.targets {
            Targets::Values(t) => assert_eq!(t.to_vec(), [10.0, 10.0, 20.0, 20.0]),
            other => panic!("expected values, got {other:?}"),
        }
        Ok(())
    }

    #[test]
    fn collate_keeps_logical_order_of_transposed_features() -> Result<(), CollateError> {
        let array = ArrayD::from_shape_vec(IxDyn(&[2, 2]), vec![1.0, 2.0, 3.0, 4.0])
            .map_err(|_| CollateError::Empty)?;
        let transposed = array.reversed_axes();
        let batch = collate(vec![Example {
            features: transposed,
            target: Target::None,
        }])?;
        assert_eq!(batch.inputs.to_vec(), [1.0, 3.0, 2.0, 4.0]);
        assert_eq!(batch.targets, Targets::None);
        Ok(())
    }

    #[test]
    fn collate_names_the_ragged_or_mixed_sample() {
        let ragged = collate(vec![
            example(&[3], 0.0, Target::Class(0)),
            example(&[3], 0.0, Target::Class(1)),
            example(&[4], 0.0, Target::Class(2)),
        ]);
        assert_eq!(
            ragged.err(),
            Some(CollateError::RaggedFeatures {
                position: 2,
                expected: vec![3],
                found: vec![4]
            })
        );
        let mixed = collate(vec![
            example(&[3], 0.0, Target::Class(0)),
            example(&[3], 0.0, Target::None),
        ]);
        let message = mixed.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("sample 1") && message.contains("none"),
            "{message}"
        );
        assert_eq!(collate(vec![]).err(), Some(CollateError::Empty));
    }
}
