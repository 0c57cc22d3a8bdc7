//! (kill test below)
