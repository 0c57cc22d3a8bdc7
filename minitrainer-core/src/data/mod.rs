//! Data sets and the data loader: samples by index, batches in an order that is a function of
//! the seed alone.
//!
//! - [`Dataset`]: a length and one sample by index; [`Example`] (features + [`Target`]) is what
//!   the ready-made sets yield;
//! - the loader collates examples into a [`Batch`] (`inputs` tensor, [`Targets`]).

mod batch_sampler;
mod collate;
mod dataset;
mod loader;
mod loader_error;
mod sampler;
mod seed;
mod shard;

pub use batch_sampler::{BatchSampler, Batched};
pub use collate::{CollateError, collate};
pub use dataset::{Batch, Dataset, Example, Target, Targets};
pub use loader::{DataLoader, DataLoaderBuilder, Epoch, LoaderState};
pub use loader_error::{BoxError, LoaderError};
pub use sampler::{RandomSampler, Sampler, SequentialSampler, WeightedRandomSampler};
pub use seed::{mix, sample_rng};
pub use shard::{Remainder, Shard};
