#!/usr/bin/env bash
# Desktop smoke test: starts a private Xvfb display, runs dsplay_desktop for a fixed number of
# frames (optionally with a scenario), screenshots the screen while it runs and requires exit 0
# and a screenshot that is not blank. The app also serves /metrics on a free port; the running
# app's answer must pass `promtool check metrics`.
# Usage: tools/smoke_desktop.sh [path/to/dsplay_desktop] [scenario.json]
# Env: DSPLAY_SMOKE_SHOT (default build/screenshots/desktop.png), DSPLAY_SMOKE_FRAMES (default 240).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
app="${1:-$here/build/release/dsplay_desktop}"
scenario="${2:-}"
shot="${DSPLAY_SMOKE_SHOT:-$here/build/screenshots/desktop.png}"
frames="${DSPLAY_SMOKE_FRAMES:-240}"
for tool in Xvfb import xwininfo; do
  command -v "$tool" >/dev/null || { echo "smoke_desktop: $tool missing (run tools/setup.sh native)"; exit 77; }
done
[ -x "$app" ] || { echo "smoke_desktop: $app not built"; exit 1; }
mkdir -p "$(dirname "$shot")"
rm -f "$shot"

# A free display number: no lock file and no socket.
display=""
for n in $(seq 99 140); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { echo "smoke_desktop: no free X display"; exit 1; }

log="$(mktemp -d)"
xvfb_pid=""; app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$log"
}
trap cleanup EXIT
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >"$log/xvfb.txt" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X${display#:}" ] || { echo "smoke_desktop: Xvfb did not start"; cat "$log/xvfb.txt"; exit 1; }

args=(--frames "$frames" --serve-metrics 127.0.0.1:0)
[ -n "$scenario" ] && args+=(--scenario "$scenario")
# A throwaway config folder, so the smoke run leaves the user's settings alone.
XDG_CONFIG_HOME="$log/config" DISPLAY="$display" "$app" "${args[@]}" >"$log/app.txt" 2>&1 &
app_pid=$!

# Wait for the window, let it draw a few frames, then take the picture while it still runs.
mapped=0
for _ in $(seq 200); do
  if DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -q '"dsplay"'; then mapped=1; break; fi
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
if [ "$mapped" = 1 ]; then
  sleep 1
  DISPLAY="$display" import -window root "$shot" || echo "smoke_desktop: screenshot failed"
  url="$(grep -o 'http://[^ ]*/metrics' "$log/app.txt" || true)"
  [ -n "$url" ] || { cat "$log/app.txt"; echo "smoke_desktop: the app did not serve /metrics"; exit 1; }
  curl -s -f "$url" >"$log/metrics.txt" || { echo "smoke_desktop: GET $url failed"; exit 1; }
  promtool check metrics <"$log/metrics.txt" || { echo "smoke_desktop: promtool rejected the app's /metrics"; exit 1; }
  grep -q '^dsplay_events_total' "$log/metrics.txt" || { echo "smoke_desktop: /metrics lacks dsplay_events_total"; exit 1; }
fi

set +e
wait "$app_pid"; rc=$?
set -e
app_pid=""
cat "$log/app.txt"
if [ "$rc" != 0 ]; then echo "smoke_desktop: dsplay_desktop exited with $rc"; exit 1; fi
[ "$mapped" = 1 ] || { echo "smoke_desktop: the window never appeared"; exit 1; }
[ -s "$shot" ] || { echo "smoke_desktop: no screenshot"; exit 1; }
colors="$(identify -format '%k' "$shot")"
if [ "$colors" -lt 8 ]; then echo "smoke_desktop: screenshot is blank ($colors colours): $shot"; exit 1; fi
echo "smoke_desktop: ok, $frames frames, screenshot $shot ($colors colours)"
