#!/usr/bin/env bash
# Cross-platform determinism check: runs every tests/scenarios/*.json with the native CLI and with
# the wasm CLI under node (and plays every lessons/*.json with `lesson run`), and requires the
# same trace_hash (and exit code) from both. Exit 77 =
# skipped (nothing to compare yet: no scenarios or no CLI), so test-all can report it loudly.
# Usage: tools/check_cross_platform.sh [native-dsplay] [dsplay.js]
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
native="${1:-$here/build/release/dsplay}"
wasm="${2:-$here/build/web/dsplay.js}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

shopt -s nullglob
scenarios=("$here"/tests/scenarios/*.json)
if [ "${#scenarios[@]}" -eq 0 ]; then
  echo "SKIP: no tests/scenarios/*.json to compare yet"; exit 77
fi
if [ ! -x "$native" ] || [ ! -f "$wasm" ]; then
  echo "SKIP: the CLI is not built (need $native and $wasm)"; exit 77
fi

# The trace_hash value from the CLI's JSON summary (a string or a number).
trace_hash() {
  grep -oE '"trace_hash"[[:space:]]*:[[:space:]]*("[^"]*"|[0-9]+)' | head -n1 | sed -E 's/.*:[[:space:]]*//; s/"//g'
}

failed=0
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for file in "${scenarios[@]}"; do
  rel="${file#"$here"/}"
  "$native" run "$file" >"$tmp/native.out" 2>"$tmp/native.err"; native_rc=$?
  node --no-experimental-fetch "$wasm" run "$file" >"$tmp/wasm.out" 2>"$tmp/wasm.err"; wasm_rc=$?
  native_hash="$(trace_hash <"$tmp/native.out")"
  wasm_hash="$(trace_hash <"$tmp/wasm.out")"
  if [ -z "$native_hash" ] || [ "$native_rc" -ge 2 ]; then
    echo "FAIL $rel: native run gave exit $native_rc and no trace_hash"; sed 's/^/  native: /' "$tmp/native.err" | head -n 20; failed=1
  elif [ -z "$wasm_hash" ] || [ "$wasm_rc" -ge 2 ]; then
    echo "FAIL $rel: wasm run gave exit $wasm_rc and no trace_hash"; sed 's/^/  wasm: /' "$tmp/wasm.err" | head -n 20; failed=1
  elif [ "$native_hash" != "$wasm_hash" ] || [ "$native_rc" != "$wasm_rc" ]; then
    echo "FAIL $rel: native trace_hash $native_hash (exit $native_rc) != wasm trace_hash $wasm_hash (exit $wasm_rc)"; failed=1
  else
    echo "ok   $rel: trace_hash $native_hash (exit $native_rc)"
  fi
done
# Lessons, played headless with their solutions: the same trace from both (what a share link of a
# lesson relies on: opened in the other build, the same run).
for file in "$here"/lessons/*.json; do
  rel="${file#"$here"/}"
  "$native" lesson run --json "$file" >"$tmp/native.out" 2>"$tmp/native.err"; native_rc=$?
  node --no-experimental-fetch "$wasm" lesson run --json "$file" >"$tmp/wasm.out" 2>"$tmp/wasm.err"; wasm_rc=$?
  native_hash="$(trace_hash <"$tmp/native.out")"
  wasm_hash="$(trace_hash <"$tmp/wasm.out")"
  if [ -z "$native_hash" ] || [ -z "$wasm_hash" ] || [ "$native_hash" != "$wasm_hash" ] || [ "$native_rc" != "$wasm_rc" ]; then
    echo "FAIL $rel: native lesson trace_hash '$native_hash' (exit $native_rc) != wasm '$wasm_hash' (exit $wasm_rc)"
    sed 's/^/  wasm: /' "$tmp/wasm.err" | head -n 5; failed=1
  else
    echo "ok   $rel: lesson trace_hash $native_hash (exit $native_rc)"
  fi
done
exit "$failed"
