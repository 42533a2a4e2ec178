#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the Lambda deployment packages (see docs/DEPLOY.md):
#   build/lambda/cartflow-x86_64.zip, build/lambda/cartflow-arm64.zip and
#   build/lambda/cartflow.zip (a copy of the one for LAMBDA_ARCH, default arm64; the SAM
#   template's CodeUri).
# Each zip holds `bootstrap` (the cartflow program itself, not a script) and lib/ with every
# shared object it loads, the ELF loader included. bootstrap's PT_INTERP is
# /var/task/lib/ld-linux-*.so.* and its DT_RPATH (not RUNPATH: Lambda's LD_LIBRARY_PATH would
# come first) is /var/task/lib, so nothing is taken from the target system. SQLite, OpenSSL,
# simdjson, libstdc++ and libgcc are linked statically: lib/ holds only glibc (loader, libc,
# libm), and the fewer objects to load, the faster the start.
# Environment: LAMBDA_ARCH (arm64|x86_64), LAMBDA_ARCHES (default "x86_64 arm64"), JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

LAMBDA_ARCH=${LAMBDA_ARCH:-arm64}
LAMBDA_ARCHES=${LAMBDA_ARCHES:-"x86_64 arm64"}
JOBS=${JOBS:-2}
out=$root/build/lambda

scripts/install-deps.sh --lambda

# Dead code out: every function and datum in its own section (the package build only; the
# normal build is not changed), and the linker drops the sections nothing reaches
# (--gc-sections). This also keeps what runs closer together, so fewer pages of bootstrap's
# text are touched (and resident) while it serves invocations.
compile_flags() {
  echo "-ffunction-sections -fdata-sections"
}
# And optimised for size (-Os instead of the Release build's -O3): our own code is about half the
# size (6.2 MB of bootstrap's 10 MB at -O3); a Lambda invocation waits on the network far longer
# than it computes. simdjson keeps -O3 (cmake/simdjson-static): parsing is its hot loop.
release_flags() {
  echo "-Os -DNDEBUG"
}

# x86_64 also gets -z pack-relative-relocs: the ~23,000 relative relocations of the PIE as
# DT_RELR (7 KB instead of 550 KB of .rela.dyn that the loader reads at every start), 0.6 MB less
# resident memory; the bundled loader (glibc 2.36) understands it, whatever glibc the target
# has. Debian 12's aarch64 linker (binutils 2.40) cannot pack them yet.
link_flags() {  # $1: loader file name
  local flags="-Wl,--dynamic-linker=/var/task/lib/$1 -Wl,-rpath,/var/task/lib -Wl,--disable-new-dtags"
  flags+=" -Wl,--gc-sections -Wl,-O1 -Wl,--as-needed -static-libstdc++ -static-libgcc"
  [ "$1" = ld-linux-x86-64.so.2 ] && flags+=" -Wl,-z,pack-relative-relocs"
  echo "$flags"
}

# Fewer shared objects start faster and leave out what the program does not use: SQLite and
# OpenSSL are linked from their static archives ($1: multiarch directory), simdjson is built
# from its source (cmake/simdjson-static: Debian ships it only as a shared object linked to
# libstdc++.so.6), so libstdc++ and libgcc can be static too (-static-libstdc++ above). glibc's
# libm stays shared: its static archive needs the static libc's internals.
static_libs() {
  echo "-DSQLite3_LIBRARY=/usr/lib/$1/libsqlite3.a -DOPENSSL_USE_STATIC_LIBS=TRUE" \
       "-DOPENSSL_CRYPTO_LIBRARY=/usr/lib/$1/libcrypto.a -DOPENSSL_SSL_LIBRARY=/usr/lib/$1/libssl.a" \
       "-Dsimdjson_DIR=$root/cmake/simdjson-static -DCARTFLOW_SIMDJSON_SOURCE=$simdjson_source"
}

