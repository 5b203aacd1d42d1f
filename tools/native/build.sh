#!/usr/bin/env bash
# Builds the native risk addons (binding.gyp) at `npm install`/`npm ci`. Never fails the install:
# on any failure it prints one line and exits 0, and Riskline runs on the TypeScript backend.
# As root with apt available it installs OpenBLAS (skipped when present); without it the C++
# falls back to plain loops. RISKLINE_NATIVE=0 skips the build.
set -u
root="$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)"
cd "$root" || exit 0
mkdir -p .cache/native 2>/dev/null || { echo "riskline: native build failed (cannot write .cache/native); the ts backend will run"; exit 0; }
log="$root/.cache/native/build.log"
: >"$log"

fail() {
  echo "riskline: native build failed ($1); the ts backend will run"
  exit 0
}

have_pkg() { dpkg -s "$1" >/dev/null 2>&1; }

# OpenBLAS from Debian's archive; an apt failure only means the plain-loop fallback.
openblas() {
  if ! have_pkg libopenblas-dev && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends libopenblas-dev ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends libopenblas-dev; }; } >>"$log" 2>&1
  fi
  if have_pkg libopenblas-dev && [ -f /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h ]; then echo 1; else echo 0; fi
}

# The CUDA engineer's toolkit script prints nvcc's path as its last line (empty: no CUDA).
nvcc_path() {
  local script="$root/native/cuda/toolkit.sh"
  [ -x "$script" ] || return 0
  "$script" 2>>"$log" | tail -n 1
}

main() {
  [ "${RISKLINE_NATIVE:-1}" = "0" ] && { echo "riskline: native build skipped (RISKLINE_NATIVE=0); the ts backend will run"; exit 0; }
  command -v g++ >/dev/null 2>&1 || command -v c++ >/dev/null 2>&1 || fail "no C++ compiler"
  command -v python3 >/dev/null 2>&1 || fail "no python3 for node-gyp"
  local blas nvcc gyp
  blas="$(openblas)"
  nvcc="$(nvcc_path)"
  gyp="$root/node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || fail "node-gyp not found"
  local nodedir=/usr
  [ -f /usr/include/node/node_api.h ] || nodedir="$(dirname "$(dirname "$(command -v node)")")"
  local start=$SECONDS
  if ! gyp_build "$gyp" "$nodedir" "$blas" "$nvcc"; then
    # A CUDA target that does not build must not cost the cpu backend: build again without it.
    [ -n "$nvcc" ] || fail "node-gyp rebuild: $(first_error); see .cache/native/build.log"
    echo "riskline: cuda addon build failed ($(first_error)); building the cpu backend alone"
    nvcc=""
    gyp_build "$gyp" "$nodedir" "$blas" "" || fail "node-gyp rebuild: $(first_error); see .cache/native/build.log"
  fi
  [ -f build/Release/riskline_cpu.node ] || fail "build/Release/riskline_cpu.node missing after the build"
  local what="OpenBLAS"
  [ "$blas" = 1 ] || what="no BLAS: plain C++ loops"
  echo "riskline: native backends built in $((SECONDS - start)) s ($SECONDS s with the toolkits): cpu ($what)${nvcc:+, cuda}"
}

gyp_build() {
  echo "== node-gyp rebuild -Dopenblas=$3 -Dnvcc=$4" >>"$log"
  node "$1" rebuild --nodedir="$2" -j 2 -- -Dopenblas="$3" -Dnvcc="$4" >>"$log" 2>&1
}

first_error() { grep -m1 -E 'error|Error' "$log" | cut -c1-160; }

main "$@"
exit 0
