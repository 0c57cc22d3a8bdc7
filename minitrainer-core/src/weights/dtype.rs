//! Element types of a safetensors file, converted to the `f32` that tensors hold.
//!
//! F32 is read as is; F64 is rounded to the nearest f32; F16 and BF16 widen exactly (every
//! half-precision value is an f32 value), by bit manipulation rather than a dependency.
//! Integers (I8, I16, I32, I64, U8, U16, U32, U64) are converted to the nearest f32: exact up
//! to 2^24 in magnitude (every 8- and 16-bit value), rounded beyond. PyTorch stores integer
//! state such as BatchNorm's `num_batches_tracked` as I64, which is why they are read at all.
//! BOOL is 0.0 or 1.0 (any non-zero byte is true, as in NumPy and PyTorch).
//! Everything else (complex, 8-bit and smaller floats) is refused by the caller.

use safetensors::Dtype;

/// Bytes per element of the dtypes we can read, or `None` for a dtype we refuse.
pub(crate) fn readable_width(dtype: Dtype) -> Option<usize> {
    match dtype {
        Dtype::BOOL | Dtype::I8 | Dtype::U8 => Some(1),
        Dtype::F16 | Dtype::BF16 | Dtype::I16 | Dtype::U16 => Some(2),
        Dtype::F32 | Dtype::I32 | Dtype::U32 => Some(4),
        Dtype::F64 | Dtype::I64 | Dtype::U64 => Some(8),
        _ => None,
    }
}

/// Decodes little-endian `bytes` of a readable `dtype` into f32 values.
///
/// The caller has checked `readable_width(dtype)` and that `bytes.len()` is a multiple of it;
/// a trailing partial element would be ignored by `chunks_exact`, never read out of bounds.
/// A dtype `readable_width` refuses decodes to nothing rather than to garbage.
pub(crate) fn decode_f32(dtype: Dtype, bytes: &[u8]) -> Vec<f32> {
    // `as f32` on an integer rounds to the nearest f32 (ties to even): exact up to 2^24.
    match dtype {
        Dtype::F32 => each::<4>(bytes, f32::from_le_bytes),
        Dtype::F64 => each::<8>(bytes, |b| f64::from_le_bytes(b) as f32),
        Dtype::F16 => each::<2>(bytes, |b| f16_to_f32(u16::from_le_bytes(b))),
        Dtype::BF16 => each::<2>(bytes, |b| bf16_to_f32(u16::from_le_bytes(b))),
        Dtype::BOOL => each::<1>(bytes, |[b]| if b == 0 { 0.0 } else { 1.0 }),
        Dtype::I8 => each::<1>(bytes, |b| f32::from(i8::from_le_bytes(b))),
        Dtype::U8 => each::<1>(bytes, |[b]| f32::from(b)),
        Dtype::I16 => each::<2>(bytes, |b| f32::from(i16::from_le_bytes(b))),
        Dtype::U16 => each::<2>(bytes, |b| f32::from(u16::from_le_bytes(b))),
        Dtype::I32 => each::<4>(bytes, |b| i32::from_le_bytes(b) as f32),
        Dtype::U32 => each::<4>(bytes, |b| u32::from_le_bytes(b) as f32),
        Dtype::I64 => each::<8>(bytes, |b| i64::from_le_bytes(b) as f32),
        Dtype::U64 => each::<8>(bytes, |b| u64::from_le_bytes(b) as f32),
        _ => Vec::new(),
    }
}

/// Applies `convert` to each `N`-byte element of `bytes`.
fn each<const N: usize>(bytes: &[u8], convert: impl Fn([u8; N]) -> f32) -> Vec<f32> {
    bytes
        .as_chunks::<N>()
        .0
        .iter()
        .map(|chunk| convert(*chunk))
        .collect()
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
        assert_eq!(readable_width(Dtype::F8_E4M3), None);
    }

    #[test]
    fn integers_are_exact_up_to_two_to_the_24_and_rounded_beyond() {
        let i32_bytes: Vec<u8> = [1i32 << 24, (1 << 24) + 1, -(1 << 24) - 1]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            decode_f32(Dtype::I32, &i32_bytes),
            vec![16777216.0, 16777216.0, -16777216.0]
        );
        assert_eq!(
            decode_f32(Dtype::U8, &[0, 200, 255]),
            vec![0.0, 200.0, 255.0]
        );
        assert_eq!(decode_f32(Dtype::BOOL, &[0, 1, 7]), vec![0.0, 1.0, 1.0]);
    }

    #[test]
    fn a_trailing_partial_element_is_never_read() {
        assert_eq!(
            decode_f32(Dtype::I64, &[1, 0, 0, 0, 0, 0, 0, 0, 9]),
            vec![1.0]
        );
        assert_eq!(decode_f32(Dtype::U16, &[1]), Vec::<f32>::new());
        assert_eq!(decode_f32(Dtype::C64, &[0; 8]), Vec::<f32>::new());
    }
}
