//! Data sets and the data loader: samples by index, batches in an order that is a function of
//! the seed alone.
//!
//! - [`Dataset`]: a length and one sample by index; [`Example`] (features + [`Target`]) is what
//!   the ready-made sets yield;
//! - the loader collates examples into a [`Batch`] (`inputs` tensor, [`Targets`]).
//! - ready-made sets: [`TensorDataset`] (arrays in memory), [`Csv`] files, [`Mnist`] (IDX files),
//!   [`Digits`] (shipped with the crate);
//! - [`DatasetExt`]: `subset`, `concat`, `map` and the splits; [`Scaler`]: standardisation and
//!   min-max scaling fitted on one split and applied to the others;
//! - [`DataLoader`]: samplers ([`RandomSampler`]: a permutation that is a function of (seed,
//!   epoch); [`Shard`] for data-parallel processes), collation, worker threads delivering batches
//!   in order, a resumable [`LoaderState`].

mod batch_sampler;
mod collate;
mod combinators;
mod csv;
mod dataset;
mod digits;
mod error;
mod file;
mod idx;
mod loader;
mod loader_error;
mod memory;
mod sampler;
mod scale;
mod seed;
mod shard;
mod split;

pub use batch_sampler::{BatchSampler, Batched};
pub use collate::{CollateError, collate};
pub use combinators::{Concat, DatasetExt, Map, Subset};
pub use csv::{Csv, CsvDataset};
pub use dataset::{Batch, Dataset, Example, Target, Targets};
pub use digits::Digits;
pub use error::DataError;
pub use file::MAX_DECOMPRESSED_BYTES;
pub use idx::{IdxArray, Mnist, read_idx};
pub use loader::{DataLoader, DataLoaderBuilder, Epoch, LoaderState};
pub use loader_error::{BoxError, LoaderError};
pub use memory::{Labels, TensorDataset};
pub use sampler::{RandomSampler, Sampler, SequentialSampler, WeightedRandomSampler};
pub use scale::{Scaled, Scaler};
pub use seed::{mix, sample_rng};
pub use shard::{Remainder, Shard};
