#!/usr/bin/env bash
# Run HERE (a machine with the project installed: npm ci done, build/ built) before a GPU check.
# The GPU machine has no network and receives at most 64 MiB besides the working tree, so this
# packs into .cache/gpu (about 40 MB) what tools/gpu/check.sh needs there and cannot fetch:
#   node.xz               this machine's node binary (the GPU image has Python and CUDA, not Node)
#   include/              Node-API headers (node_api.h and friends) for compiling the host glue
#   node_modules.tar.xz   node_modules without the lint tools (tap, typescript, node-addon-api, …)
#   riskline_cpu.node     the cpu addon built here, with its shared libraries in lib/ (OpenBLAS)
#   riskline_cuda.node    the cuda addon built here: used only if the GPU machine has no nvcc
# nvcc itself is not carried (278 MB): the GPU image has CUDA 13.0's. Reruns reuse node.xz and
# node_modules.tar.xz while node's version and package-lock.json are unchanged. Then, from a session:
#   run(command: "bash tools/gpu/check.sh", carry: [".cache/gpu"], timeout_s: 420)
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dst="$root/.cache/gpu"
cd "$root"
mkdir -p "$dst/include"
start=$SECONDS

stamp() { [ -f "$dst/$1.stamp" ] && [ "$(cat "$dst/$1.stamp")" = "$2" ] && [ -f "$dst/$1" ]; }

node_id="$(node --version) $(stat -c %s "$(command -v node)")"
if ! stamp node.xz "$node_id"; then
  xz -T0 -6 -c "$(readlink -f "$(command -v node)")" >"$dst/node.xz"
  echo "$node_id" >"$dst/node.xz.stamp"
fi

for h in node_api.h node_api_types.h js_native_api.h js_native_api_types.h; do
  cp "$(node -p 'process.config.variables.node_prefix || "/usr"')/include/node/$h" "$dst/include/" 2>/dev/null ||
    cp "/usr/include/node/$h" "$dst/include/"
done

lock_id="$(cat package-lock.json tools/gpu/closure.mjs | sha256sum | cut -c1-16)"
if ! stamp node_modules.tar.xz "$lock_id"; then
  # Only what check.sh runs needs (tools/gpu/closure.mjs). tar exits 1 when a file changes while
  # read (an npm install beside this): the copy is still whole.
  node tools/gpu/closure.mjs "$root" >"$dst/node_modules.list"
  tar -cf "$dst/node_modules.tar" --warning=no-file-changed -T "$dst/node_modules.list" || [ $? -eq 1 ]
  xz -T0 -6 -f "$dst/node_modules.tar"
  echo "$lock_id" >"$dst/node_modules.tar.xz.stamp"
fi

rm -rf "$dst/lib" "$dst"/*.node "$dst/lib.tar.xz" "$dst/out"
for addon in riskline_cpu riskline_cuda; do
  [ -f "build/Release/$addon.node" ] && cp "build/Release/$addon.node" "$dst/"
done
if [ -f "$dst/riskline_cpu.node" ]; then
  # Its libraries beyond glibc and libstdc++ (OpenBLAS, gfortran, quadmath) travel with it.
  mkdir -p "$dst/lib"
  ldd "$dst/riskline_cpu.node" | awk '$3 ~ /^\// {print $3}' |
    grep -v -E '/(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L "$lib" "$dst/lib/"; done
  tar -C "$dst" -cJf "$dst/lib.tar.xz" lib && rm -rf "$dst/lib"
fi

size=$(du -sm "$dst" | cut -f1)
echo "tools/gpu/pack.sh: .cache/gpu is ${size} MiB, packed in $((SECONDS - start)) s"
[ "$size" -lt 60 ] || { echo "tools/gpu/pack.sh: over the 60 MiB that may travel beside the tree" >&2; exit 1; }
