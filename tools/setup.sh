#!/usr/bin/env bash
# Installs everything dsplay needs on Debian 12, idempotently: Debian packages for the native
# build and the tests, Debian *source* packages of Dear ImGui and SDL2 for the wasm build, and
# the wasm SDL2 library built once per machine into a per-user cache.
# Usage: tools/setup.sh [native|web|all]   (default: all)
set -euo pipefail
what="${1:-all}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${DSPLAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dsplay}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

native_pkgs=(g++ cmake ninja-build make pkg-config libsdl2-dev libimgui-dev nlohmann-json3-dev catch2
  libgl1-mesa-dev libbenchmark-dev xvfb x11-utils imagemagick fonts-dejavu-core clang-14 libclang-rt-14-dev
  xxd fonttools libmemcached-dev prometheus ccache curl python3)
web_pkgs=(emscripten chromium python3)

missing=()
want=("${native_pkgs[@]}")
[ "$what" != native ] && want+=("${web_pkgs[@]}")
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm: the machine's own if present (Debian's npm conflicts with a newer node)
if [ "$what" != native ] && ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[ "$what" = native ] && exit 0

# --- web: Debian source packages of imgui and SDL2, unpacked into the cache -------------------
mkdir -p "$cache/src"
if [ ! -f /etc/apt/sources.list.d/dsplay-src.sources ] && [ ! -f /etc/apt/sources.list.d/dsplay-src.list ]; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then   # deb822 format (Debian 12 default)
    sed 's/^Types: .*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee /etc/apt/sources.list.d/dsplay-src.sources >/dev/null
  else                                                      # one-line format in /etc/apt/sources.list
    grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee /etc/apt/sources.list.d/dsplay-src.list >/dev/null
  fi
  $SUDO apt-get update -qq
fi
imgui_ver="$(dpkg-query -W -f='${Version}' libimgui-dev | sed 's/+ds.*//')"   # 1.86
sdl_ver="$(dpkg-query -W -f='${Version}' libsdl2-dev | sed 's/+dfsg.*//; s/-.*//')"  # 2.26.5
if [ ! -f "$cache/src/imgui-$imgui_ver/imgui.cpp" ]; then
  (cd "$cache/src" && apt-get source --download-only imgui >/dev/null &&
   rm -rf "imgui-$imgui_ver" && mkdir "imgui-$imgui_ver" &&
   tar -xf "$(ls imgui_*.orig.tar.[gx]z | head -n1)" -C "imgui-$imgui_ver" --strip-components=1)
fi
sdl_prefix="$cache/sdl2-wasm-$sdl_ver"
if [ ! -f "$sdl_prefix/lib/libSDL2.a" ]; then
  (cd "$cache/src" && apt-get source --download-only libsdl2 >/dev/null &&
   rm -rf "SDL2-$sdl_ver" && tar -xf "$(ls libsdl2_*.orig.tar.[gx]z | head -n1)" && ls -d "SDL2-$sdl_ver" >/dev/null)
  export NODE_PATH=/usr/share/nodejs
  rm -rf "$cache/build-sdl2"
  emcmake cmake -S "$cache/src/SDL2-$sdl_ver" -B "$cache/build-sdl2" -DCMAKE_BUILD_TYPE=Release \
    -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_AUDIO=OFF -DSDL_JOYSTICK=OFF \
    -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF -DSDL_POWER=OFF -DSDL_HIDAPI=OFF -DSDL_RENDER=OFF \
    -DSDL_LOCALE=OFF -DSDL_MISC=OFF -DCMAKE_INSTALL_PREFIX="$sdl_prefix" >/dev/null
  cmake --build "$cache/build-sdl2" -j"$(nproc)" >/dev/null
  cmake --install "$cache/build-sdl2" >/dev/null
  rm -rf "$cache/build-sdl2"
fi
# header-only packages for wasm: a folder holding only links to them (see docs/ARCHITECTURE.md)
mkdir -p "$cache/wasm-include"
ln -sfn /usr/include/nlohmann "$cache/wasm-include/nlohmann"
ln -sfn /usr/include/catch2 "$cache/wasm-include/catch2"
# npm: playwright-core for the browser smoke test (drives Debian's chromium)
if [ ! -d "$here/tools/browser/node_modules/playwright-core" ]; then
  (cd "$here/tools/browser" && npm install --no-audit --no-fund --no-package-lock --silent)
fi
echo "setup: ok (cache $cache)"
