//! `Init`: the one seeded source of randomness a model is built from.
//!
//! # The RNG story
//! Every random number in a run derives from one seed, and every generator's state can be
//! captured and restored:
//! - initial weights are drawn from `Init`'s generator, handed to
//!   [`Build::build`](super::Build::build), never from a hidden global: the same config and
//!   seed give the same weights, in any thread, whatever else ran before;
//! - a module that draws while it runs (dropout) holds a [`Generator`] seeded from `Init`
//!   ([`Init::generator`]); its state is part of the module's state
//!   ([`Module::generator_states`](crate::module::Module::generator_states)), saved with a
//!   checkpoint, so a resumed run continues the same stream;
//! - shuffling and data-loader workers (the `data` layer) derive their generators from the run's
//!   seed and the epoch, so a data order is a function of the seed alone.
//!
//! Alternatives rejected: a thread-local or global RNG (PyTorch's `torch.manual_seed`; hidden
//! mutable state, order dependent), and `&mut impl Rng` on `build` (a generic method cannot sit
//! behind the registry's plain `fn` pointers).

use ndarray::ArrayD;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::module::Generator;
use crate::tensor::{TensorError, try_filled};

/// The seed [`load`](crate::registry::load) uses when none is given. Fixed, so that loading
/// the same spec twice gives the same model.
pub const DEFAULT_SEED: u64 = 0;

/// Initialisation context passed to [`Build::build`](super::Build::build): a seeded random
/// generator for the initial weights and for the seeds of module-held generators.
///
/// Parameters are allocated through it ([`initializers`](super::initializers)), fallibly: a
/// weight too large for memory panics naming it when `build` is called directly, and is
/// returned as an error by [`Build::try_build`](super::Build::try_build) and the registry.
#[derive(Debug)]
pub struct Init {
    seed: u64,
    rng: StdRng,
    /// Inside [`Init::fallibly`]: allocation failures are recorded, not panicked on.
    fallible: bool,
    /// The first allocation failure of a fallible build.
    failure: Option<TensorError>,
}

impl Init {
    /// A context whose generator starts from `seed`.
    pub fn seeded(seed: u64) -> Self {
        Init {
            seed,
            rng: StdRng::seed_from_u64(seed),
            fallible: false,
            failure: None,
        }
    }

    /// The seed this context started from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The generator initial weights are drawn from (the [`initializers`](super::initializers)
    /// take it).
    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }

    /// A new [`Generator`] for a module that draws while it runs (dropout), seeded from this
    /// context's stream: each call gives a different, reproducible generator.
    pub fn generator(&mut self) -> Generator {
        Generator::seeded(self.rng.next_u64())
    }
}

impl Init {
    /// Runs `build` with allocation failures recorded instead of panicked on; the first one is
    /// returned as the error (the half-built value, holding empty tensors, is dropped).
    pub(crate) fn fallibly<T>(
        &mut self,
        build: impl FnOnce(&mut Init) -> T,
    ) -> Result<T, TensorError> {
        let outer = std::mem::replace(&mut self.fallible, true);
        let built = build(self);
        self.fallible = outer;
        match self.failure.take() {
            Some(failure) => Err(failure),
            None => Ok(built),
        }
    }

    /// The array behind [`initializers::filled`](super::initializers::filled): allocated
    /// fallibly; after a failure in a fallible build, an empty array of the same rank (nothing
    /// more is allocated: the build is abandoned).
    pub(super) fn filled(
        &mut self,
        what: &str,
        shape: &[usize],
        mut fill: impl FnMut(&mut StdRng) -> f32,
    ) -> ArrayD<f32> {
        let empty = || ArrayD::zeros(vec![0; shape.len()]);
        if self.failure.is_some() {
            return empty();
        }
        let rng = &mut self.rng;
        match try_filled(shape, what, || fill(rng)) {
            Ok(array) => array,
            Err(error) if self.fallible => {
                self.failure = Some(error);
                empty()
            }
            Err(error) => panic!("{error}; build through `try_build` to get it as an error"),
        }
    }
}

impl Default for Init {
    /// Seeded with [`DEFAULT_SEED`].
    fn default() -> Self {
        Init::seeded(DEFAULT_SEED)
    }
}
