# SPDX-License-Identifier: Apache-2.0
# The front door. `make run` starts the service; `make test` installs what is missing, builds
# and runs the whole suite (release, then ASan+UBSan, then the fuzz targets briefly).
.PHONY: all deps build run test test-release test-asan test-fuzz bench fuzz clean

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	./build/release/cartflow --help

test: deps
	@scripts/test-all.sh

test-release: deps
	@scripts/test-all.sh release

test-asan: deps
	@scripts/test-all.sh asan

test-fuzz: deps
	@scripts/test-all.sh fuzz

bench: build
	@scripts/bench.sh

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build
