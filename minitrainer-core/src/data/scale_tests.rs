//! Unit tests of the scalers against hand-computed statistics.

use ndarray::{ArrayD, IxDyn};

use super::Scaler;
use crate::data::{DataError, Dataset, TensorDataset};

fn set(rows: &[[f32; 2]]) -> TensorDataset {
    let values = rows.iter().flatten().copied().collect();
    let features = ArrayD::from_shape_vec(IxDyn(&[rows.len(), 2]), values).expect("shape");
    TensorDataset::unlabelled(features).expect("set")
}

fn first(
    set: &impl Dataset<Item = crate::data::Example, Error = DataError>,
) -> Result<Vec<f32>, DataError> {
    Ok(set.get(0)?.features.iter().copied().collect())
}

#[test]
fn standard_scaler_fitted_on_train_applied_to_test_matches_a_hand_computation()
-> Result<(), DataError> {
    // Column 0: 1, 3, 5 → mean 3, population variance (4 + 0 + 4) / 3 = 8/3.
    // Column 1: constant 10 → std 0, treated as 1.
    let scaler = Scaler::fit_standard(&set(&[[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]]))?;
    assert_eq!(
        scaler,
        Scaler::Standard {
            mean: vec![3.0, 10.0],
            std: vec![(8.0f64 / 3.0).sqrt() as f32, 0.0]
        }
    );
    let test = scaler.apply(set(&[[7.0, 4.0]]))?;
    let got = first(&test)?;
    // (7 - 3) / sqrt(8/3) = 2.4494897; (4 - 10) / 1 = -6.
    assert!((got[0] - 2.449_489_7).abs() < 1e-6, "{got:?}");
    assert_eq!(got[1], -6.0);
    Ok(())
}

#[test]
fn min_max_scaler_maps_the_training_range_to_unit_interval() -> Result<(), DataError> {
    let scaler = Scaler::fit_min_max(&set(&[[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]]))?;
    let test = scaler.apply(set(&[[7.0, 4.0]]))?;
    // (7 - 1) / (5 - 1) = 1.5; constant column: (4 - 10) / 1 = -6.
    assert_eq!(first(&test)?, vec![1.5, -6.0]);
    Ok(())
}

#[test]
fn statistics_round_trip_through_json_exactly() -> Result<(), DataError> {
    for scaler in [
        Scaler::fit_standard(&set(&[[0.1, 2.0], [0.7, -3.3]]))?,
        Scaler::fit_min_max(&set(&[[0.1, 2.0], [0.7, -3.3]]))?,
    ] {
        let text = scaler.to_json().to_string();
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid json");
        assert_eq!(Scaler::from_json(&value)?, scaler);
    }
    Ok(())
}

#[test]
fn bad_saved_statistics_are_refused() {
    let cases = [
        (
            serde_json::json!({"kind": "robust"}),
            "`kind` is Some(\"robust\")",
        ),
        (
            serde_json::json!({"kind": "standard", "mean": [1.0]}),
            "`std` is missing",
        ),
        (
            serde_json::json!({"kind": "min_max", "min": [1.0], "max": ["a"]}),
            "`max` holds `\"a\"`",
        ),
        (
            serde_json::json!({"kind": "min_max", "min": [1.0], "max": [1.0, 2.0]}),
            "1 and 2 values",
        ),
    ];
    for (value, needle) in cases {
        let message = Scaler::from_json(&value).unwrap_err().to_string();
        assert!(message.contains(needle), "{message}");
    }
}

#[test]
fn applying_to_a_set_of_another_width_is_an_error() -> Result<(), DataError> {
    let scaler = Scaler::fit_standard(&set(&[[1.0, 2.0]]))?;
    let three = TensorDataset::unlabelled(ArrayD::zeros(IxDyn(&[1, 3])))?;
    let error = scaler.apply(three).unwrap_err();
    assert_eq!(
        error.to_string(),
        "sample 0 has 3 features but the scaler was fitted on 2; \
         apply a scaler to sets with the features it was fitted on"
    );
    Ok(())
}

#[test]
fn fitting_on_an_empty_set_is_an_error() -> Result<(), DataError> {
    let empty = TensorDataset::unlabelled(ArrayD::zeros(IxDyn(&[0, 2])))?;
    assert!(matches!(
        Scaler::fit_standard(&empty),
        Err(DataError::Empty { .. })
    ));
    assert!(matches!(
        Scaler::fit_min_max(&empty),
        Err(DataError::Empty { .. })
    ));
    Ok(())
}
