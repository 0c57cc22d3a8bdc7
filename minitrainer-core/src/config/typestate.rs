//! Typestate of the generated config builders: forgetting a required field is a compile error
//! that names the field.
//!
//! A builder has one type parameter per required field. It starts as the field's marker type
//! (a unit struct named after the field, generated next to the builder); the field's setter
//! turns it into `Set<marker>`. `build()` requires `IsSet` of every parameter, so a missing
//! field fails with `missing required field `in_dim``, the marker's name being the field's
//! (the trick is bon's `IsSet`). Defaulted fields add no parameter, which keeps the number of
//! generic parameters, and so the compile-time cost, down to the required fields.

use std::marker::PhantomData;

/// The state of a required field that has been set. Never constructed.
pub struct Set<Field>(PhantomData<Field>);

/// Implemented by `Set<_>` only: a required field whose setter was called.
#[diagnostic::on_unimplemented(
    message = "missing required field `{Self}`",
    label = "`{Self}` is required and was not set",
    note = "call the builder's `.{Self}(..)` setter before `.build()`"
)]
pub trait IsSet {}

impl<Field> IsSet for Set<Field> {}

/// Implemented by the field markers only: a required field whose setter was not called yet.
#[diagnostic::on_unimplemented(
    message = "field already set: `{Self}`",
    label = "this required field was set before",
    note = "set each field once"
)]
pub trait IsUnset {}
