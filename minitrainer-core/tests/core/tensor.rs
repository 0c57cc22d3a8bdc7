//! Tensor behaviour other than gradient values: forward values against independently computed
//! numbers, grad mode, accumulation, detach, panics on misuse, deep graphs, threads.

use minitrainer_core::Tensor;
use minitrainer_core::tensor::{enable_grad, is_grad_enabled, no_grad, seeded_rng};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Forward values are compared to hand-computed (or mpmath-computed) numbers to f32 precision.
const FORWARD_TOL: f32 = 1e-6;

const _: () = {
    // A model built from tensors can be shared across threads for inference.
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Tensor>();
};

fn assert_close(actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() <= FORWARD_TOL * e.abs().max(1.0),
            "{actual:?} vs {expected:?}"
        );
    }
}

fn leaf(values: Vec<f32>, shape: &[usize]) -> Result<Tensor, Box<dyn std::error::Error>> {
    let t = Tensor::from_vec(values, shape)?;
    t.set_requires_grad(true);
    Ok(t)
}

/// The gradient of `t` in row-major order.
fn grad_of(t: &Tensor) -> Result<Vec<f32>, &'static str> {
    Ok(t.grad().ok_or("no gradient")?.iter().copied().collect())
}

// ---- forward values ----------------------------------------------------------------------

#[test]
fn softmax_and_log_softmax_of_1_2_3_match_hand_computed_values() -> TestResult {
    let x = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[1, 3])?;
    // e^k / (e + e² + e³)
    assert_close(
        &x.softmax(1).to_vec(),
        &[0.090_030_57, 0.244_728_48, 0.665_240_94],
    );
    // k - ln(e + e² + e³)
    assert_close(
        &x.log_softmax(1).to_vec(),
        &[-2.407_606, -1.407_606, -0.407_606],
    );
    Ok(())
}

#[test]
fn softmax_is_stable_for_large_inputs() -> TestResult {
    let x = Tensor::from_vec(
        vec![1000.0, 1001.0, 1002.0, -1000.0, -1001.0, -1002.0],
        &[2, 3],
    )?;
    let probs = x.softmax(1).to_vec();
    assert_close(&probs[..3], &[0.090_030_57, 0.244_728_48, 0.665_240_94]);
    assert_close(&probs[3..], &[0.665_240_94, 0.244_728_48, 0.090_030_57]);
    assert_close(
        &x.log_softmax(1).to_vec()[..3],
        &[-2.407_606, -1.407_606, -0.407_606],
    );
    Ok(())
}

#[test]
fn activations_match_known_values() -> TestResult {
    let x = Tensor::from_vec(vec![-1.0, 0.0, 1.0], &[3])?;
    assert_close(&x.gelu().to_vec(), &[-0.158_655_26, 0.0, 0.841_344_7]);
    assert_close(&x.gelu_tanh().to_vec(), &[-0.158_808, 0.0, 0.841_192]);
    assert_close(&x.sigmoid().to_vec(), &[0.268_941_43, 0.5, 0.731_058_6]);
    assert_close(&x.silu().to_vec(), &[-0.268_941_43, 0.0, 0.731_058_6]);
    assert_close(&x.tanh().to_vec(), &[-0.761_594_2, 0.0, 0.761_594_2]);
    assert_close(&x.relu().to_vec(), &[0.0, 0.0, 1.0]);
    // σ must not overflow far from 0
    let far = Tensor::from_vec(vec![-200.0, 200.0], &[2])?;
    assert_close(&far.sigmoid().to_vec(), &[0.0, 1.0]);
    Ok(())
}

#[test]
fn relu_propagates_nan_as_pytorch_does() -> TestResult {
    // torch.relu(torch.tensor([nan, -inf, inf])) == [nan, 0, inf]; f32::max(NaN, 0) is 0.
    let x = Tensor::from_vec(vec![f32::NAN, f32::NEG_INFINITY, f32::INFINITY], &[3])?;
    x.set_requires_grad(true);
    let y = x.relu();
    let values = y.to_vec();
    assert!(values[0].is_nan());
    assert_eq!(&values[1..], &[0.0, f32::INFINITY]);
    y.sum().backward();
    // threshold_backward: the gradient passes where !(x <= 0), NaN included.
    let grad: Vec<f32> = x.grad().expect("a gradient").iter().copied().collect();
    assert_eq!(grad, [1.0, 0.0, 1.0]);
    Ok(())
}

