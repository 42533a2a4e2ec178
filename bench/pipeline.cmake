# SPDX-License-Identifier: Apache-2.0
# The order pipeline on the embedded store, wired as `cartflow serve` wires it: sustained orders/s
# and commit-to-ORDERED lag at half that rate. A plain program (not Google Benchmark: it runs
# two timed phases and writes its own JSON), run by scripts/bench.sh.
add_executable(pipeline_bench ${CMAKE_CURRENT_LIST_DIR}/pipeline.cpp)
target_link_libraries(pipeline_bench PRIVATE cartflow_app cartflow_test_support cartflow_warnings)
