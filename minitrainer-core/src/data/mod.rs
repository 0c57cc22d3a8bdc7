//! Data sets and the data loader: samples by index, batches in an order that is a function of
//! the seed alone.
//!
//! - [`Dataset`]: a length and one sample by index; [`Example`] (features + [`Target`]) is what
//!   the ready-made sets yield;
//! - the loader collates examples into a [`Batch`] (`inputs` tensor, [`Targets`]).

mod dataset;

pub use dataset::{Batch, Dataset, Example, Target, Targets};