#[test]
fn relu_backward_masks_by_the_input_in_any_layout() -> TestResult {
    // The input of the second relu is a transposed view: its backward takes the strided path,
    // the first the contiguous one; both pass the gradient exactly where x > 0.
    let values = vec![1.5, -2.0, 0.0, -0.5, 3.0, 2.5];
    let x = Tensor::from_vec(values.clone(), &[2, 3])?;
    x.set_requires_grad(true);
    let weights = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[3, 2])?;
    let through_view = x.transpose(0, 1).relu().mul(&weights).sum();
    let direct = x.relu().mul(&weights.transpose(0, 1)).sum();
    through_view.add(&direct).backward();
    let grad: Vec<f32> = x.grad().expect("a gradient").iter().copied().collect();
    // d/dx of both terms: 2 · weightᵀ where x > 0, else 0 (weightᵀ = [1, 3, 5, 2, 4, 6]).
    let expected: Vec<f32> = (values.iter().zip([1.0, 3.0, 5.0, 2.0, 4.0, 6.0]))
        .map(|(&x, w)| if x > 0.0 { 2.0 * w } else { 0.0 })
        .collect();
    assert_eq!(grad, expected);
    Ok(())
}

#[test]
fn matmul_t_is_matmul_by_the_transpose() -> TestResult {
    let mut rng = seeded_rng(5);
    for (a_shape, w_shape) in [
        (&[3, 4][..], [5, 4]),
        (&[1, 4], [5, 4]),
        (&[2, 3, 4], [5, 4]),
    ] {
        let a = Tensor::randn(a_shape, 0.0, 1.0, &mut rng);
        let w = Tensor::randn(&w_shape, 0.0, 1.0, &mut rng);
        let expected = a.matmul(&w.transpose(0, 1));
        let actual = a.matmul_t(&w);
        assert_eq!(actual.shape(), expected.shape());
        assert_close(&actual.to_vec(), &expected.to_vec());
    }
    Ok(())
}

#[test]
fn matmul_of_small_integer_matrices() -> TestResult {
    let a = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])?;
    let b = Tensor::from_vec(vec![7.0, 8.0, 9.0, 10.0, 11.0, 12.0], &[3, 2])?;
    // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
    assert_eq!(a.matmul(&b).to_vec(), vec![58.0, 64.0, 139.0, 154.0]);
    // aᵀ (a transposed view) · a = [17 22 27; 22 29 36; 27 36 45]
    let ata = a.transpose(0, 1).matmul(&a);
    assert_eq!(
        ata.to_vec(),
        vec![17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]
    );
    // batched: [2, 2, 3] @ [3, 2], each batch the product above scaled by the batch's factor
    let batch = Tensor::cat(
        &[
            &a.reshape(&[1, 2, 3]),
            &a.mul_scalar(2.0).reshape(&[1, 2, 3]),
        ],
        0,
    );
    let out = batch.matmul(&b);
    assert_eq!(out.shape(), &[2, 2, 2]);
    assert_eq!(
        out.to_vec(),
        vec![58.0, 64.0, 139.0, 154.0, 116.0, 128.0, 278.0, 308.0]
    );
    Ok(())
}

#[test]
fn reductions_and_indexing_forward() -> TestResult {
    let x = Tensor::from_vec(vec![1.0, 5.0, 3.0, 5.0, 2.0, 0.0], &[2, 3])?;
    assert_eq!(x.sum().item(), 16.0);
    assert_close(&[x.mean().item()], &[16.0 / 6.0]);
    assert_eq!(x.max().item(), 5.0);
    assert_eq!(x.sum_axis(0, false).to_vec(), vec![6.0, 7.0, 3.0]);
    assert_eq!(x.max_axis(1, true).shape(), &[2, 1]);
    assert_eq!(x.max_axis(1, true).to_vec(), vec![5.0, 5.0]);
    // rows [1 5 3] and [5 2 0]: mean 3 and 7/3; mean squared deviation 8/3 and 38/9
    assert_eq!(x.var_axis(1, false).to_vec(), vec![8.0 / 3.0, 38.0 / 9.0]);
    assert_eq!(
        x.index_select(1, &[2, 0]).to_vec(),
        vec![3.0, 1.0, 0.0, 5.0]
    );
    assert_eq!(x.narrow(1, 1, 2).to_vec(), vec![5.0, 3.0, 2.0, 0.0]);
    let labels = ndarray::arr2(&[[2], [0]]).into_dyn();
    assert_eq!(x.gather(1, &labels).to_vec(), vec![3.0, 5.0]);
    assert_eq!(
        x.permute(&[1, 0]).reshape(&[6]).to_vec(),
        vec![1.0, 5.0, 5.0, 2.0, 3.0, 0.0]
    );
    Ok(())
}

