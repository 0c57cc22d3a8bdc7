// Not public API. Used by code that `minitrainer-macros` generates.

pub use crate::module::PlainData;
pub use inventory;
pub use serde_json;
