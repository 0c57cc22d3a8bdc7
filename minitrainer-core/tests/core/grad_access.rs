//! The gradient accessors: `with_grad` borrows what `grad` copies, and `update_with_grad`
//! does an optimizer step in place, with the same numbers as the copying path.

use minitrainer_core::Tensor;
use minitrainer_core::module::Param;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn leaf(values: Vec<f32>) -> Result<Tensor, Box<dyn std::error::Error>> {
    let n = values.len();
    let t = Tensor::from_vec(values, &[n])?;
    t.set_requires_grad(true);
    Ok(t)
}

/// `with_grad`'s gradient, copied out for comparison.
fn borrowed(t: &Tensor) -> Option<Vec<f32>> {
    t.with_grad(|g| g.map(|g| g.iter().copied().collect()))
}

#[test]
fn with_grad_sees_the_accumulated_gradient() -> TestResult {
    let w = leaf(vec![1.0, -2.0, 3.0])?;
    assert_eq!(borrowed(&w), None);
    // d Σw²/dw = 2w, twice: 4w
    w.mul(&w).sum().backward();
    w.mul(&w).sum().backward();
    assert_eq!(borrowed(&w), Some(vec![4.0, -8.0, 12.0]));
    assert_eq!(borrowed(&w), w.grad().map(|g| g.iter().copied().collect()));
    w.zero_grad();
    assert_eq!(borrowed(&w), None);
    assert!(w.grad().is_none());
    Ok(())
}

#[test]
fn with_grad_borrows_the_stored_gradient_and_grad_copies_it() -> TestResult {
    let w = leaf(vec![1.0, 2.0])?;
    w.sum().backward();
    let first = w.with_grad(|g| g.map(|g| g.as_ptr()));
    let second = w.with_grad(|g| g.map(|g| g.as_ptr()));
    assert!(first.is_some());
    assert_eq!(first, second, "the same storage on every call: no copy");
    let copy = w.grad().ok_or("no gradient")?;
    assert_ne!(Some(copy.as_ptr()), first, "grad() still returns a copy");
    Ok(())
}

#[test]
fn update_with_grad_matches_the_copying_sgd_step_exactly() -> TestResult {
    let lr = 0.1;
    let (a, b) = (leaf(vec![0.3, -1.7, 2.9])?, leaf(vec![0.3, -1.7, 2.9])?);
    for w in [&a, &b] {
        w.mul(w).mul_scalar(0.7).sum().backward(); // grad = 1.4w
    }
    // SGD: w ← w - lr·grad, once through a copy of the gradient, once in place.
    let grad = a.grad().ok_or("no gradient")?;
    a.update_data(|value| value.scaled_add(-lr, &grad));
    b.update_with_grad(|value, grad| {
        if let Some(grad) = grad {
            value.scaled_add(-lr, grad);
        }
    });
    assert_eq!(a.to_vec(), b.to_vec());
    // The gradient is read, not consumed or changed.
    assert_eq!(b.grad(), Some(grad));
    Ok(())
}

#[test]
fn update_with_grad_without_a_gradient_passes_none() -> TestResult {
    let w = leaf(vec![1.0, 2.0])?;
    w.update_with_grad(|value, grad| {
        assert!(grad.is_none());
        value.fill(0.5);
    });
    assert_eq!(w.to_vec(), vec![0.5, 0.5]);
    Ok(())
}

#[test]
fn a_param_steps_in_place_through_its_tensor() -> TestResult {
    let p = Param::from_array(ndarray::arr1(&[1.0_f32, 2.0]));
    p.mul_scalar(3.0).sum().backward(); // d Σ3p/dp = 3
    p.update_with_grad(|value, grad| {
        if let Some(grad) = grad {
            value.scaled_add(-0.5, grad);
        }
    });
    assert_eq!(p.to_vec(), vec![-0.5, 0.5]);
    Ok(())
}

#[test]
#[should_panic(expected = "update_with_grad: the update changed the shape from [2] to [3]")]
fn update_with_grad_refuses_a_shape_change() {
    let w = Tensor::zeros(&[2]);
    w.update_with_grad(|value, _| *value = ndarray::ArrayD::zeros(vec![3]));
}

#[test]
fn update_grad_rewrites_the_stored_gradient_in_place() -> TestResult {
    let w = leaf(vec![1.0, -2.0])?;
    assert!(!w.update_grad(|_| panic!("no gradient yet")));
    w.mul(&w).sum().backward(); // grad = 2w = [2, -4]
    assert!(w.update_grad(|g| g.mapv_inplace(|x| x * 0.5)));
    assert_eq!(borrowed(&w), Some(vec![1.0, -2.0]));
    Ok(())
}

/// The address of the stored gradient's buffer.
fn buffer(t: &Tensor) -> Option<*const f32> {
    t.with_grad(|g| g.map(|g| g.as_ptr()))
}

#[test]
fn a_cleared_gradient_buffer_is_reused_and_its_stale_values_never_show() -> TestResult {
    let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2])?;
    let w = Tensor::from_vec(vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0], &[3, 2])?;
    w.set_requires_grad(true);
    let b = leaf(vec![0.5, 0.0, -0.5])?;
    let r = Tensor::from_vec(vec![1.0, -2.0, 3.0, 0.5, 0.25, -1.0], &[2, 3])?;
    // Both weight-gradient paths: the fused linear op and `matmul_t` plus a broadcast add.
    let steps: [fn(&Tensor, &Tensor, &Tensor) -> Tensor; 2] = [
        |x, w, b| x.linear(w, Some(b)),
        |x, w, b| x.matmul_t(w).add(b),
    ];
    for step in steps {
        w.zero_grad();
        b.zero_grad();
        step(&x, &w, &b).mul(&r).sum().backward();
        let first = (w.grad(), b.grad());
        let addresses = (buffer(&w), buffer(&b));
        for _ in 0..2 {
            // Poison the buffers: a kernel reading them would show NaN in the next gradient.
            w.update_grad(|g| g.fill(f32::NAN));
            b.update_grad(|g| g.fill(f32::INFINITY));
            w.zero_grad();
            b.zero_grad();
            assert!(w.grad().is_none() && b.grad().is_none());
            step(&x, &w, &b).mul(&r).sum().backward();
            assert_eq!((w.grad(), b.grad()), first);
        }
        assert_eq!(buffer(&w), addresses.0, "the weight's buffer is reused");
    }
    // Without clearing, gradients still accumulate.
    x.linear(&w, Some(&b)).mul(&r).sum().backward();
    let twice: Vec<f32> = w.grad().ok_or("grad")?.iter().copied().collect();
    x.linear(&w, Some(&b)).mul(&r).sum().backward();
    let thrice: Vec<f32> = w.grad().ok_or("grad")?.iter().copied().collect();
    for (t2, t3) in twice.iter().zip(&thrice) {
        assert_eq!(t3 - t2, t2 / 2.0);
    }
    Ok(())
}
