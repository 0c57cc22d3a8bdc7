// `ConfigValue` for the integer types, `f32` and `f64`.
//
// Integers: JSON numbers without a fraction, range-checked against the Rust type (300 is a
// type error for a `u8`, reported as one). `u128`/`i128` beyond 64 bits don't fit serde_json's
// `Number`, so they are written as decimal strings and read back from either form.
//
// Floats: exact round trip. serde_json (with `float_roundtrip`) reads and writes f64 exactly.
// An f32 is written as its shortest decimal (`0.1`, not `0.10000000149011612`, which is what
// widening to f64 first would print), so config files stay readable; reading picks the f32
// whose shortest decimal reads as the same f64, which is the written f32 by construction (see
// `f32_from_f64`).
//
// Non-finite floats have no JSON form: a config holding one does not validate (`finite`, a
// rule of every float field, checked in `validate_nested` so it reaches floats inside `Vec`,
// `Option` and nested configs), so every validated config round-trips. `encode` of such a
// value still writes `null` (for `to_value` of an invalid config), which reads back as a type
// error rather than silently as some number; `Display` writes `inf` / `NaN`.

use std::fmt;

use serde_json::{Number, Value};

use super::ConfigValue;
use crate::config::Violations;
use crate::config::json_schema::JsonSchemaDefs;
use crate::config::path::FieldPath;

macro_rules! small_int {
    ($($ty:ty),*) => {$(
        impl ConfigValue for $ty {
            fn type_name() -> String {
                stringify!($ty).to_owned()
            }

            fn encode(&self) -> Value {
                Value::from(*self)
            }

            fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
                let decoded = match &value {
                    Value::Number(n) => int_from_number(n),
                    _ => None,
                };
                if decoded.is_none() {
                    errors.wrong_type(path, Self::type_name(), &value);
                }
                decoded
            }

            fn json_schema(_defs: &mut JsonSchemaDefs) -> Value {
                int_schema(<$ty>::MIN as i128, <$ty>::MAX as i128, 32 >= <$ty>::BITS)
            }
        }
    )*};
}

macro_rules! wide_int {
    ($($ty:ty),*) => {$(
        impl ConfigValue for $ty {
            fn type_name() -> String {
                stringify!($ty).to_owned()
            }

            fn encode(&self) -> Value {
                if let Ok(v) = i64::try_from(*self) {
                    Value::from(v)
                } else if let Ok(v) = u64::try_from(*self) {
                    Value::from(v)
                } else {
                    Value::String(self.to_string())
                }
            }

            fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
                let decoded = match &value {
                    Value::Number(n) => int_from_number(n),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                };
                if decoded.is_none() {
                    errors.wrong_type(path, Self::type_name(), &value);
                }
                decoded
            }

            fn json_schema(_defs: &mut JsonSchemaDefs) -> Value {
                let min = i128::try_from(<$ty>::MIN).unwrap_or(i128::MIN);
                int_schema(min, i128::MAX, false)
            }
        }
    )*};
}

small_int!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);
wide_int!(u128, i128);

/// An integer JSON number converted to `T`, `None` if it has a fraction or does not fit.
fn int_from_number<T: TryFrom<u64> + TryFrom<i64>>(n: &Number) -> Option<T> {
    if let Some(u) = n.as_u64() {
        T::try_from(u).ok()
    } else if let Some(i) = n.as_i64() {
        T::try_from(i).ok()
    } else {
        None
    }
}

/// `{"type": "integer"}`, with `minimum: 0` for unsigned types and both bounds when they are
/// short enough to help a reader (64-bit bounds are noise).
fn int_schema(min: i128, max: i128, with_bounds: bool) -> Value {
    let mut schema = serde_json::json!({ "type": "integer" });
    if with_bounds {
        schema["minimum"] = Value::from(min as i64);
        schema["maximum"] = Value::from(max as i64);
    } else if min == 0 {
        schema["minimum"] = Value::from(0);
    }
    schema
}

impl ConfigValue for f64 {
    fn type_name() -> String {
        "f64".to_owned()
    }

    fn encode(&self) -> Value {
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }

    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
        let decoded = value.as_f64();
        if decoded.is_none() {
            errors.wrong_type(path, Self::type_name(), &value);
        }
        decoded
    }

    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut Violations) {
        check_finite(self.is_finite(), self, path, errors);
    }

    fn json_schema(_defs: &mut JsonSchemaDefs) -> Value {
        serde_json::json!({ "type": "number" })
    }

    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_float(self.is_finite(), self, &self.encode(), f)
    }
}

