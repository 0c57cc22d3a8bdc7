//! `Dropout`, PyTorch's `nn.Dropout`: zeroes elements with probability `p` in training mode,
//! scaling the rest by `1 / (1 - p)`; the identity in evaluation mode.

use ndarray::ArrayD;
use rand::RngExt;

use super::leaf_module;
use crate::build::{Build, Init};
use crate::module::{Forward, Generator};
use crate::tensor::Tensor;
use minitrainer_macros::Config;

/// Randomly zeroes elements during training.
///
/// Its masks come from a [`Generator`] seeded from the [`Init`] it was built with, so runs
/// repeat exactly; the generator's state is part of the module's state
/// ([`generator_states`](crate::module::Module::generator_states), path `<layer>.rng`), so a
/// resumed run draws the masks an uninterrupted one would have.
///
/// # Shapes
/// Any shape; the output has the input's shape.
///
/// # Examples
/// ```
/// # use minitrainer_core as minitrainer;
/// use minitrainer::build::{Build, Init};
/// use minitrainer::nn::{Dropout, DropoutConfig};
/// let dropout = Dropout::try_build(&DropoutConfig { p: 0.1 }, &mut Init::seeded(0))?;
/// assert_eq!(dropout.p(), 0.1);
/// # Ok::<(), minitrainer::Error>(())
/// ```
pub struct Dropout {
    p: f32,
    rng: Generator,
    training: bool,
}

impl Dropout {
    /// Dropout with probability `p`, masks drawn from a generator seeded with `seed`.
    ///
    /// # Panics
    /// When `p` is not in `[0, 1]`.
    #[deprecated(
        since = "0.2.0",
        note = "build from the config, which reports a bad `p` as an error: \
                `Dropout::try_build(&DropoutConfig { p }, &mut init)?`"
    )]
    pub fn new(p: f32, seed: u64) -> Self {
        Dropout::build(&DropoutConfig { p }, &mut Init::seeded(seed))
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
    buffers: [],
    generators: [rng]
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
        let mask = self.rng.with_rng(|rng| {
            ArrayD::from_shape_simple_fn(input.shape().to_vec(), || {
                if rng.random::<f32>() < keep {
                    scale
                } else {
                    0.0
                }
            })
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

#[diagnostic::do_not_recommend]
impl Build for Dropout {
    type Config = DropoutConfig;
    /// # Panics
    /// When `p` is not in `[0, 1]` (an unvalidated config; [`Build::try_build`] reports it).
    fn build(config: &DropoutConfig, init: &mut Init) -> Self {
        assert!(
            (0.0..=1.0).contains(&config.p),
            "DropoutConfig: p must be in 0.0..=1.0, got {}; validate the config \
             (`Dropout::try_build`) before building",
            config.p
        );
        Dropout {
            p: config.p,
            // Seeded from the init generator: reproducible per seed.
            rng: init.generator(),
            training: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;

    fn new_dropout(p: f32, seed: u64) -> Dropout {
        Dropout::build(&DropoutConfig { p }, &mut Init::seeded(seed))
    }

    #[test]
    fn training_drops_about_p_and_scales_the_rest() {
        let dropout = new_dropout(0.25, 7);
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
        let mut dropout = new_dropout(0.5, 1);
        let x = Tensor::ones(&[64]);
        let a = dropout.forward(x.clone()).to_vec();
        let b = new_dropout(0.5, 1).forward(x.clone()).to_vec();
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
        assert_eq!(new_dropout(0.0, 0).repr(), "Dropout(p=0.0, inplace=false)");
    }

    #[test]
    fn gradient_flows_through_kept_elements_only() {
        let dropout = new_dropout(0.5, 3);
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

#[cfg(test)]
mod generator_tests {
    use super::*;
    use crate::module::Module;

    #[test]
    fn restoring_the_generator_state_repeats_the_masks() -> crate::Result<()> {
        let dropout = Dropout::build(&DropoutConfig { p: 0.5 }, &mut Init::seeded(4));
        let x = Tensor::ones(&[256]);
        dropout.forward(x.clone());
        let states = dropout.generator_states();
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].0, "rng");
        let next = dropout.forward(x.clone()).to_vec();
        let resumed = Dropout::build(&DropoutConfig { p: 0.5 }, &mut Init::seeded(99));
        resumed.load_generator_states(&states)?;
        assert_eq!(resumed.forward(x).to_vec(), next);
        Ok(())
    }

    #[test]
    fn try_build_reports_a_bad_p_and_build_panics_naming_it() {
        let error = Dropout::try_build(&DropoutConfig { p: -0.5 }, &mut Init::seeded(0))
            .err()
            .map(|e| e.to_string());
        assert_eq!(error.as_deref(), Some("p: must be in 0.0..=1.0, got -0.5"));
        let panic = std::panic::catch_unwind(|| {
            Dropout::build(&DropoutConfig { p: 2.0 }, &mut Init::seeded(0))
        });
        let message = panic
            .err()
            .and_then(|payload| payload.downcast::<String>().ok())
            .map(|message| *message)
            .unwrap_or_default();
        assert!(
            message.contains("p must be in 0.0..=1.0, got 2"),
            "{message}"
        );
    }
}
