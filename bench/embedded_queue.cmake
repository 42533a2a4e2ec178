# SPDX-License-Identifier: Apache-2.0
# Embedded queue throughput against raw SQLite statements (the ceiling), durability on.
cartflow_bench(bench_embedded_queue SOURCES ${CMAKE_CURRENT_LIST_DIR}/embedded_queue.cpp
  LIBS cartflow_embedded cartflow_test_support SQLite::SQLite3)
