#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every libFuzzer target of the fuzz build for SECONDS each (default 60), new inputs kept in
# build/fuzz/corpus/NAME, seeds read from fuzz/corpus/NAME. Prints executions per target and
# fails if any target crashed (its reproducer is left in build/fuzz/).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
status=0
for bin in build/fuzz/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  mkdir -p "build/fuzz/corpus/$name"
  log="build/fuzz/$name.log"
  (cd build/fuzz && "../../$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="crash-$name-" "corpus/$name" "../../fuzz/corpus/$name") >"$log" 2>&1
  rc=$?
  execs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | grep -Eo '[0-9]+$' ||
          grep -Eo '#[0-9]+' "$log" | tail -1 | tr -d '#')
  if [ $rc -eq 0 ]; then echo "fuzz $name: ${execs:-?} executions, no crash"
  else echo "fuzz $name: CRASH (see $log)"; status=1; fi
done
exit $status
