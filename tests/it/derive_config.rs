//! `#[derive(Config)]` as a user sees it.