# simdjson's single-file source, from Debian's own source package of the libsimdjson-dev that is
# installed (same release, so the same code as the normal build's shared library). Fetched once
# from Debian's archive with a private deb-src list (the machine's apt configuration is not
# touched) into build/lambda/simdjson-src/.
fetch_simdjson_source() {
  local dir=$root/build/lambda/simdjson-src version
  version=$(dpkg-query -W -f='${Version}' libsimdjson-dev)
  simdjson_source=$dir/simdjson.cpp
  [ -f "$simdjson_source" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$version" ] && return 0
  rm -rf "$dir"; mkdir -p "$dir/apt/lists/partial"
  echo "deb-src http://deb.debian.org/debian bookworm main" >"$dir/apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
              -o "Dir::State::Lists=$dir/apt/lists")
  echo "package-lambda: fetching Debian's source package simdjson=$version"
  apt-get "${opts[@]}" update -qq
  (cd "$dir" && apt-get "${opts[@]}" source --download-only "simdjson=$version" >/dev/null 2>&1)
  tar -xzf "$dir"/simdjson_*.orig.tar.gz -C "$dir" --wildcards '*/singleheader/simdjson.cpp' '*/LICENSE'
  mv "$dir"/simdjson-*/singleheader/simdjson.cpp "$simdjson_source"
  echo "$version" >"$dir/version"
}
fetch_simdjson_source

# Lists the absolute paths of the shared objects program $2 loads, for arch $1.
library_closure() {
  local arch=$1 program=$2
  if [ "$arch" = x86_64 ]; then
    LD_TRACE_LOADED_OBJECTS=1 /lib64/ld-linux-x86-64.so.2 "$program"
  else
    LD_TRACE_LOADED_OBJECTS=1 qemu-aarch64-static -L / /usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1 \
      --library-path /usr/lib/aarch64-linux-gnu:/usr/aarch64-linux-gnu/lib "$program"
  fi | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | grep -v '^/var/task/' | sort -u
}

# The build machine's ELF loader for arch $1 (bootstrap's PT_INTERP names its copy in lib/).
host_loader() {
  if [ "$1" = x86_64 ]; then echo /lib64/ld-linux-x86-64.so.2
  else echo /usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1; fi
}

build_arch() {
  local arch=$1 dir=$root/build/lambda-$1 loader toolchain=() strip=strip multiarch
  if [ "$arch" = x86_64 ]; then
    loader=ld-linux-x86-64.so.2 multiarch=x86_64-linux-gnu
  else
    loader=ld-linux-aarch64.so.1 multiarch=aarch64-linux-gnu
    toolchain=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake")
    strip=aarch64-linux-gnu-strip
  fi
  echo "package-lambda: building $arch in $dir"
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCARTFLOW_BUILD_TESTS=OFF -DCARTFLOW_BUILD_BENCH=OFF -DCARTFLOW_BUILD_FUZZ=OFF \
    "${toolchain[@]}" $(static_libs "$multiarch") -DCMAKE_CXX_FLAGS="$(compile_flags)" \
    -DCMAKE_CXX_FLAGS_RELEASE="$(release_flags)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(link_flags $loader)" >/dev/null
  cmake --build "$dir" -j "$JOBS" --target cartflow

  local stage=$dir/package
  rm -rf "$stage" && mkdir -p "$stage/lib"
  cp "$dir/cartflow" "$stage/bootstrap"
  $strip --strip-all "$stage/bootstrap"
  chmod 755 "$stage/bootstrap"
  local lib
  for lib in $(library_closure "$arch" "$dir/cartflow") $(host_loader "$arch"); do
    cp -L "$lib" "$stage/lib/$(basename "$lib")"
  done
  [ -f "$stage/lib/$loader" ] || { echo "package-lambda: $loader missing from the closure" >&2; exit 1; }
  chmod 755 "$stage/lib/"*
  mkdir -p "$out"
  rm -f "$out/cartflow-$arch.zip"
  # -X: no extra file attributes; fixed order and times keep the zip reproducible enough; -9:
  # the smallest deflate zip writes. advzip (advancecomp) then recompresses each entry with
  # zopfli, still plain deflate that Lambda and unzip read: about 3 % smaller (x86_64, 2026-12-05:
  # 5,056,671 -> 4,892,103 bytes) for about 20 s per package.
  (cd "$stage" && find . -exec touch -h -d '2020-01-01 00:00:00' {} + &&
   zip -q -9 -X -r "$out/cartflow-$arch.zip" bootstrap lib)
  advzip -q -z -3 "$out/cartflow-$arch.zip"
  unzip -tq "$out/cartflow-$arch.zip" >/dev/null
  echo "package-lambda: $out/cartflow-$arch.zip ($(stat -c %s "$out/cartflow-$arch.zip") bytes;" \
       "lib/: $(ls "$stage/lib" | tr '\n' ' '))"
}

for arch in $LAMBDA_ARCHES; do
  build_arch "$arch"
done
cp "$out/cartflow-$LAMBDA_ARCH.zip" "$out/cartflow.zip"
echo "package-lambda: $out/cartflow.zip is the $LAMBDA_ARCH package"
