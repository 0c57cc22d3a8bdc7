//! Element types of a safetensors file, converted to the `f32` that tensors hold.
//!
//! F32 is read as is; F64 is rounded to the nearest f32; F16 and BF16 widen exactly (every
//! half-precision value is an f32 value), by bit manipulation rather than a dependency.
//! Everything else (integers, bool, 8-bit and smaller floats) is refused by the caller.

use safetensors::Dtype;

/// Bytes per element of the dtypes we can read, or `None` for a dtype we refuse.
pub(crate) fn readable_width(dtype: Dtype) -> Option<usize> {
    match dtype {
        Dtype::F32 => Some(4),
        Dtype::F64 => Some(8),
        Dtype::F16 | Dtype::BF16 => Some(2),
        _ => None,
    }
}

/// Decodes little-endian `bytes` of a readable `dtype` into f32 values.
///
/// The caller has checked `readable_width(dtype)` and that `bytes.len()` is a multiple of it;
/// a trailing partial element would be ignored by `chunks_exact`, never read out of bounds.
pub(crate) fn decode_f32(dtype: Dtype, bytes: &[u8]) -> Vec<f32> {
    match dtype {
        Dtype::F64 => bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) as f32)
            .collect(),
        Dtype::F16 => bytes
            .chunks_exact(2)
            .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
            .collect(),
        Dtype::BF16 => bytes
            .chunks_exact(2)
            .map(|c| bf16_to_f32(u16::from_le_bytes([c[0], c[1]])))
            .collect(),
        _ => bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    }
}

/// bfloat16 is the upper half of an f32: same sign and exponent, 7 of the 23 mantissa bits.
pub(crate) fn bf16_to_f32(bits: u16) -> f32 {
    f32::from_bits(u32::from(bits) << 16)
}

/// IEEE 754 binary16 (1 sign, 5 exponent bits with bias 15, 10 mantissa bits) → binary32.
pub(crate) fn f16_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits >> 15) << 31;
    let exponent = u32::from((bits >> 10) & 0x1f);
    let mantissa = u32::from(bits & 0x3ff);
    let magnitude = match exponent {
        // Zero and subnormals: mantissa × 2^-24, exact in f32 (it has 8 more exponent bits).
        0 => (mantissa as f32 * f32::from_bits(0x3380_0000)).to_bits(), // 0x33800000 = 2^-24
        // Infinity and NaN: all-ones exponent; the mantissa keeps NaN payloads.
        0x1f => 0x7f80_0000 | (mantissa << 13),
        // Normal numbers: rebias the exponent (127 - 15 = 112), widen the mantissa.
        _ => ((exponent + 112) << 23) | (mantissa << 13),
    };
    f32::from_bits(sign | magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f16_conversion_matches_the_half_crate_for_every_bit_pattern() {
        for bits in 0..=u16::MAX {
            let ours = f16_to_f32(bits);
            let reference = half::f16::from_bits(bits).to_f32();
            if reference.is_nan() {
                assert!(ours.is_nan(), "bits {bits:#06x}");
            } else {
                assert_eq!(ours.to_bits(), reference.to_bits(), "bits {bits:#06x}");
            }
        }
    }

    #[test]
    fn bf16_conversion_matches_the_half_crate_for_every_bit_pattern() {
        for bits in 0..=u16::MAX {
            let ours = bf16_to_f32(bits);
            let reference = half::bf16::from_bits(bits).to_f32();
            if reference.is_nan() {
                assert!(ours.is_nan(), "bits {bits:#06x}");
            } else {
                assert_eq!(ours.to_bits(), reference.to_bits(), "bits {bits:#06x}");
            }
        }
    }

    #[test]
    fn decodes_little_endian_f64_and_f32() {
        let f64_bytes: Vec<u8> = [1.5f64, -0.25]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(decode_f32(Dtype::F64, &f64_bytes), vec![1.5, -0.25]);
        let f32_bytes: Vec<u8> = [3.0f32, 7.5].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(decode_f32(Dtype::F32, &f32_bytes), vec![3.0, 7.5]);
        assert_eq!(readable_width(Dtype::I64), None);
    }
}
