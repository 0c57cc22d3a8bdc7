//! The built-in callbacks.

mod early_stopping;

pub use early_stopping::{EarlyStopping, EarlyStoppingConfig};