#[test]
fn max_axis_sends_the_gradient_to_the_first_of_tied_maxima() -> TestResult {
    let x = leaf(vec![1.0, 5.0, 5.0, 2.0], &[2, 2])?;
    x.max_axis(0, false).sum().backward();
    // column 0: max 5 at row 1; column 1: tie 5 vs 2 → row 0
    assert_eq!(grad_of(&x)?, vec![0.0, 1.0, 1.0, 0.0]);
    Ok(())
}

#[test]
fn randn_and_rand_uniform_are_seeded_and_in_range() {
    let a = Tensor::randn(&[1000], 2.0, 0.5, &mut seeded_rng(1));
    let b = Tensor::randn(&[1000], 2.0, 0.5, &mut seeded_rng(1));
    assert_eq!(a.to_vec(), b.to_vec());
    let mean = a.mean().item();
    let std = a.var_axis(0, false).item().sqrt();
    assert!(
        (mean - 2.0).abs() < 0.05 && (std - 0.5).abs() < 0.05,
        "mean {mean}, std {std}"
    );
    let u = Tensor::rand_uniform(&[1000], -3.0, -1.0, &mut seeded_rng(2));
    assert!(u.to_vec().iter().all(|&v| (-3.0..-1.0).contains(&v)));
    assert!((u.mean().item() + 2.0).abs() < 0.1);
    assert_ne!(
        u.to_vec(),
        Tensor::rand_uniform(&[1000], -3.0, -1.0, &mut seeded_rng(3)).to_vec()
    );
}

// ---- autograd bookkeeping ----------------------------------------------------------------

#[test]
fn gradients_accumulate_across_backward_calls_until_zeroed() -> TestResult {
    let x = leaf(vec![1.0, 2.0, 3.0], &[3])?;
    // d Σx²/dx = 2x
    let loss = x.mul(&x).sum();
    loss.backward();
    assert_eq!(grad_of(&x)?, vec![2.0, 4.0, 6.0]);
    loss.backward();
    assert_eq!(grad_of(&x)?, vec![4.0, 8.0, 12.0]);
    x.zero_grad();
    assert!(x.grad().is_none());
    x.sum().backward();
    assert_eq!(grad_of(&x)?, vec![1.0, 1.0, 1.0]);
    Ok(())
}

#[test]
fn detach_stops_gradients() -> TestResult {
    let x = leaf(vec![1.0, 2.0], &[2])?;
    let y = leaf(vec![3.0, 4.0], &[2])?;
    // d(x · detach(x·y))/dx = x·y (the detached factor is a constant), and nothing reaches y
    let constant = x.mul(&y).detach();
    assert!(constant.is_leaf() && !constant.requires_grad());
    x.mul(&constant).sum().backward();
    assert_eq!(grad_of(&x)?, vec![3.0, 8.0]);
    assert!(y.grad().is_none());
    Ok(())
}

#[test]
fn inputs_that_do_not_require_grad_get_no_gradient() -> TestResult {
    let x = leaf(vec![1.0, 2.0], &[2])?;
    let data = Tensor::from_vec(vec![5.0, 6.0], &[2])?;
    let plain = data.mul_scalar(2.0);
    assert!(
        plain.is_leaf() && !plain.requires_grad(),
        "no graph without a grad-requiring input"
    );
    x.mul(&plain).sum().backward();
    assert_eq!(grad_of(&x)?, vec![10.0, 12.0]);
    assert!(data.grad().is_none() && plain.grad().is_none());
    Ok(())
}

#[test]
fn no_grad_records_nothing_and_nests() -> TestResult {
    let w = leaf(vec![1.0, 2.0], &[2])?;
    assert!(is_grad_enabled());
    {
        let _outer = no_grad();
        let y = w.mul(&w).sum();
        assert!(!y.requires_grad() && y.is_leaf());
        {
            let _inner = no_grad();
            assert!(!is_grad_enabled());
            {
                let _on = enable_grad();
                assert!(w.exp().requires_grad());
            }
            assert!(!is_grad_enabled());
        }
        assert!(
            !is_grad_enabled(),
            "the inner guard restores the outer state, not `true`"
        );
    }
    assert!(is_grad_enabled());
    assert!(w.mul(&w).requires_grad());
    Ok(())
}

