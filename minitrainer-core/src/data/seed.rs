//! How the loader turns one seed into every random number it uses: order, weighted draws and
//! the generator handed to random transforms, each a pure function of its key.
//!
//! The key words (a domain tag, the seed, the epoch, ...) are folded through SplitMix64's
//! finaliser (`h = splitmix64(h ^ word)`, a bijection per step), and the 64-bit result seeds a
//! `ChaCha8Rng` with `seed_from_u64`. Nothing depends on a worker id, a thread or a global
//! generator, so numbers are the same for any number of workers and after a resume.
//! Rejected: ChaCha's stream number for the epoch (it keys on one word only, and sample
//! generators need four); `StdRng` (its algorithm may change between rand releases).

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};

/// Domain tags: the same (seed, epoch) gives independent numbers for each use.
pub(crate) const PERMUTATION: u64 = 1;
pub(crate) const WEIGHTED: u64 = 2;
const SAMPLE: u64 = 3;

/// SplitMix64's finaliser after its increment (Steele, Lea & Flood 2014).
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Mixes `words` into one 64-bit seed: `h = splitmix64(h ^ word)` from a fixed start.
///
/// # Examples
/// ```
/// use minitrainer_core::data::mix;
/// assert_eq!(mix(&[1, 2]), mix(&[1, 2]));
/// assert_ne!(mix(&[1, 2]), mix(&[2, 1]));
/// ```
pub fn mix(words: &[u64]) -> u64 {
    words
        .iter()
        .fold(0x6A09_E667_F3BC_C909, |h, &w| splitmix64(h ^ w))
}

/// The generator for one use (`domain`) of one epoch: `ChaCha8Rng::seed_from_u64(mix([domain,
/// seed, epoch]))`.
pub(crate) fn epoch_rng(domain: u64, seed: u64, epoch: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(&[domain, seed, epoch]))
}

/// The generator a random transform gets for one sample: a function of the loader's seed, the
/// epoch, the sample's index in the data set and its position in the epoch's order
/// (`ChaCha8Rng::seed_from_u64(mix([3, seed, epoch, index, position]))`).
///
/// The position makes a sample drawn twice in one epoch (a with-replacement sampler) get two
/// different draws; the index keeps shards (whose positions all start at 0) apart.
///
/// # Examples
/// ```
/// use minitrainer_core::data::sample_rng;
/// use rand::RngExt;
/// let a: u32 = sample_rng(7, 0, 12, 3).random();
/// let b: u32 = sample_rng(7, 0, 12, 3).random();
/// assert_eq!(a, b);
/// ```
pub fn sample_rng(seed: u64, epoch: u64, index: usize, position: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(&[SAMPLE, seed, epoch, index as u64, position as u64]))
}

/// A uniform integer in `0..n` (`n > 0`), unbiased (Lemire's multiply-and-reject), written
/// here rather than taken from rand so orders stay the same across rand releases.
pub(crate) fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let mut product = u128::from(rng.next_u64()) * u128::from(n);
    if (product as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (product as u64) < threshold {
            product = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (product >> 64) as u64
}

/// A uniform float in `[0, 1)` from the top 53 bits.
pub(crate) fn unit_f64(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_hits_every_value() {
        let mut rng = epoch_rng(PERMUTATION, 1, 2);
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            seen[below(&mut rng, 7) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| (800..1200).contains(&c)), "{seen:?}");
    }

    #[test]
    fn sample_rng_depends_on_every_key_word() {
        use rand::RngExt;
        let draw = |s, e, i, p| sample_rng(s, e, i, p).random::<u64>();
        let base = draw(1, 2, 3, 4);
        assert_eq!(base, draw(1, 2, 3, 4));
        for other in [
            draw(0, 2, 3, 4),
            draw(1, 0, 3, 4),
            draw(1, 2, 0, 4),
            draw(1, 2, 3, 0),
        ] {
            assert_ne!(base, other);
        }
    }
}
