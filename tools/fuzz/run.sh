#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz preset: clang-14, ASan + UBSan) and runs scenario_fuzz for a
# while, seeded with every scenario file in the repo; crashes land in build/fuzz/crashes/.
# Usage: tools/fuzz/run.sh [seconds=30]      Exit 77 = skipped (core/scenario.hpp not written yet).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-30}"
cd "$here"
if [ ! -f core/scenario.hpp ]; then echo "SKIP: core/scenario.hpp does not exist yet"; exit 77; fi
[ -f build/fuzz/CMakeCache.txt ] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target scenario_fuzz
corpus=build/fuzz/corpus; crashes=build/fuzz/crashes
mkdir -p "$corpus" "$crashes"
shopt -s nullglob
seeds=(tests/scenarios/*.json tests/scenarios/*/*.json assets/scenarios/*.json lessons/*.json)
# Seeds are named after their path: files with the same name live in several folders.
for seed in "${seeds[@]}"; do cp -f "$seed" "$corpus/$(echo "$seed" | tr / _)"; done
# -timeout: a single input taking >10 s is a hang; -rss_limit_mb keeps it polite on a shared box.
exec build/fuzz/scenario_fuzz "$corpus" -dict=tools/fuzz/json.dict -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/"
