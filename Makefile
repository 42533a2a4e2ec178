# SPDX-License-Identifier: Apache-2.0
# The front door. `make run` starts the service; `make test` installs what is missing, builds
# and runs the whole suite (release; ASan+UBSan with the fuzz targets run briefly; TSan on the
# concurrency programs).
.PHONY: all deps test-deps build run test test-release test-asan test-tsan test-fuzz bench fuzz clean

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
DB ?= ./data/cartflow.db
PORT ?= 3000

all: build

# What building and running needs; test-deps adds the test suite's packages and npm peers.
deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# Builds only the cartflow program, loads the sample catalog (idempotent) and serves.
run: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target cartflow
	@./build/release/cartflow catalog load --db $(DB)
	@./build/release/cartflow serve --db $(DB) --port $(PORT)

test: test-deps
	@scripts/test-all.sh

test-release: test-deps
	@scripts/test-all.sh release

test-asan: test-deps
	@scripts/test-all.sh asan

test-tsan: test-deps
	@scripts/test-all.sh tsan

test-fuzz: test-deps
	@scripts/test-all.sh fuzz

bench: test-deps build
	@scripts/bench.sh

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) --target fuzz_all
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# The Lambda packages: build/lambda/cartflow-{x86_64,arm64}.zip and cartflow.zip (LAMBDA_ARCH,
# default arm64). Installs the arm64 cross toolchain on first use (scripts/install-deps.sh --lambda).
.PHONY: lambda
lambda: deps
	@JOBS=$(JOBS) scripts/package-lambda.sh

clean:
	rm -rf build
