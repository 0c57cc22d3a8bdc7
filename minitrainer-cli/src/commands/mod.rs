//! One file per subcommand; each takes its parsed arguments and prints to stdout.

pub mod describe;
pub mod eval;
pub mod inspect;
pub mod list;
pub mod predict;
pub mod train;
