//! Writes the seed corpora: `cargo +nightly run --example make_seeds [-- <dir>]` (default
//! `seeds`, relative to the fuzz directory).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args().nth(1).unwrap_or_else(|| "seeds".into());
    fuzz_support::seeds::write_all(std::path::Path::new(&root))
}
