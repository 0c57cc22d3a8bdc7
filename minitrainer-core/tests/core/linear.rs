//! The fused `Tensor::linear` (`F.linear`) against PyTorch: forward values and the gradients of
//! `Σ r ⊙ linear(x, w, b)` for a batch, a batch of sequences, one sample and no bias
//! (fixture: `tools/reference/gen_linear.py`). Inputs are multiples of 1/8, so every product
//! and sum is exact in f32: the comparison is to the last bit up to reassociation noise.

use minitrainer_core::Tensor;
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const FIXTURE: &str = include_str!("../fixtures/linear.json");

fn floats(value: &Value) -> Vec<f32> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().and_then(|s| s.parse().ok()).unwrap_or(f32::NAN))
                .collect()
        })
        .unwrap_or_default()
}

fn shape(value: &Value) -> Vec<usize> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_u64)
                .map(|n| n as usize)
                .collect()
        })
        .unwrap_or_default()
}

fn leaf(values: Vec<f32>, shape: &[usize]) -> Result<Tensor, Box<dyn std::error::Error>> {
    let t = Tensor::from_vec(values, shape)?;
    t.set_requires_grad(true);
    Ok(t)
}

fn assert_close(what: &str, actual: &[f32], expected: &[f32]) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: {actual:?} vs {expected:?}"
    );
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() <= 1e-6 * e.abs().max(1.0),
            "{what}: {actual:?} vs {expected:?}"
        );
    }
}

fn grad(t: &Tensor) -> Vec<f32> {
    t.grad()
        .map(|g| g.iter().copied().collect())
        .unwrap_or_default()
}

#[test]
fn linear_matches_pytorch_forward_and_gradients() -> TestResult {
    let fixture: Value = serde_json::from_str(FIXTURE)?;
    let cases = fixture["cases"].as_object().ok_or("no cases")?;
    assert_eq!(cases.len(), 4);
    for (name, case) in cases {
        let x = leaf(floats(&case["x"]), &shape(&case["x_shape"]))?;
        let w_values = floats(&case["w"]);
        let w = leaf(w_values.clone(), &[w_values.len() / 4, 4])?;
        let b = match &case["b"] {
            Value::Null => None,
            b => Some(leaf(floats(b), &[w_values.len() / 4])?),
        };
        let out = x.linear(&w, b.as_ref());
        assert_eq!(out.shape(), shape(&case["out_shape"]).as_slice(), "{name}");
        assert_close(name, &out.to_vec(), &floats(&case["out"]));
        let r = Tensor::from_vec(floats(&case["r"]), out.shape())?;
        out.mul(&r).sum().backward();
        assert_close(name, &grad(&x), &floats(&case["grad_x"]));
        assert_close(name, &grad(&w), &floats(&case["grad_w"]));
        if let Some(b) = &b {
            assert_close(name, &grad(b), &floats(&case["grad_b"]));
        }
    }
    Ok(())
}

#[test]
fn an_input_that_needs_no_gradient_gets_none_and_the_parameters_still_do() -> TestResult {
    let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2])?;
    let w = leaf(vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0], &[3, 2])?;
    let b = leaf(vec![0.5, 0.0, -0.5], &[3])?;
    x.linear(&w, Some(&b)).sum().backward();
    assert!(x.grad().is_none());
    // d Σ/dW[o, :] = Σ_rows x = [4, 6] ; d Σ/db = rows = 2
    assert_eq!(grad(&w), vec![4.0, 6.0, 4.0, 6.0, 4.0, 6.0]);
    assert_eq!(grad(&b), vec![2.0, 2.0, 2.0]);
    Ok(())
}

#[test]
#[should_panic(expected = "linear: the bias must have shape [3]")]
fn a_bias_of_the_wrong_length_panics_naming_the_shapes() {
    let w = Tensor::zeros(&[3, 2]);
    let _ = Tensor::zeros(&[4, 2]).linear(&w, Some(&Tensor::zeros(&[2])));
}

#[test]
#[should_panic(expected = "linear: expected an input [..., in], a weight [out, in]")]
fn an_input_of_the_wrong_width_panics_naming_the_shapes() {
    let _ = Tensor::zeros(&[4, 3]).linear(&Tensor::zeros(&[3, 2]), None);
}
