//! Property tests: broadcasting arithmetic over random shapes, against a naive elementwise
//! reference and finite differences.

use minitrainer_core::Tensor;
use minitrainer_core::tensor::seeded_rng;
use ndarray::{Dimension, IxDyn};
use proptest::prelude::*;

use super::gradcheck::{Domain, TensorFn, check_gradients, sample};

/// A base shape and two operand shapes that broadcast to it: each operand drops some leading
/// axes and squeezes some of the rest to 1.
fn broadcast_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, Vec<usize>)> {
    proptest::collection::vec(1usize..=4, 0..=3).prop_flat_map(|base| {
        let n = base.len();
        let operand = (0..=n, proptest::collection::vec(any::<bool>(), n)).prop_map({
            let base = base.clone();
            move |(drop, ones)| {
                (drop..n)
                    .map(|i| if ones[i] { 1 } else { base[i] })
                    .collect::<Vec<usize>>()
            }
        });
        (Just(base), operand.clone(), operand)
    })
}

/// The element of an operand of shape `shape` that broadcasting pairs with output `index`.
fn broadcast_index(index: &[usize], shape: &[usize]) -> Vec<usize> {
    let skipped = index.len() - shape.len();
    shape
        .iter()
        .zip(&index[skipped..])
        .map(|(&size, &i)| if size == 1 { 0 } else { i })
        .collect()
}

/// The same op on one pair of f32 values.
type ScalarFn = fn(f32, f32) -> f32;

const BINARY_OPS: [(&str, TensorFn, ScalarFn); 4] = [
    ("add", |t| t[0].add(&t[1]), |x, y| x + y),
    ("sub", |t| t[0].sub(&t[1]), |x, y| x - y),
    ("mul", |t| t[0].mul(&t[1]), |x, y| x * y),
    ("div", |t| t[0].div(&t[1]), |x, y| x / y),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn broadcasting_ops_match_a_naive_reference_and_finite_differences(
        (_base, shape_a, shape_b) in broadcast_pair(),
        seed in any::<u64>(),
    ) {
        let mut rng = seeded_rng(seed);
        let a = sample(&mut rng, &shape_a, Domain::Any, false);
        // Divisors stay away from 0 so that the finite differences are meaningful.
        let b = sample(&mut rng, &shape_b, Domain::Positive, false);
        let out_shape = Tensor::zeros(&shape_a).add(&Tensor::zeros(&shape_b)).shape().to_vec();
        for (name, f, reference) in BINARY_OPS {
            let out = f(&[Tensor::from_array(a.clone()), Tensor::from_array(b.clone())]);
            prop_assert_eq!(out.shape(), &out_shape[..], "{} shape", name);
            let out = out.to_array();
            for (index, &value) in out.indexed_iter() {
                let index = index.slice().to_vec();
                let expected = reference(
                    a[IxDyn(&broadcast_index(&index, &shape_a))],
                    b[IxDyn(&broadcast_index(&index, &shape_b))],
                );
                prop_assert_eq!(value, expected, "{} at {:?}", name, index);
            }
            let checked = check_gradients(f, vec![a.clone(), b.clone()], &mut rng);
            prop_assert!(checked.is_ok(), "{} {:?} {:?}: {:?}", name, shape_a, shape_b, checked);
        }
    }
}
