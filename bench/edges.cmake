# SPDX-License-Identifier: Apache-2.0
# The edges alone: Lambda event decode/encode, filter matching, SigV4 signing, API routing.
if(TARGET cartflow_aws)
  cartflow_bench(bench_edges SOURCES ${CMAKE_CURRENT_LIST_DIR}/edges.cpp
    LIBS cartflow_events cartflow_functions cartflow_aws)
  target_compile_definitions(bench_edges PRIVATE CARTFLOW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