#[test]
fn no_grad_is_restored_after_a_panic_inside_its_scope() {
    let result = std::panic::catch_unwind(|| {
        let _guard = no_grad();
        assert!(!is_grad_enabled());
        panic!("boom inside no_grad");
    });
    assert!(result.is_err());
    assert!(
        is_grad_enabled(),
        "the guard's drop during unwinding restores grad mode"
    );
}

#[test]
fn no_grad_is_per_thread() -> TestResult {
    let _guard = no_grad();
    let enabled_elsewhere = std::thread::spawn(is_grad_enabled)
        .join()
        .map_err(|_| "thread panicked")?;
    assert!(enabled_elsewhere);
    Ok(())
}

#[test]
fn a_deep_graph_neither_overflows_the_stack_in_backward_nor_on_drop() -> TestResult {
    let x = leaf(vec![0.0], &[1])?;
    let mut y = x.clone();
    for _ in 0..100_000 {
        y = y.add_scalar(1.0);
    }
    assert_eq!(y.item(), 100_000.0);
    y.sum().backward();
    assert_eq!(grad_of(&x)?, vec![1.0]);
    drop(y);
    Ok(())
}

#[test]
fn tensors_are_shared_across_threads_for_inference() -> TestResult {
    let w = Tensor::randn(&[4, 3], 0.0, 1.0, &mut seeded_rng(5));
    w.set_requires_grad(true);
    let x = Tensor::ones(&[2, 4]);
    let expected = x.matmul(&w).to_vec();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let _guard = no_grad();
                    x.matmul(&w).to_vec()
                })
            })
            .collect();
        handles
            .into_iter()
            .all(|h| h.join().is_ok_and(|v| v == expected))
    })
    .then_some(())
    .ok_or("a thread computed a different result")?;
    Ok(())
}

// ---- misuse panics name the op and the shapes --------------------------------------------

#[test]
#[should_panic(expected = "add: shapes [2, 3] and [3, 2] do not broadcast")]
fn add_of_non_broadcastable_shapes_panics_naming_both() {
    let _ = Tensor::zeros(&[2, 3]).add(&Tensor::zeros(&[3, 2]));
}

#[test]
#[should_panic(expected = "matmul: inner sizes differ (3 vs 4) for shapes [2, 3] and [4, 5]")]
fn matmul_of_mismatched_shapes_panics_naming_both() {
    let _ = Tensor::zeros(&[2, 3]).matmul(&Tensor::zeros(&[4, 5]));
}

#[test]
#[should_panic(
    expected = "backward: can only start from a one-element tensor (a loss), got shape [2]"
)]
fn backward_on_a_non_scalar_panics() {
    let x = Tensor::zeros(&[2]);
    x.set_requires_grad(true);
    x.mul_scalar(2.0).backward();
}

#[test]
#[should_panic(expected = "backward: this tensor does not require grad")]
fn backward_without_any_grad_requiring_input_panics() {
    Tensor::zeros(&[2]).sum().backward();
}

#[test]
#[should_panic(expected = "gather: index 4 is out of range for axis 1 of shape [2, 4]")]
fn gather_out_of_range_panics() {
    let _ = Tensor::zeros(&[2, 4]).gather(1, ndarray::arr2(&[[1], [4]]).into_dyn());
}

#[test]
fn max_splits_its_gradient_evenly_among_ties_as_pytorch() -> TestResult {
    // torch.tensor([1., 3., 3., 2.], requires_grad=True).max().backward() → [0, .5, .5, 0]
    let x = leaf(vec![1.0, 3.0, 3.0, 2.0], &[4])?;
    x.max().backward();
    assert_eq!(grad_of(&x)?, [0.0, 0.5, 0.5, 0.0]);
    Ok(())
}

#[test]
fn powf_zero_has_a_zero_gradient_even_at_zero() -> TestResult {
    // d(x⁰)/dx = 0; the general formula p·xᵖ⁻¹ would give 0·0⁻¹ = NaN at x = 0.
    let x = leaf(vec![0.0, 2.0], &[2])?;
    x.powf(0.0).sum().backward();
    assert_eq!(grad_of(&x)?, [0.0, 0.0]);
    Ok(())
}
