#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages cartflow needs, only those missing, so a machine that has them
# all needs no root.
#   install-deps.sh           what building and running needs (`make run`, `make build`)
#   install-deps.sh --test    that, plus what the test suite needs: its Debian packages and the
#                             pinned npm test peers from the lockfile (tests/peers), when its
#                             node_modules is stale (`make test`)
#   install-deps.sh --lambda  the arm64 cross toolchain for `make lambda`
set -euo pipefail
cd "$(dirname "$0")/.."

# --lambda: only the extra packages `make lambda` needs (the arm64 cross toolchain, the arm64
# -dev libraries the package bundles, qemu-user to smoke-test it). Not part of the default list.
install_lambda_deps() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  local lambda_packages=(
    g++-aarch64-linux-gnu qemu-user-static zip unzip advancecomp
    libssl-dev:arm64 libsqlite3-dev:arm64 libfmt-dev:arm64
    libc6-dev:arm64  # simdjson: built from source for the package (cmake/simdjson-static)
  )
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "install-deps: adding the arm64 architecture"
    $sudo dpkg --add-architecture arm64
    $sudo apt-get update -qq
  fi
  local missing=() p
  for p in "${lambda_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
if [ "${1:-}" = "--lambda" ]; then
  install_lambda_deps
  exit 0
fi

# Building (the release preset also configures the tests and benchmarks, so their libraries
# are needed to configure) and running.
packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libsimdjson-dev rapidjson-dev
  libsqlite3-dev sqlite3 libssl-dev
  libfmt-dev libspdlog-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  curl
)
# Only the tests use these.
test_packages=(
  zip unzip jq wrk
  chromium  # the browser tests (tests/web): headless, driven by puppeteer-core
  prometheus  # promtool: tests/e2e lint a live /metrics
)
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true
$with_tests && packages+=("${test_packages[@]}")
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

if $with_tests && [ -f tests/peers/package-lock.json ]; then
  if [ ! -f tests/peers/node_modules/.package-lock.json ] ||
     ! cmp -s tests/peers/package-lock.json tests/peers/node_modules/.lock-stamp; then
    echo "install-deps: npm ci in tests/peers"
    (cd tests/peers && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp tests/peers/package-lock.json tests/peers/node_modules/.lock-stamp
  fi
fi
