#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and runs the suite under each preset given (default: release asan tsan), and ends
# with one ctest summary line covering every preset: "100% tests passed, 0 tests failed out of N".
# release: every test; asan: our code under clang's ASan+UBSan with libFuzzer instrumentation,
# one build for the unit, concurrency and e2e labels and for each libFuzzer target run briefly
# (the integration label drives external peers and runs in release only); tsan: the programs
# labelled `concurrency`; fuzz (not by default): the fuzz preset's targets briefly.
set -uo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
((${#presets[@]})) || presets=(release asan tsan)
jobs=$(nproc)
total=0; failed=0; failed_names=(); failed_tests=()
for preset in "${presets[@]}"; do
  echo "== preset $preset: configure and build"
  cmake --preset "$preset" >/dev/null || exit 1
  # Each preset builds only what its ctest runs: no benchmarks, and no integration programs
  # under ASan (they run in release only).
  case "$preset" in
    release) target=(--target tests_unit tests_integration tests_concurrency tests_e2e) ;;
    asan) target=(--target tests_unit tests_concurrency tests_e2e fuzz_all) ;;
    tsan) target=(--target tests_concurrency) ;;
    fuzz) target=(--target fuzz_all) ;;
    *) target=() ;;
  esac
  cmake --build --preset "$preset" -j "$jobs" "${target[@]}" || exit 1
  echo "== preset $preset: ctest"
  log="build/$preset/ctest.log"
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
  n=$(grep -Eo 'tests failed out of [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  f=$(grep -Eo '[0-9]+ tests failed out of' "$log" | grep -Eo '^[0-9]+' || echo 0)
  if ! grep -q 'tests failed out of' "$log"; then
    echo "== preset $preset: ctest printed no summary"; f=1; n=$((n + 1))
  fi
  total=$((total + n)); failed=$((failed + f))
  if ((f != 0)); then
    failed_names+=("$preset")
    # ctest lists the failed tests after "The following tests FAILED:"; keep them for the end,
    # where CI's tail shows them.
    failed_tests+=("$(sed -n '/The following tests FAILED/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ' | sed "s/^/  $preset:/")")
  fi
done
echo
echo "== all presets: ${presets[*]}"
if ((failed != 0)); then
  echo "== failures in: ${failed_names[*]}"
  printf '%s\n' "${failed_tests[@]}"
fi
pct=100; ((total > 0)) && pct=$(( (total - failed) * 100 / total ))
echo "${pct}% tests passed, ${failed} tests failed out of ${total}"
((failed == 0))
