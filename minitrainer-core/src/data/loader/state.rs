//! `LoaderState`: where a loader is — the epoch and how many of its batches were delivered —
//! small enough to live in a training checkpoint as JSON.

use serde_json::{Value, json};

use crate::data::LoaderError;

/// The position of a [`DataLoader`](crate::data::DataLoader): `batches` batches of epoch
/// `epoch` were delivered. Since an epoch's order is a function of the seed and the epoch,
/// this is all a resumed loader needs to deliver exactly the batches that follow.
///
/// # Examples
/// ```
/// use minitrainer_core::data::LoaderState;
/// let state = LoaderState { epoch: 3, batches: 17 };
/// let json = state.to_json();
/// assert_eq!(json.to_string(), r#"{"epoch":3,"batches":17}"#);
/// assert_eq!(LoaderState::from_json(&json)?, state);
/// # Ok::<(), minitrainer_core::data::LoaderError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LoaderState {
    /// The epoch (starting at 0).
    pub epoch: u64,
    /// Batches of that epoch already delivered.
    pub batches: usize,
}

impl LoaderState {
    /// `{"epoch": .., "batches": ..}`.
    pub fn to_json(&self) -> Value {
        json!({ "epoch": self.epoch, "batches": self.batches })
    }

    /// The state [`LoaderState::to_json`] wrote.
    ///
    /// # Errors
    /// [`LoaderError::State`] when `epoch` or `batches` is missing or not a non-negative
    /// integer.
    pub fn from_json(value: &Value) -> Result<Self, LoaderError> {
        let field = |key: &str| {
            value.get(key).and_then(Value::as_u64).ok_or_else(|| LoaderError::State {
                reason: format!(
                    "expected a non-negative integer `{key}` in {value}; save it with `LoaderState::to_json`"
                ),
            })
        };
        let epoch = field("epoch")?;
        let batches = usize::try_from(field("batches")?).map_err(|_| LoaderError::State {
            reason: format!("`batches` in {value} does not fit this platform's usize"),
        })?;
        Ok(LoaderState { epoch, batches })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_json_names_a_missing_field() {
        let err = LoaderState::from_json(&json!({ "epoch": 1 })).err();
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("`batches`"), "{message}");
        assert!(LoaderState::from_json(&json!({ "epoch": -1, "batches": 0 })).is_err());
    }
}
