// Every `#[config(..)]` key, spelled once.

pub const CONFIG: &str = "config";

// Field keys.
pub const DEFAULT: &str = "default";
pub const MIN: &str = "min";
pub const MAX: &str = "max";
pub const RANGE: &str = "range";
pub const NON_EMPTY: &str = "non_empty";
pub const ONE_OF: &str = "one_of";
pub const VALIDATE: &str = "validate";

// Container keys.
pub const CRATE: &str = "crate";
pub const CHECK: &str = "check";

// Variant keys (unit variants of a config enum).
pub const RENAME: &str = "rename";
pub const ALIAS: &str = "alias";

pub const FIELD_KEYS: &[&str] = &[DEFAULT, MIN, MAX, RANGE, NON_EMPTY, ONE_OF, VALIDATE];
pub const CONTAINER_KEYS: &[&str] = &[CRATE, CHECK];
pub const VARIANT_KEYS: &[&str] = &[RENAME, ALIAS];