impl ConfigValue for f32 {
    fn type_name() -> String {
        "f32".to_owned()
    }

    fn encode(&self) -> Value {
        shortest_f64(*self)
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }

    fn decode(value: Value, path: &FieldPath<'_>, errors: &mut Violations) -> Option<Self> {
        let decoded = value.as_f64().and_then(f32_from_f64);
        if decoded.is_none() {
            errors.wrong_type(path, Self::type_name(), &value);
        }
        decoded
    }

    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut Violations) {
        check_finite(self.is_finite(), self, path, errors);
    }

    fn json_schema(_defs: &mut JsonSchemaDefs) -> Value {
        serde_json::json!({ "type": "number" })
    }

    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_float(self.is_finite(), self, &self.encode(), f)
    }
}

/// The `finite` rule of every float field: JSON can't hold inf or NaN, so a config with one
/// could be saved but never read back.
fn check_finite(
    finite: bool,
    value: &dyn fmt::Display,
    path: &FieldPath<'_>,
    errors: &mut Violations,
) {
    if !finite {
        errors.rule_shown(
            path,
            "finite",
            "must be a finite number".to_owned(),
            value.to_string(),
        );
    }
}

/// A float for `Display`: its JSON when finite, else as Rust writes it (`inf`, `-inf`, `NaN`)
/// rather than JSON's `null`.
fn fmt_float(
    finite: bool,
    value: &dyn fmt::Display,
    json: &Value,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    if finite {
        write!(f, "{json}")
    } else {
        write!(f, "{value}")
    }
}

/// The f64 nearest to the shortest decimal that reads back as `x` (Rust's `Display` for floats
/// prints that decimal), so `0.1f32` is written `0.1`. `None` for NaN and infinities.
fn shortest_f64(x: f32) -> Option<f64> {
    if !x.is_finite() {
        return None;
    }
    x.to_string().parse().ok()
}

/// The f32 that `shortest_f64` maps to `v`, or for hand-written numbers the nearest f32.
///
/// Rounding the decimal to f64 and then to f32 (`v as f32`) can in principle differ from
/// rounding the decimal straight to f32 (double rounding), so the candidates next to `v as f32`
/// are checked against the writer's own mapping; the written f32 is always among them. (A sweep
/// of every 61st f32 bit pattern, 70M values, found no case where `v as f32` alone was wrong;
/// the check costs two float formats and makes the guarantee hold by construction.)
/// `None` when `v` is beyond the f32 range.
fn f32_from_f64(v: f64) -> Option<f32> {
    let nearest = v as f32;
    if !nearest.is_finite() {
        return None;
    }
    let candidates = [nearest, nearest.next_down(), nearest.next_up()];
    Some(
        candidates
            .into_iter()
            .find(|c| shortest_f64(*c) == Some(v))
            .unwrap_or(nearest),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: ConfigValue + PartialEq + std::fmt::Debug>(v: T) {
        let text = v.encode().to_string();
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        let mut errors = Violations::new();
        assert_eq!(T::decode(back, &FieldPath::root(), &mut errors), Some(v));
        assert!(errors.is_empty());
    }

    #[test]
    fn f32_is_written_short_and_read_back_bit_exact() {
        assert_eq!(0.1f32.encode().to_string(), "0.1");
        for x in [
            0.1f32,
            1e-8,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-45,
            -0.0,
            16777217.0,
            0.3,
        ] {
            round_trip(x);
        }
    }

    #[test]
    fn f64_and_wide_ints_round_trip() {
        for x in [0.1f64, 1e-8, f64::MAX, f64::MIN_POSITIVE, 5e-324] {
            round_trip(x);
        }
        round_trip(u128::MAX);
        round_trip(i128::MIN);
        round_trip(u64::MAX);
    }

    #[test]
    fn out_of_range_ints_are_type_errors() {
        let mut errors = Violations::new();
        assert_eq!(
            u8::decode(Value::from(300), &FieldPath::root(), &mut errors),
            None
        );
        assert_eq!(
            usize::decode(Value::from(-1), &FieldPath::root(), &mut errors),
            None
        );
        assert_eq!(
            usize::decode(serde_json::json!(1.5), &FieldPath::root(), &mut errors),
            None
        );
        assert_eq!(errors.len(), 3);
    }
}
