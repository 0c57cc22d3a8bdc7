// Every `#[module(...)]` attribute key, spelled once.

/// The attribute's own name: `#[module(...)]`.
pub const MODULE: &str = "module";

/// Field: `#[module(skip)]`.
pub const SKIP: &str = "skip";
/// Field: `#[module(rename = "name")]`.
pub const RENAME: &str = "rename";
/// Field: `#[module(alias = "old_name")]`, repeatable.
pub const ALIAS: &str = "alias";
/// Container: `#[module(crate = ::minitrainer_core)]`.
pub const CRATE: &str = "crate";

/// Keys accepted on a field, for "expected one of" and did-you-mean.
pub const FIELD_KEYS: &[&str] = &[SKIP, RENAME, ALIAS];
/// Keys accepted on the struct or enum.
pub const CONTAINER_KEYS: &[&str] = &[CRATE];
