#!/usr/bin/env bash
# The browser bundle (our HTML page + Emscripten's JS + the wasm) must stay within 2 MB
# (2,000,000 bytes) uncompressed: it is what a student downloads before seeing anything.
set -euo pipefail
dir="${1:-build/web}"
limit_bytes=2000000
total=0
for f in index.html dsplay_web.js dsplay_web.wasm; do
  [ -f "$dir/$f" ] || { echo "bundle: missing $dir/$f"; exit 1; }
  size=$(stat -c %s "$dir/$f")
  echo "bundle: $f $size bytes"
  total=$((total + size))
done
echo "bundle: total $total bytes (limit $limit_bytes)"
[ "$total" -le "$limit_bytes" ] || { echo "bundle: over the 2 MB limit"; exit 1; }
