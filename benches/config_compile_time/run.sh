#!/usr/bin/env bash
# Median of 11 rebuilds of each generated crate alone (dependencies prebuilt, shared target
# dir): `cargo build` and `cargo check` after touching src/lib.rs.
# Usage: benches/config_compile_time/run.sh OUT_DIR   (after gen.py REPO_ROOT OUT_DIR)
set -euo pipefail
out=$(cd "$1" && pwd)
export CARGO_TARGET_DIR="$out/target"
for v in plain typestate defaults; do
  (cd "$out/$v" && cargo build -q 2>/dev/null)   # warm: dependencies
  for mode in build check; do
    median=$(cd "$out/$v" && for _ in $(seq 11); do
      touch src/lib.rs
      s=$(date +%s%N); cargo "$mode" -q 2>/dev/null; e=$(date +%s%N)
      echo $(( (e - s) / 1000000 ))
    done | sort -n | sed -n 6p)
    echo "$v cargo $mode: median $median ms"
  done
done
