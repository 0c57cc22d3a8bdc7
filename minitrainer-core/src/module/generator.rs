//! `Generator`: a random generator that is part of a module's state, like a parameter, so a
//! training run that is saved and resumed draws the same random numbers as one that never
//! stopped (dropout masks today; any random layer tomorrow).
//!
//! It is ChaCha8, a counter-based generator: its whole state is the key (a 32-byte seed), a
//! stream number and the position in the stream, so [`Generator::state`] captures it exactly
//! and [`Generator::set_state`] puts it back, without replaying draws. Modules report their
//! generators to the visitor, so [`Module::generator_states`](super::Module::generator_states)
//! collects them by dotted path (`encoder.drop.rng`) and
//! [`Module::load_generator_states`](super::Module::load_generator_states) restores them.
//!
//! Alternatives rejected: a generator in the state dict as a tensor (PyTorch state dicts have no
//! such entry, so strict loading of PyTorch checkpoints would break, and a 128-bit position does
//! not fit in f32); a thread-local or global generator (`torch.manual_seed`: hidden state whose
//! draws depend on what ran before); `StdRng` (its state can't be read back).

use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// A seeded random generator held by a module; `forward(&self)` can draw from it (it sits
/// behind a `Mutex`, so the module stays `Send + Sync`).
#[derive(Debug)]
pub struct Generator {
    rng: Mutex<ChaCha8Rng>,
}

impl Generator {
    /// A generator whose stream is fixed by `seed`.
    pub fn seeded(seed: u64) -> Self {
        Generator {
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
        }
    }

    /// Runs `f` with the generator (locked for the duration).
    pub fn with_rng<R>(&self, f: impl FnOnce(&mut ChaCha8Rng) -> R) -> R {
        f(&mut self.lock())
    }

    /// The generator's exact state: where the next draw comes from.
    pub fn state(&self) -> GeneratorState {
        let rng = self.lock();
        GeneratorState {
            seed: rng.get_seed(),
            stream: rng.get_stream(),
            word_pos: rng.get_word_pos(),
        }
    }

    /// Moves the generator to `state`: its next draws are those that followed when `state` was
    /// captured.
    pub fn set_state(&self, state: &GeneratorState) {
        let mut rng = ChaCha8Rng::from_seed(state.seed);
        rng.set_stream(state.stream);
        rng.set_word_pos(state.word_pos);
        *self.lock() = rng;
    }

    fn lock(&self) -> MutexGuard<'_, ChaCha8Rng> {
        // A panic while drawing leaves a valid generator behind.
        self.rng.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clone for Generator {
    /// An independent generator at the same state (it draws the same numbers next).
    fn clone(&self) -> Self {
        let clone = Generator::seeded(0);
        clone.set_state(&self.state());
        clone
    }
}

/// The exact state of a [`Generator`]. Its text form (`Display` / `FromStr`) is
/// `<64 hex digits of seed>:<stream>:<position>`, for checkpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneratorState {
    seed: [u8; 32],
    stream: u64,
    word_pos: u128,
}

impl fmt::Display for GeneratorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.seed {
            write!(f, "{byte:02x}")?;
        }
        write!(f, ":{}:{}", self.stream, self.word_pos)
    }
}

/// A generator state's text was malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed generator state \"{text}\": expected <64 hex digits>:<stream>:<position>")]
pub struct ParseGeneratorStateError {
    /// The text given.
    pub text: String,
}

impl FromStr for GeneratorState {
    type Err = ParseGeneratorStateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || ParseGeneratorStateError {
            text: text.to_string(),
        };
        let mut parts = text.split(':');
        let (Some(hex), Some(stream), Some(word_pos), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(error());
        };
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(error());
        }
        let mut seed = [0u8; 32];
        for (byte, pair) in seed.iter_mut().zip(hex.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| error())?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| error())?;
        }
        Ok(GeneratorState {
            seed,
            stream: stream.parse().map_err(|_| error())?,
            word_pos: word_pos.parse().map_err(|_| error())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    fn draws(generator: &Generator, n: usize) -> Vec<u32> {
        generator.with_rng(|rng| (0..n).map(|_| rng.random::<u32>()).collect())
    }

    #[test]
    fn restored_state_repeats_the_following_draws() {
        let generator = Generator::seeded(7);
        draws(&generator, 5);
        let state = generator.state();
        let next = draws(&generator, 10);
        let other = Generator::seeded(99);
        other.set_state(&state);
        assert_eq!(draws(&other, 10), next);
    }

    #[test]
    fn state_text_round_trips_and_rejects_garbage() -> Result<(), ParseGeneratorStateError> {
        let generator = Generator::seeded(3);
        draws(&generator, 3);
        let state = generator.state();
        assert_eq!(state.to_string().parse::<GeneratorState>()?, state);
        for bad in ["", "ab:1:2", &format!("{}:x:1", "0".repeat(64)), "zz:1:2:3"] {
            assert!(bad.parse::<GeneratorState>().is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn clone_is_independent_at_the_same_state() {
        let generator = Generator::seeded(1);
        let clone = generator.clone();
        assert_eq!(draws(&generator, 4), draws(&clone, 4));
        draws(&generator, 1);
        assert_ne!(generator.state(), clone.state());
    }
}
