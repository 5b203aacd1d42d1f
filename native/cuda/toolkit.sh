#!/usr/bin/env bash
# Installs a CUDA toolkit (nvcc, cicc, crt and runtime headers, libcudart_static.a) from PyPI wheels
# into .cache/cuda/venv and prints nvcc's path as the LAST line of stdout. Idempotent (a present
# toolkit is reused without touching the network) and never fails the install: with no Python,
# no registry or any error it prints an empty last line and exits 0, and the build skips CUDA.
# Why CUDA 13: of PyPI's wheels only nvidia-cuda-nvcc 13.x ships the nvcc driver itself (the
# -cu12 wheels hold ptxas and libnvvm alone). The addon it builds needs an R580+ driver on a GPU.
# RISKLINE_CUDA=0 skips it altogether.
set -u
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.cache/cuda/venv"
version="13.0.88"
runtime="13.0.96"
log="$root/.cache/cuda/install.log"

find_nvcc() {
  local p
  for p in "$venv"/lib/python3*/site-packages/nvidia/cu13/bin/nvcc; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

main() {
  [ "${RISKLINE_CUDA:-1}" = "0" ] && return 0
  [ "$(uname -sm)" = "Linux x86_64" ] || return 0
  if nvcc="$(find_nvcc)" && [ -f "$(dirname "$nvcc")/../lib/libcudart_static.a" ]; then
    echo "$nvcc"
    return 0
  fi
  command -v python3 >/dev/null || return 0
  mkdir -p "$root/.cache/cuda"
  {
    python3 -m venv "$venv" &&
      "$venv/bin/pip" install --disable-pip-version-check --no-input -q \
        "nvidia-cuda-nvcc==$version" "nvidia-cuda-crt==$version" "nvidia-nvvm==$version" \
        "nvidia-cuda-runtime==$runtime"
  } >"$log" 2>&1 || { echo "cuda toolkit: pip install failed, see $log" >&2; return 0; }
  nvcc="$(find_nvcc)" || return 0
  echo "$nvcc"
}

# The path (or an empty line) is always the last line, whatever failed above.
printf '%s\n' "$(main | tail -n 1)"
