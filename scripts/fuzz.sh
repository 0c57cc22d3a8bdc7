#!/usr/bin/env bash
# Runs every fuzz target for N seconds (default 60), two at a time, and prints a summary
# table: target, seconds, executions, crashes.
#
#   scripts/fuzz.sh 300            # every target, 5 minutes each
#   scripts/fuzz.sh 60 csv idx     # only these targets
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Each target starts
# from its committed seeds (fuzz/seeds/<target>, read only) and grows its corpus in
# fuzz/corpus/<target> (git-ignored; removed at the end unless KEEP_CORPUS=1). Crashes land in
# fuzz/artifacts/<target>/; reproduce one with `cargo +nightly fuzz run <target> <file>`.
# Environment: JOBS (targets at once, default 2), SANITIZER (default none: the library has no
# unsafe code; `address` to check the dependencies' unsafe code too, ~2x slower).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-60}"
shift || true
jobs="${JOBS:-2}"
sanitizer="${SANITIZER:-none}"
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build -s "$sanitizer"
logs="$(mktemp -d)"
# The targets' scratch files (a model directory, a checkpoint...): removed with the logs, and
# only those, so that fuzzers started elsewhere keep theirs.
export MINITRAINER_FUZZ_SCRATCH="$logs/scratch"
mkdir -p "$MINITRAINER_FUZZ_SCRATCH"

run_one() {
    local target="$1"
    mkdir -p "corpus/$target" "artifacts/$target"
    # -rss_limit_mb: a reader that allocates what a header claims is a crash, not a slow run.
    # -timeout: one input taking 10 s is a hang. The seeds directory comes second: read only.
    cargo +nightly fuzz run -s "$sanitizer" "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        >"$logs/$target.log" 2>&1 || true
}

running=0
for target in "${targets[@]}"; do
    run_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

printf '%-18s %8s %12s %8s\n' target seconds executions crashes
status=0
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    runs=$( (grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" || true) | grep -o '[0-9]*$' | tail -n 1 || true)
    took=$( (grep -ao 'Done [0-9]* runs in [0-9]* second' "$log" || true) | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -n 1 || true)
    crashes=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) | wc -l)
    if [ -z "$runs" ]; then
        # No final stats: the run stopped on a crash (or never started); see the log.
        runs="?"
        status=1
        cp "$log" "artifacts/$target/last-run.log"
    fi
    [ "$crashes" -eq 0 ] || status=1
    printf '%-18s %8s %12s %8s\n' "$target" "${took:-$seconds}" "$runs" "$crashes"
done
rm -rf "$logs"
[ "${KEEP_CORPUS:-0}" = 1 ] || rm -rf corpus
exit "$status"
