//! Procedural macros of minitrainer: `#[derive(Module)]`, `#[derive(Config)]` and `#[model]`.
//! Use them through the `minitrainer` crate, which re-exports them.

// Shared by every macro.
#[allow(dead_code)] // used as the derives land
mod ctxt;
#[allow(dead_code)]
mod paths;
#[allow(dead_code)]
mod suggest;
