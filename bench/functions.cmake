# SPDX-License-Identifier: Apache-2.0
# CPU cost per record of the two event functions, with in-memory ports (no I/O): parsing the
# Lambda event, deciding, building requests and messages, logging, the response.
cartflow_bench(bench_functions SOURCES ${CMAKE_CURRENT_LIST_DIR}/functions.cpp
  LIBS cartflow_functions cartflow_test_support)
