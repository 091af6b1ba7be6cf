#!/usr/bin/env bash
# Screenshots of the lesson player for review: a lesson step with a question, and the same step in
# presentation mode, from the desktop app under Xvfb (build/screenshots/lesson-desktop*.png, or
# lesson-<name>-step<N>-desktop*.png for another lesson).
# The step comes from `dsplay lesson link --file`: the earlier steps played with their solutions.
# Usage: tools/lesson_screenshots.sh [LESSON.json] [STEP] [build dir]   (the web ones: tools/browser/lessons.mjs)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lesson="${1:-$here/lessons/locks_token_coordinator.json}"
# The default lesson's shots are the review screenshots; another lesson's are named after it.
prefix="lesson"
[ -n "${1:-}" ] && prefix="lesson-$(basename "$lesson" .json)-step${2:-2}"
step="${2:-2}"
build="${3:-$here/build/release}"
out="$here/build/screenshots"
for tool in Xvfb import xwininfo; do command -v "$tool" >/dev/null || { echo "lesson_screenshots: $tool missing"; exit 77; }; done
mkdir -p "$out"
tmp="$(mktemp -d)"
xvfb_pid=""
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
"$build/dsplay" lesson link "$lesson" --step "$step" --file "$tmp/share.json"
display=""
for n in $(seq 99 140); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
shoot() {  # name, extra flags...
  local name="$1"; shift
  XDG_CONFIG_HOME="$tmp/config-$name" DISPLAY="$display" DSPLAY_UI_SCALE=1 "$build/dsplay_desktop" --frames 150 "$@" "$tmp/share.json" >"$tmp/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -q '"dsplay"' && break; sleep 0.1; done
  sleep 1.5
  # Just the app's window (the screen around it is empty).
  local id
  id="$(DISPLAY="$display" xwininfo -name dsplay 2>/dev/null | awk '/Window id:/ {print $4}')"
  DISPLAY="$display" import -window "${id:-root}" "$out/$name.png"
  wait "$pid" || { cat "$tmp/$name.log"; exit 1; }
  echo "lesson_screenshots: $out/$name.png"
}
shoot "$prefix-desktop" --size 1280x800                   # a laptop
shoot "$prefix-desktop-present" --size 1920x1080 --present  # a projector
