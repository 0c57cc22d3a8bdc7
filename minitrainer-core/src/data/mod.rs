//! Data sets and the data loader: samples by index, batches in an order that is a function of
//! the seed alone.
//!
//! - [`Dataset`]: a length and one sample by index; [`Example`] (features + [`Target`]) is what
//!   the ready-made sets yield;
//! - the loader collates examples into a [`Batch`] (`inputs` tensor, [`Targets`]).
//! - ready-made sets: [`TensorDataset`] (arrays in memory), [`Csv`] files, [`Mnist`] (IDX files),
//!   [`Digits`] (shipped with the crate);
//! - [`DatasetExt`]: `subset`, `concat`, `map` and the splits; [`Scaler`]: standardisation and
//!   min-max scaling fitted on one split and applied to the others.

mod combinators;
mod csv;
mod dataset;
mod digits;
mod error;
mod file;
mod idx;
mod memory;
mod scale;
mod split;

pub use combinators::{Concat, DatasetExt, Map, Subset};
pub use csv::{Csv, CsvDataset};
pub use dataset::{Batch, Dataset, Example, Target, Targets};
pub use digits::Digits;
pub use error::DataError;
pub use idx::{IdxArray, Mnist, read_idx};
pub use memory::{Labels, TensorDataset};
pub use scale::{Scaled, Scaler};
