//! The autograd tape's records: which op produced a tensor, from which inputs.
//! (Placeholder: filled in with the ops.)

/// How a non-leaf tensor was computed.
pub(crate) struct Node {}
