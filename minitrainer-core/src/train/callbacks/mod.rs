//! The built-in callbacks.

mod early_stopping;
mod metrics_log;
mod progress;

pub use early_stopping::{EarlyStopping, EarlyStoppingConfig};
pub use metrics_log::MetricsLog;
pub use progress::Progress;
