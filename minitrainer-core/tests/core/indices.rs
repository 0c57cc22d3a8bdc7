//! `IntoIndices`: every form of index `gather` and `index_select` take gives the same result,
//! a 1-D label list lines up with `gather` as one index per lane, and a bad index tensor
//! panics naming the op, the value and its position.

use minitrainer_core::Tensor;
use minitrainer_core::tensor::IntoIndices;
use ndarray::{ArrayD, IxDyn, arr1, arr2};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Log-probabilities of 3 samples over 4 classes, distinct so a wrong pick shows.
fn log_probs() -> Result<Tensor, Box<dyn std::error::Error>> {
    let values = (0..12).map(|i| -(i as f32) / 4.0).collect();
    Ok(Tensor::from_vec(values, &[3, 4])?)
}

// ---- the forms -------------------------------------------------------------------------

#[test]
fn every_label_form_gathers_the_same_entries() -> TestResult {
    let x = log_probs()?;
    // labels 2, 0, 3: row r picks x[r][label] = -(4r + label)/4
    let expected = vec![-0.5, -1.0, -2.75];
    let column = ArrayD::from_shape_vec(IxDyn(&[3, 1]), vec![2, 0, 3])?;
    let vec = vec![2, 0, 3];
    let tensor = Tensor::from_vec(vec![2.0, 0.0, 3.0], &[3])?;
    let tensor_column = Tensor::from_vec(vec![2.0, 0.0, 3.0], &[3, 1])?;
    let outputs = [
        x.gather(1, &[2, 0, 3]),
        x.gather(1, &vec[..]),
        x.gather(1, &vec),
        x.gather(1, vec.clone()),
        x.gather(1, &column),
        x.gather(1, column.clone()),
        x.gather(1, arr1(&[2, 0, 3]).into_dyn()),
        x.gather(1, &tensor),
        x.gather(1, tensor.clone()),
        x.gather(1, &tensor_column),
    ];
    for (form, out) in outputs.iter().enumerate() {
        assert_eq!(out.shape(), &[3, 1], "form {form}");
        assert_eq!(out.to_vec(), expected, "form {form}");
    }
    Ok(())
}

#[test]
fn a_one_d_label_list_gives_the_gradient_of_the_column_form() -> TestResult {
    // d gather(x, 1, labels)/dx = 1 at each row's label, 0 elsewhere, for both shapes.
    let grad_of = |labels: &dyn Fn(&Tensor) -> Tensor| -> Result<Vec<f32>, String> {
        let x = log_probs().map_err(|e| e.to_string())?;
        x.set_requires_grad(true);
        labels(&x).sum().backward();
        x.grad()
            .map(|g| g.iter().copied().collect())
            .ok_or_else(|| "no gradient".to_string())
    };
    let list = grad_of(&|x| x.gather(1, &[1, 1, 0]))?;
    let column = grad_of(&|x| x.gather(1, arr2(&[[1], [1], [0]]).into_dyn()))?;
    assert_eq!(list, column);
    assert_eq!(
        list,
        [0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    );
    Ok(())
}

#[test]
fn sequence_labels_gather_one_entry_per_position() -> TestResult {
    // [b=1, t=2, c=3] with labels [1, 2] of shape [1, 2], read as [1, 2, 1]
    let x = Tensor::from_vec(vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], &[1, 2, 3])?;
    let out = x.gather(2, arr2(&[[1, 2]]).into_dyn());
    assert_eq!(out.shape(), &[1, 2, 1]);
    assert_eq!(out.to_vec(), vec![1.0, 5.0]);
    Ok(())
}

#[test]
fn every_index_form_selects_the_same_rows() -> TestResult {
    let table = Tensor::from_vec(vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5], &[3, 2])?;
    let expected = vec![2.0, 2.5, 0.0, 0.5, 2.0, 2.5];
    let ids = vec![2, 0, 2];
    let outputs = [
        table.index_select(0, &[2, 0, 2]),
        table.index_select(0, &ids[..]),
        table.index_select(0, &ids),
        table.index_select(0, ids.clone()),
        table.index_select(0, arr1(&[2, 0, 2]).into_dyn()),
        table.index_select(0, &Tensor::from_vec(vec![2.0, 0.0, 2.0], &[3])?),
    ];
    for (form, out) in outputs.iter().enumerate() {
        assert_eq!(out.to_vec(), expected, "form {form}");
    }
    Ok(())
}

#[test]
fn into_indices_keeps_the_shape_of_arrays_and_tensors() -> TestResult {
    assert_eq!(vec![3, 1].into_indices("test").shape(), &[2]);
    let t = Tensor::from_vec(vec![0.0, 1.0, 2.0, 16_777_216.0], &[2, 2])?;
    let indices = (&t).into_indices("test");
    assert_eq!(indices, arr2(&[[0, 1], [2, 16_777_216]]).into_dyn());
    Ok(())
}

// ---- panics ------------------------------------------------------------------------------

#[test]
#[should_panic(expected = "gather: index -1 at position [1] is not a non-negative whole number")]
fn a_negative_label_tensor_panics_naming_op_value_and_position() {
    let labels = Tensor::from_array(arr1(&[0.0, -1.0]));
    let _ = Tensor::zeros(&[2, 3]).gather(1, &labels);
}

#[test]
#[should_panic(
    expected = "gather: index 1.5 at position [0, 1] is not a non-negative whole number"
)]
fn a_fractional_label_panics_naming_its_position() {
    let labels = Tensor::from_array(arr2(&[[0.0, 1.5]]));
    let _ = Tensor::zeros(&[1, 3]).gather(1, labels);
}

#[test]
#[should_panic(expected = "index_select: index NaN at position [2] is not a non-negative whole")]
fn a_nan_index_panics() {
    let ids = Tensor::from_array(arr1(&[0.0, 1.0, f32::NAN]));
    let _ = Tensor::zeros(&[3, 2]).index_select(0, &ids);
}

#[test]
#[should_panic(expected = "cross_entropy: index 20000000 at position [0] is too large to be exact")]
fn an_index_beyond_exact_f32_panics() {
    let _ = Tensor::from_array(arr1(&[2.0e7_f32])).into_indices("cross_entropy");
}

#[test]
#[should_panic(
    expected = "gather: index shape [3] (read as [3, 1]: one index per lane) must equal the \
                tensor shape [2, 4] outside axis 1"
)]
fn a_label_list_of_the_wrong_length_panics_with_both_shapes() {
    let _ = Tensor::zeros(&[2, 4]).gather(1, &[0, 1, 2]);
}

#[test]
#[should_panic(
    expected = "gather: index 4 is out of range for axis 1 of shape [2, 4] (at index position [1, 0])"
)]
fn an_out_of_range_label_panics_naming_its_position() {
    let _ = Tensor::zeros(&[2, 4]).gather(1, vec![1, 4]);
}

#[test]
#[should_panic(expected = "index_select: indices must be 1-D, got shape [2, 1]")]
fn index_select_refuses_two_d_indices() {
    let _ = Tensor::zeros(&[3, 2]).index_select(0, arr2(&[[0], [1]]).into_dyn());
}

#[test]
#[should_panic(
    expected = "index_select: index 3 (at position 1) is out of range for axis 0 of shape [3, 2]"
)]
fn index_select_out_of_range_names_the_position() {
    let _ = Tensor::zeros(&[3, 2]).index_select(0, &[0, 3]);
}
