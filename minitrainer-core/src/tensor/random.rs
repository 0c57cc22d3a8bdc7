//! Random creation from a caller-supplied generator, so that runs are reproducible: pass
//! [`seeded_rng`] (or any `rand::Rng`) and the same seed gives the same tensors.

use ndarray::ArrayD;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal, Uniform};

use super::Tensor;

/// A deterministic generator from `seed` (rand's `StdRng`), for reproducible initialisation
/// and shuffling.
///
/// # Examples
/// ```
/// use minitrainer_core::Tensor;
/// use minitrainer_core::tensor::seeded_rng;
/// let a = Tensor::randn(&[2, 3], 0.0, 1.0, &mut seeded_rng(7));
/// let b = Tensor::randn(&[2, 3], 0.0, 1.0, &mut seeded_rng(7));
/// assert_eq!(a.to_vec(), b.to_vec());
/// ```
pub fn seeded_rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

impl Tensor {
    /// A leaf tensor of values drawn from the normal distribution `N(mean, std²)`.
    ///
    /// # Panics
    /// When `std` is negative or not finite (a programming error, like a bad shape), or when
    /// the shape has more elements than can be allocated (as [`Tensor::zeros`]).
    pub fn randn<R: Rng + ?Sized>(shape: &[usize], mean: f32, std: f32, rng: &mut R) -> Tensor {
        let normal = Normal::new(mean, std).unwrap_or_else(|e| {
            panic!("randn: invalid normal distribution (mean {mean}, std {std}): {e}")
        });
        Self::sampled(shape, &normal, rng)
    }

    /// A leaf tensor of values drawn uniformly from `[low, high)`.
    ///
    /// # Panics
    /// When `low >= high` or either is not finite, or when the shape has more elements than
    /// can be allocated (as [`Tensor::zeros`]).
    pub fn rand_uniform<R: Rng + ?Sized>(
        shape: &[usize],
        low: f32,
        high: f32,
        rng: &mut R,
    ) -> Tensor {
        let uniform = Uniform::new(low, high)
            .unwrap_or_else(|e| panic!("rand_uniform: invalid range [{low}, {high}): {e}"));
        Self::sampled(shape, &uniform, rng)
    }

    fn sampled<R: Rng + ?Sized>(
        shape: &[usize],
        dist: &impl Distribution<f32>,
        rng: &mut R,
    ) -> Tensor {
        let values = ArrayD::from_shape_simple_fn(shape.to_vec(), || dist.sample(rng));
        Tensor::from_array(values)
    }
}
