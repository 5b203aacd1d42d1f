#!/usr/bin/env bash
# One short run on a machine with an NVIDIA GPU: rebuilds the cuda addon there, runs
# test/unit/native/cuda.test.ts with the device present (every kernel against CounterRng draws,
# Hull's printed value and the ts reference) and the benchmark tools/gpu/bench-cuda.mjs (5,000
# positions × 100,000 scenarios, full revaluation, cuda against cpu). About 2-3 minutes.
#
# The GPU machine has no network and takes at most 64 MiB besides the working tree, so:
#   1. here, first: `bash tools/gpu/pack.sh` (packs node, Node-API headers, the node_modules the
#      test and benchmark need, the cpu addon with its OpenBLAS, into .cache/gpu, about 40 MiB);
#   2. then: run(command: "bash tools/gpu/check.sh", carry: [".cache/gpu"], timeout_s: 420).
# nvcc is the GPU image's own (CUDA 13.0 at /usr/local/cuda; RISKLINE_NVCC overrides, and a carried
# .cache/cuda toolkit is used if there is one); the kernels build with the flags of
# native/cuda/cuda.gypi, read from it. Without nvcc the addon built here (in .cache/gpu) is used.
# Results land in $OUT: check.log, cuda-test.tap, cuda-bench.json. Exit status: 0 when the
# test passed and the benchmark ran.
set -uo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root" || exit 2
pack="$root/.cache/gpu"
OUT="${OUT:-$pack/out}"
export OUT
mkdir -p "$OUT"
exec > >(tee -a "$OUT/check.log") 2>&1
t0=$SECONDS
step() { echo "== [$((SECONDS - t0)) s] $*"; }
status=0
tmp=/tmp/riskline-gpu
mkdir -p "$tmp/bin" build/Release build/cuda-obj

find_nvcc() {
  local c
  for c in "${RISKLINE_NVCC:-}" "$(command -v nvcc)" /usr/local/cuda/bin/nvcc /usr/local/cuda-13*/bin/nvcc \
    .cache/cuda/venv/lib/python3*/site-packages/nvidia/cu13/bin/nvcc; do
    [ -n "$c" ] && [ -x "$c" ] && { readlink -f "$c"; return 0; }
  done
  return 1
}

# The flags, sources and defines of native/cuda/cuda.gypi (a Python literal), so both builds agree.
gypi() {
  python3 -c "import ast,sys; t=ast.literal_eval(open('native/cuda/cuda.gypi').read())['conditions'][0][1]['targets'][0]
k=sys.argv[1]; v=t['variables'][k] if k in t['variables'] else t[k]; print(' '.join(x for x in v if '<' not in x))" "$1"
}

build_cuda() {
  local nvcc="$1" home lib inc src pids=()
  home="$(dirname "$(dirname "$nvcc")")"
  inc="$home/include"
  [ -f "$home/targets/x86_64-linux/include/cuda_runtime_api.h" ] && inc="$home/targets/x86_64-linux/include"
  lib="$(ls "$home"/lib64/libcudart_static.a "$home"/lib/libcudart_static.a \
    "$home"/targets/x86_64-linux/lib/libcudart_static.a 2>/dev/null | head -n 1)"
  [ -n "$lib" ] || { echo "no libcudart_static.a under $home"; return 1; }
  local defs="" d
  for d in $(gypi defines); do defs="$defs -D$d"; done
  for src in $(gypi sources); do
    case "$src" in
      *.cu) "$nvcc" $(gypi nvcc_flags) -c "native/cuda/$src" -o "build/cuda-obj/$src.o" & ;;
      *.cc) g++ -c -O2 -std=c++17 -fPIC -fexceptions -Wall $defs -I"$pack/include" \
        -I"node_modules/node-addon-api" -I"$inc" "native/cuda/$src" -o "build/cuda-obj/$src.o" & ;;
    esac
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || return 1; done
  g++ -shared -o build/Release/riskline_cuda.node build/cuda-obj/*.o "$lib" -ldl -lrt -lpthread
}

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader || echo "nvidia-smi failed"
[ -f "$pack/node.xz" ] || { echo "no .cache/gpu: run tools/gpu/pack.sh here, then carry .cache/gpu"; exit 2; }

step "node, node_modules and the cpu addon's libraries from .cache/gpu"
xz -dc "$pack/node.xz" >"$tmp/bin/node" && chmod +x "$tmp/bin/node"
export PATH="$tmp/bin:$PATH"
node --version
[ -d node_modules/tap ] || tar -xJf "$pack/node_modules.tar.xz"
[ -f "$pack/lib.tar.xz" ] && tar -C "$tmp" -xJf "$pack/lib.tar.xz"
export LD_LIBRARY_PATH="$tmp/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
[ -f "$pack/riskline_cpu.node" ] && cp "$pack/riskline_cpu.node" build/Release/

step "build the cuda addon"
if nvcc="$(find_nvcc)"; then
  "$nvcc" --version | tail -n 2
  export RISKLINE_NVCC="$nvcc" RISKLINE_NODE_INCLUDE="$pack/include"
  build_cuda "$nvcc" || { echo "cuda addon build FAILED"; status=1; }
else
  echo "no nvcc on this machine: using the addon built where tools/gpu/pack.sh ran"
fi
[ -f build/Release/riskline_cuda.node ] || cp "$pack/riskline_cuda.node" build/Release/ || status=1

step "compile the TypeScript (dist/, for the benchmark)"
node node_modules/typescript/bin/tsc -p tsconfig.json >"$OUT/tsc.log" 2>&1 ||
  echo "tsc reported $(grep -c 'error TS' "$OUT/tsc.log") errors (see tsc.log); dist/ is emitted regardless"

step "test/unit/native/cuda.test.ts"
timeout 200 node --import=./node_modules/@tapjs/typescript/dist/esm/import.mjs test/unit/native/cuda.test.ts \
  >"$OUT/cuda-test.tap" 2>&1
rc=$?
grep -E '^(not )?ok |^# \{' "$OUT/cuda-test.tap"
[ "$rc" = 0 ] || { echo "cuda.test.ts FAILED (exit $rc; see cuda-test.tap)"; status=1; }

step "benchmark: tools/gpu/bench-cuda.mjs"
timeout 240 node tools/gpu/bench-cuda.mjs "$@" >"$OUT/bench.log" 2>&1 || { echo "benchmark FAILED"; status=1; }
cat "$OUT/bench.log"

step "done, status $status"
exit "$status"
