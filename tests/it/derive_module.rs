//! `#[derive(Module)]` as a user sees it.
