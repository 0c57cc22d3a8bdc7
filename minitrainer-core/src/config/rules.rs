//! The value rules of `#[config(..)]` (`min`, `max`, `range`, `non_empty`, `one_of`,
//! `validate`), called by generated `validate` code. Each pushes one violation naming the rule
//! and the offending value, and never stops the others.
//!
//! A rule looks at a field through [`RuleValue`]: for `Option<T>` it checks the `T` inside and
//! lets `None` pass, so `#[config(min = 1)] seed: Option<u64>` means "absent, or at least 1".
//! The traits carry `on_unimplemented` messages: a rule on a type it can't apply to is a
//! compile error at the rule's key.

use std::cmp::Ordering;

use serde_json::Value;

use super::Violations;
use super::path::FieldPath;
use super::value::ConfigValue;

/// The value a rule checks: the field itself, or the inside of an `Option`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` can't carry value rules",
    label = "rules need a config field type"
)]
pub trait RuleValue {
    /// The type the rule's bounds have.
    type Item: ConfigValue;
    /// The value to check, `None` when there is nothing to check (an absent `Option`).
    fn rule_item(&self) -> Option<&Self::Item>;
}

macro_rules! rule_value_is_self {
    ($($ty:ty),*) => {$(
        impl RuleValue for $ty {
            type Item = $ty;
            fn rule_item(&self) -> Option<&$ty> {
                Some(self)
            }
        }
    )*};
}

rule_value_is_self!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, String
);

impl<T: ConfigValue> RuleValue for Vec<T> {
    type Item = Vec<T>;
    fn rule_item(&self) -> Option<&Vec<T>> {
        Some(self)
    }
}

impl<T: ConfigValue> RuleValue for Option<T> {
    type Item = T;
    fn rule_item(&self) -> Option<&T> {
        self.as_ref()
    }
}

/// Numbers: what `min`, `max` and `range` apply to.
#[diagnostic::on_unimplemented(
    message = "`min`, `max` and `range` need a number, and `{Self}` is not one",
    label = "not a number",
    note = "for strings and lists use `non_empty`, `one_of` or `validate = path::to::fn`"
)]
pub trait Number: ConfigValue + PartialOrd {}

macro_rules! number {
    ($($ty:ty),*) => {$( impl Number for $ty {} )*};
}

number!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64
);

/// Values with a length: what `non_empty` applies to.
#[diagnostic::on_unimplemented(
    message = "`non_empty` needs a `String` or a `Vec`, and `{Self}` is neither",
    label = "has no length",
    note = "for numbers use `min`, `max` or `range`"
)]
pub trait HasLen: ConfigValue {
    /// Whether the value is empty.
    fn has_no_items(&self) -> bool;
}

impl HasLen for String {
    fn has_no_items(&self) -> bool {
        self.is_empty()
    }
}

impl<T: ConfigValue> HasLen for Vec<T> {
    fn has_no_items(&self) -> bool {
        self.is_empty()
    }
}

fn text<T: ConfigValue>(value: &T) -> String {
    value.encode().to_string()
}

/// A number as the config's `Display` writes it: JSON, except that a non-finite float (whose
/// JSON would be `null`) reads `inf` or `NaN`.
fn shown<T: ConfigValue>(value: &T) -> String {
    struct Shown<'a, T>(&'a T);
    impl<T: ConfigValue> std::fmt::Display for Shown<'_, T> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.fmt_value(f)
        }
    }
    Shown(value).to_string()
}

// Comparisons go through `partial_cmp` and accept only a definite answer, so NaN fails every
// bound instead of slipping through `x < min` being false.
fn at_least<T: PartialOrd>(x: &T, bound: &T) -> bool {
    matches!(
        x.partial_cmp(bound),
        Some(Ordering::Greater | Ordering::Equal)
    )
}

fn at_most<T: PartialOrd>(x: &T, bound: &T) -> bool {
    matches!(x.partial_cmp(bound), Some(Ordering::Less | Ordering::Equal))
}

/// `#[config(min = bound)]`: the value is at least `bound`.
pub fn min<V>(value: &V, bound: V::Item, path: &FieldPath<'_>, errors: &mut Violations)
where
    V: RuleValue,
    V::Item: Number,
{
    if let Some(x) = value.rule_item()
        && !at_least(x, &bound)
    {
        errors.rule_shown(
            path,
            "min",
            format!("must be >= {}", text(&bound)),
            shown(x),
        );
    }
}

/// `#[config(max = bound)]`: the value is at most `bound`.
pub fn max<V>(value: &V, bound: V::Item, path: &FieldPath<'_>, errors: &mut Violations)
where
    V: RuleValue,
    V::Item: Number,
{
    if let Some(x) = value.rule_item()
        && !at_most(x, &bound)
    {
        errors.rule_shown(
            path,
            "max",
            format!("must be <= {}", text(&bound)),
            shown(x),
        );
    }
}

/// `#[config(range = start..end)]` or `start..=end`.
pub fn range<V>(
    value: &V,
    (start, end, inclusive): (V::Item, V::Item, bool),
    path: &FieldPath<'_>,
    errors: &mut Violations,
) where
    V: RuleValue,
    V::Item: Number,
{
    let Some(x) = value.rule_item() else { return };
    let below_end = if inclusive {
        at_most(x, &end)
    } else {
        x.partial_cmp(&end) == Some(Ordering::Less)
    };
    if !(at_least(x, &start) && below_end) {
        let dots = if inclusive { "..=" } else { ".." };
        let expected = format!("must be in {}{dots}{}", text(&start), text(&end));
        errors.rule_shown(path, "range", expected, shown(x));
    }
}

/// `#[config(non_empty)]`: a string or list with at least one item.
pub fn non_empty<V>(value: &V, path: &FieldPath<'_>, errors: &mut Violations)
where
    V: RuleValue,
    V::Item: HasLen,
{
    if let Some(x) = value.rule_item()
        && x.has_no_items()
    {
        errors.rule(
            path,
            "non_empty",
            "must not be empty".to_owned(),
            &x.encode(),
        );
    }
}

/// `#[config(one_of = [a, b, c])]`: the value equals one of the listed values.
pub fn one_of<V>(value: &V, allowed: &[V::Item], path: &FieldPath<'_>, errors: &mut Violations)
where
    V: RuleValue,
    V::Item: PartialEq,
{
    if let Some(x) = value.rule_item()
        && !allowed.contains(x)
    {
        let list = Value::Array(allowed.iter().map(ConfigValue::encode).collect());
        errors.rule(
            path,
            "one_of",
            format!("must be one of {list}"),
            &x.encode(),
        );
    }
}

/// `#[config(validate = path::to::fn)]`: a user function accepts the value; its error message
/// becomes the rule text.
pub fn validate<V>(
    value: &V,
    check: fn(&V::Item) -> Result<(), String>,
    path: &FieldPath<'_>,
    errors: &mut Violations,
) where
    V: RuleValue,
{
    if let Some(x) = value.rule_item()
        && let Err(message) = check(x)
    {
        errors.rule(path, "validate", message, &x.encode());
    }
}
