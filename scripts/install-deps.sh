#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages cartflow needs to build and test, only those missing, so a
# machine that has them all needs no root. Then installs the pinned npm test peers from the
# lockfile (test/peers), when that folder exists and its node_modules is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libsimdjson-dev rapidjson-dev
  libsqlite3-dev sqlite3 libssl-dev libcurl4-openssl-dev
  libfmt-dev libspdlog-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  zip unzip jq curl wrk
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f tests/peers/package-lock.json ]; then
  if [ ! -f tests/peers/node_modules/.package-lock.json ] ||
     ! cmp -s tests/peers/package-lock.json tests/peers/node_modules/.lock-stamp; then
    echo "install-deps: npm ci in tests/peers"
    (cd tests/peers && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp tests/peers/package-lock.json tests/peers/node_modules/.lock-stamp
  fi
fi
