//! The checks shared by the class losses (cross-entropy, NLL): the input has a class axis,
//! the labels fit its shape and are classes or the ignored label, the weight has one entry
//! per class. Everything is checked before the op runs, in that order.

use ndarray::{ArrayD, Dimension};

use super::LossError;
use crate::tensor::{NotALabel, Tensor};

/// Checked labels: each lane's class (`None` when ignored), and the total weight of the
/// counted ones (the divisor of a mean).
pub(super) struct Targets {
    pub(super) classes: Vec<Option<usize>>,
    pub(super) total_weight: f64,
}

/// Checks `labels` (as [`IntoIndices::into_labels`] converted them) against an input
/// `[N, C, d…]` and a class `weight` `[C]`; a conversion error is reported after the input's.
/// Not generic over the labels' type, so it is compiled once rather than in every caller's
/// crate for each label type.
pub(super) fn class_targets(
    loss: &'static str,
    input: &Tensor,
    labels: Result<ArrayD<i64>, NotALabel>,
    weight: Option<&[f32]>,
    ignore_index: i64,
) -> Result<Targets, LossError> {
    let shape = input.shape();
    if shape.len() < 2 {
        return Err(LossError::InputShape {
            loss,
            shape: shape.to_vec(),
            expected: "[N, C] or [N, C, d1, …] with the classes on axis 1",
        });
    }
    let n_classes = shape[1];
    if let Some(weight) = weight.filter(|w| w.len() != n_classes) {
        return Err(LossError::WeightLength {
            loss,
            option: "weight",
            len: weight.len(),
            expected: format!("{n_classes} (one per class)"),
        });
    }
    let labels = labels.map_err(|source| LossError::NotALabel { loss, source })?;
    let mut expected = shape.to_vec();
    expected.remove(1);
    if labels.shape() != expected.as_slice() {
        return Err(LossError::LabelShape {
            loss,
            input: shape.to_vec(),
            labels: labels.shape().to_vec(),
            expected,
        });
    }
    let mut classes = Vec::with_capacity(labels.len());
    let mut total_weight = 0.0;
    for (position, &label) in labels.indexed_iter() {
        if label == ignore_index {
            classes.push(None);
            continue;
        }
        let class = usize::try_from(label)
            .ok()
            .filter(|&c| c < n_classes)
            .ok_or_else(|| LossError::LabelOutOfRange {
                loss,
                label,
                position: position.slice().to_vec(),
                classes: n_classes,
                ignore_index,
            })?;
        total_weight += f64::from(weight.map_or(1.0, |w| w[class]));
        classes.push(Some(class));
    }
    Ok(Targets {
        classes,
        total_weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::IntoIndices;

    #[test]
    fn ignored_labels_are_none_and_not_counted_in_the_total_weight() -> crate::Result<()> {
        let input = Tensor::zeros(&[4, 3]);
        let labels = Tensor::from_vec(vec![2.0, -100.0, 0.0, 2.0], &[4])?;
        let weight = [0.5, 1.0, 2.0];
        let targets = class_targets("test", &input, (&labels).into_labels(), Some(&weight), -100)?;
        assert_eq!(targets.classes, vec![Some(2), None, Some(0), Some(2)]);
        assert_eq!(targets.total_weight, 4.5);
        Ok(())
    }

    #[test]
    fn spatial_labels_are_read_in_row_major_order() -> crate::Result<()> {
        let input = Tensor::zeros(&[2, 3, 2]);
        let labels = ndarray::arr2(&[[0usize, 1], [2, 0]]).into_dyn();
        let targets = class_targets("test", &input, (&labels).into_labels(), None, -100)?;
        assert_eq!(targets.classes, vec![Some(0), Some(1), Some(2), Some(0)]);
        assert_eq!(targets.total_weight, 4.0);
        Ok(())
    }
}
