#!/usr/bin/env bash
# Clean-build time of a minimal user crate: one derived model, one config, one training step
# through the library's optimizer and loss (what every user compiles first).
#
# Usage: scripts/compile_time.sh [WORK_DIR]   (default: a new temporary directory)
#   FEATURES   extra features of the `minitrainer` dependency (default none)
# Prints the wall seconds of `cargo build` (debug) and `cargo build --release`, each from an
# empty target directory, and where cargo's --timings reports went.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work/src"
features=${FEATURES:-}
cat > "$work/Cargo.toml" <<TOML
[package]
name = "minimal-user"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
minitrainer = { path = "$repo", features = [${features:+\"$features\"}] }

[workspace]
TOML
cat > "$work/src/main.rs" <<'RUST'
use minitrainer::nn::loss::CrossEntropyLoss;
use minitrainer::optim::{Optimizer, optimizer_from_str};
use minitrainer::prelude::*;

#[derive(Config, Clone, Debug, PartialEq)]
pub struct TinyConfig {
    /// Width of the hidden layer.
    #[config(default = 32, min = 1)]
    pub hidden: usize,
}

#[derive(Module)]
#[model(name = "tiny", config = TinyConfig)]
pub struct Tiny {
    hidden: Linear,
    out: Linear,
}

impl Build for Tiny {
    type Config = TinyConfig;
    fn build(config: &TinyConfig, init: &mut Init) -> Self {
        let hidden = Linear::build(&LinearConfig::new(4, config.hidden), init);
        Tiny { hidden, out: Linear::build(&LinearConfig::new(config.hidden, 3), init) }
    }
}

impl Forward for Tiny {
    type Output = Tensor;
    fn forward(&self, x: Tensor) -> Tensor {
        self.out.call(self.hidden.call(x).relu())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = Tiny::from_config_str("tiny(hidden=8)")?;
    let mut optimizer = optimizer_from_str("sgd(lr=0.1)", &model)?;
    let x = Tensor::from_vec(vec![0.5; 8], &[2, 4])?;
    let loss = CrossEntropyLoss::default().forward(&model.forward(x), &[0_usize, 2])?;
    loss.backward();
    optimizer.step();
    println!("loss {}", loss.item());
    Ok(())
}
RUST
for profile in debug release; do
    flag=$([ "$profile" = release ] && echo --release || true)
    rm -rf "$work/target"
    start=$(date +%s.%N)
    (cd "$work" && cargo build -q $flag --timings 2>&1 | grep -v "^ *Timing report" || true)
    end=$(date +%s.%N)
    printf '%s clean build: %.1f s (load:%s)\n' "$profile" "$(echo "$end - $start" | bc)" \
        "$(uptime | sed 's/.*load average://')"
    cp "$work"/target/cargo-timings/cargo-timing.html "$work/timings-$profile.html"
done
(cd "$work" && cargo run -q --release)
echo "timings: $work/timings-debug.html $work/timings-release.html"
