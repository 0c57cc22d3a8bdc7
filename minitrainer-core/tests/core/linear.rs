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

#[test]
fn one_sample_gives_the_bits_of_the_product_plus_the_bias_in_any_layout() -> TestResult {
    // Batch-1 inference takes its own path (the vector-matrix kernel, then the bias): it must
    // agree bit for bit with `matmul_t` followed by `add`, for widths around every vector
    // width, a 1-D or `[1, in]` input, with or without a bias, and a weight whose rows are not
    // contiguous (a transposed `[in, out]` tensor).
    let mut rng = minitrainer_core::tensor::seeded_rng(7);
    for (inputs, outputs) in [(1, 1), (15, 3), (16, 4), (17, 9), (784, 256)] {
        let w = Tensor::randn(&[outputs, inputs], 0.0, 1.0, &mut rng);
        let b = Tensor::randn(&[outputs], 0.0, 1.0, &mut rng);
        let x = Tensor::randn(&[1, inputs], 0.0, 1.0, &mut rng);
        let w_strided = Tensor::randn(&[inputs, outputs], 0.0, 1.0, &mut rng).transpose(0, 1);
        for w in [&w, &w_strided] {
            let expected = x.matmul_t(w).add(&b).to_vec();
            assert_eq!(
                x.linear(w, Some(&b)).to_vec(),
                expected,
                "{inputs} → {outputs}"
            );
            let one_d = x.reshape(&[inputs]).linear(w, Some(&b));
            assert_eq!(one_d.shape(), [outputs]);
            assert_eq!(one_d.to_vec(), expected, "1-D input, {inputs} → {outputs}");
            assert_eq!(x.linear(w, None).to_vec(), x.matmul_t(w).to_vec());
        }
    }
    Ok(())
}
