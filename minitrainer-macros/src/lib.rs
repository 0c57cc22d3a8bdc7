//! Procedural macros of minitrainer: `#[derive(Module)]`, `#[derive(Config)]` and `#[model]`.
//! Use them through the `minitrainer` crate, which re-exports them.
