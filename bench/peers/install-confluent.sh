#!/usr/bin/env bash
# Installs @confluentinc/kafka-javascript (librdkafka bindings, KafkaJS-compatible API) into a side package at
# .cache/peers/, so the Kafka benchmark can measure it as a peer of kafkajs without making it a project dependency.
#
# The default install downloads a prebuilt binary, which cannot be fetched here; CKJS_LINKING=dynamic builds librdkafka
# and the addon from source against the system's zlib, zstd, lz4, OpenSSL and curl (Debian dev packages installed
# below). npm 11 blocks dependency install scripts unless the package is listed in allowScripts, so the side
# package.json allows it. Idempotent: exits at once when the module already loads.
#
# Usage: bash bench/peers/install-confluent.sh   (from anywhere; paths are relative to the repository root)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIDE="$ROOT/.cache/peers"
PKG='@confluentinc/kafka-javascript'
VERSION="${CONFLUENT_KAFKA_VERSION:-^1.10.1}"
DEB_PACKAGES=(zlib1g-dev libzstd-dev liblz4-dev libssl-dev libcurl4-openssl-dev g++ make python3 pkg-config)

loads() {
  [ -d "$SIDE/node_modules/$PKG" ] &&
    (cd "$SIDE" && node -e "require('$PKG').KafkaJS.Kafka" >/dev/null 2>&1)
}

if loads; then
  echo "$PKG already installed in $SIDE"
  exit 0
fi

start=$(date +%s)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=''
  if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

mkdir -p "$SIDE"
cat >"$SIDE/package.json" <<JSON
{
  "name": "riskline-bench-peers",
  "version": "0.0.0",
  "private": true,
  "description": "Side install of Kafka clients measured as peers of kafkajs; not a dependency of riskline",
  "dependencies": {
    "$PKG": "$VERSION"
  },
  "allowScripts": {
    "$PKG": true
  }
}
JSON

# Build the addon against the installed Node headers (no header download) when they are present.
if [ -f /usr/include/node/node_version.h ] && [ -z "${npm_config_nodedir:-}" ]; then
  export npm_config_nodedir=/usr
fi

(cd "$SIDE" && CKJS_LINKING=dynamic npm install --no-audit --no-fund --no-package-lock --foreground-scripts)

if ! loads; then
  echo "$PKG was installed in $SIDE but does not load" >&2
  (cd "$SIDE" && node -e "require('$PKG')") || true
  exit 1
fi
echo "$PKG installed in $SIDE in $(($(date +%s) - start)) s"
