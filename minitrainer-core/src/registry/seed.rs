//! `Init`: where a freshly built model's random initialisation comes from.
//!
//! Building a model draws its initial weights from an explicit, seeded generator handed to
//! [`Build::build`](super::Build::build), never from a hidden global: the same config and seed
//! give the same weights, in any thread, whatever else ran before. Alternatives rejected: a
//! thread-local or global RNG (PyTorch's `torch.manual_seed`; hidden mutable state, order
//! dependent), and `&mut impl Rng` on `build` (a generic method cannot sit behind the registry's
//! plain `fn` pointers).

use rand::SeedableRng;
use rand::rngs::StdRng;

/// The seed [`load`](super::load) uses when none is given. Fixed, so that loading the same spec
/// twice gives the same model.
pub const DEFAULT_SEED: u64 = 0;

/// Initialisation context passed to [`Build::build`](super::Build::build): a seeded random
/// generator for the initial weights.
#[derive(Debug)]
pub struct Init {
    seed: u64,
    rng: StdRng,
}

impl Init {
    /// A context whose generator starts from `seed`.
    pub fn seeded(seed: u64) -> Self {
        Init {
            seed,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// The seed this context started from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The generator to draw initial weights from (pass it to the layer constructors).
    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }
}

impl Default for Init {
    /// Seeded with [`DEFAULT_SEED`].
    fn default() -> Self {
        Init::seeded(DEFAULT_SEED)
    }
}
