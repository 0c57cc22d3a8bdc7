//! The checks and the call shared by the pointwise regression losses (MSE, L1, smooth L1,
//! Huber) and binary cross-entropy: prediction and target have the same shape.

use super::{LossError, Reduction};
use crate::tensor::PointwiseLoss;
use crate::tensor::Tensor;

/// Checks that `target` has `prediction`'s shape (losses do not broadcast: a `[N]` target
/// against a `[N, 1]` prediction would silently compute an `[N, N]` loss in PyTorch).
pub(super) fn same_shape(
    loss: &'static str,
    prediction: &Tensor,
    target: &Tensor,
) -> Result<(), LossError> {
    if prediction.shape() == target.shape() {
        return Ok(());
    }
    Err(LossError::ShapeMismatch {
        loss,
        prediction: prediction.shape().to_vec(),
        target: target.shape().to_vec(),
    })
}

/// `loss` of `prediction - target`, reduced; the mean divides by the element count.
pub(super) fn pointwise(
    name: &'static str,
    prediction: &Tensor,
    target: &Tensor,
    loss: PointwiseLoss,
    reduction: Reduction,
) -> Result<Tensor, LossError> {
    same_shape(name, prediction, target)?;
    let reduction = reduction.with_count(prediction.numel() as f64);
    Ok(prediction.pointwise_loss(target, loss, reduction))
}
