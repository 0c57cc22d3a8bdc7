//! Tensor and autograd tests, as one test binary (one link instead of one per file).

mod broadcast_props;
mod grad_access;
mod gradcheck;
mod indices;
mod linear;
mod tensor;
