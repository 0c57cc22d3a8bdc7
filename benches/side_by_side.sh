#!/usr/bin/env bash
# Runs the reference workloads side by side: PyTorch (torch_reference.py) and minitrainer
# (benches/workloads/ in its TSV mode), alternating, ROUNDS times, at THREADS threads,
# then prints the median of every workload per side and their ratio.
#
# Usage: benches/side_by_side.sh THREADS [ROUNDS] [REPS] > raw.tsv 2> summary.txt
#   TORCH_PYTHON     python with torch          (default python3)
#   TORCH_REFERENCE  the PyTorch script          (default ../shared/bench/torch_reference.py)
#   WORKLOADS        what to run: all, gemm and/or w6 (default "all gemm"); w6 (MNIST epochs
#                    through the Trainer) runs tools/reference/mnist_torch.py on PyTorch's
#                    side and needs the MNIST files ($MINITRAINER_MNIST, default ../shared/data/mnist)
#   MINITRAINER_BIN  an already built workloads bench binary to run instead of `cargo bench`
#                    (experiments with other features or allocator settings)
# Both sides get THREADS through their runtime controls: OMP_NUM_THREADS/MKL_NUM_THREADS for
# PyTorch, MINITRAINER_NUM_THREADS for minitrainer (`minitrainer::set_num_threads`; only its
# GEMMs large enough to pay for the hand-off use more than one thread). One build serves all.
set -euo pipefail

threads=${1:?usage: side_by_side.sh THREADS [ROUNDS] [REPS]}
rounds=${2:-2}
reps=${3:-5}
py=${TORCH_PYTHON:-python3}
ref=${TORCH_REFERENCE:-../shared/bench/torch_reference.py}
workloads=${WORKLOADS:-all gemm}
cd "$(dirname "$0")/.."

minitrainer() {
    if [ -n "${MINITRAINER_BIN:-}" ]; then
        "$MINITRAINER_BIN" 2>/dev/null
    else
        cargo bench -q --bench workloads 2>/dev/null
    fi
}
[ -n "${MINITRAINER_BIN:-}" ] || cargo bench -q --bench workloads --no-run 2>/dev/null

raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
for round in $(seq "$rounds"); do
    for which in $workloads; do
        echo "# round $round $which $(date -u +%FT%TZ) load:$(uptime | sed 's/.*load average://')" | tee -a "$raw" >&2
        if [ "$which" = w6 ]; then
            # One warm-up epoch, then REPS timed epochs, as the Rust side.
            OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads "$py" tools/reference/mnist_torch.py \
                "$threads" --epochs $((reps + 1)) --tsv | tee -a "$raw"
        else
            OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads "$py" "$ref" "$threads" "$which" "$reps" | tee -a "$raw"
        fi
        MINITRAINER_NUM_THREADS=$threads MINITRAINER_TSV=$which MINITRAINER_REPS=$reps minitrainer |
            tee -a "$raw"
    done
done

# Medians per (side, workload); the ratio says how many times faster minitrainer is (> 1:
# faster, < 1: slower), inverted for the latency units where lower is better.
"$py" - "$raw" >&2 <<'EOF'
import re, statistics, sys
values = {}
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    side, workload, threads, unit, value = line.rstrip("\n").split("\t")
    workload = re.sub(r"\((torch\.mm|Tensor::matmul)\)$", "", workload)
    values.setdefault((workload, threads, unit), {}).setdefault(side, []).append(float(value))
print(f"{'workload':34} {'thr':>3} {'unit':>13} {'minitrainer':>12} {'torch':>12} {'speed ratio':>11}")
for (workload, threads, unit), sides in values.items():
    mt = statistics.median(sides["minitrainer"]) if "minitrainer" in sides else None
    pt = statistics.median(sides["torch"]) if "torch" in sides else None
    ratio = ""
    if mt and pt:
        ratio = f"{(pt / mt if unit.startswith('us/') else mt / pt):.2f}x"
    fmt = lambda v: "-" if v is None else f"{v:.2f}"
    print(f"{workload:34} {threads:>3} {unit:>13} {fmt(mt):>12} {fmt(pt):>12} {ratio:>11}")
EOF
