//! `Dropout`, PyTorch's `nn.Dropout`: zeroes elements with probability `p` in training mode,
//! scaling the rest by `1 / (1 - p)`; the identity in evaluation mode.

use std::sync::{Mutex, PoisonError};

use ndarray::ArrayD;
use rand::rngs::StdRng;
use rand::{Rng, RngExt};

use super::leaf_module;
use crate::module::Forward;
use crate::registry::{Build, Init};
use crate::tensor::{Tensor, seeded_rng};
use minitrainer_macros::{Config, model};

/// Randomly zeroes elements during training.
///
/// Seeded: the generator is created from the seed given to [`Dropout::new`], so runs repeat
/// exactly. It sits behind a `Mutex` so `forward(&self)` can advance it and the layer stays
/// `Send + Sync`.
///
/// # Shapes
/// Any shape; the output has the input's shape.
#[model(name = "dropout", config = DropoutConfig)]
pub struct Dropout {
    p: f32,
    rng: Mutex<StdRng>,
    training: bool,
}

impl Dropout {
    /// Dropout with probability `p`, masks drawn from a generator seeded with `seed`.
    ///
    /// # Panics
    /// When `p` is not in `[0, 1]` (as PyTorch refuses it).
    pub fn new(p: f32, seed: u64) -> Self {
        assert!(
            (0.0..=1.0).contains(&p),
            "Dropout: probability must be in [0, 1], got {p}"
        );
        Dropout {
            p,
            rng: Mutex::new(seeded_rng(seed)),
            training: true,
        }
    }

    /// The drop probability.
    pub fn p(&self) -> f32 {
        self.p
    }

    fn describe(&self) -> String {
        format!("p={:?}, inplace=false", self.p)
    }
}

leaf_module!(Dropout {
    params: [],
    buffers: []
});

impl Forward for Dropout {
    type Output = Tensor;

    fn forward(&self, input: Tensor) -> Tensor {
        if !self.training || self.p == 0.0 {
            return input;
        }
        let keep = 1.0 - self.p;
        // p = 1 drops everything; avoid the infinite scale.
        let scale = if keep > 0.0 { 1.0 / keep } else { 0.0 };
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let mask = ArrayD::from_shape_simple_fn(input.shape().to_vec(), || {
            if rng.random::<f32>() < keep {
                scale
            } else {
                0.0
            }
        });
        input.mul(&Tensor::from_array(mask))
    }
}

/// Config of [`Dropout`] (`"dropout"`).
#[derive(Config, Clone, Debug, PartialEq)]
pub struct DropoutConfig {
    /// Probability of zeroing an element in training mode.
    #[config(default = 0.5, range = 0.0..=1.0)]
    pub p: f32,
}

impl Build for Dropout {
    type Config = DropoutConfig;
    fn build(config: &DropoutConfig, init: &mut Init) -> Self {
        // The mask generator's seed comes from the init generator: reproducible per seed.
        Dropout::new(config.p, init.rng().next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;

    #[test]
    fn training_drops_about_p_and_scales_the_rest() {
        let dropout = Dropout::new(0.25, 7);
        let out = dropout.forward(Tensor::ones(&[4000])).to_vec();
        let kept = out.iter().filter(|&&v| v != 0.0).count() as f32 / 4000.0;
        assert!((kept - 0.75).abs() < 0.03, "kept {kept}");
        assert!(
            out.iter()
                .all(|&v| v == 0.0 || (v - 1.0 / 0.75).abs() < 1e-6)
        );
    }

    #[test]
    fn eval_is_identity_and_seeds_repeat() {
        let mut dropout = Dropout::new(0.5, 1);
        let x = Tensor::ones(&[64]);
        let a = dropout.forward(x.clone()).to_vec();
        let b = Dropout::new(0.5, 1).forward(x.clone()).to_vec();
        assert_eq!(a, b);
        assert_ne!(
            a,
            dropout.forward(x.clone()).to_vec(),
            "the generator advances"
        );
        dropout.eval();
        assert_eq!(dropout.forward(x.clone()).to_vec(), x.to_vec());
        assert_eq!(dropout.repr(), "Dropout(p=0.5, inplace=false)");
        // Floats print as PyTorch prints them: `p=0.0`, not `p=0`.
        assert_eq!(Dropout::new(0.0, 0).repr(), "Dropout(p=0.0, inplace=false)");
    }

    #[test]
    fn gradient_flows_through_kept_elements_only() {
        let dropout = Dropout::new(0.5, 3);
        let x = Tensor::ones(&[32]);
        x.set_requires_grad(true);
        let y = dropout.forward(x.clone());
        y.sum().backward();
        let grad = x
            .grad()
            .map(|g| g.iter().copied().collect::<Vec<_>>())
            .unwrap_or_default();
        // d(x·mask)/dx = mask
        assert_eq!(grad, y.to_vec());
    }
}
