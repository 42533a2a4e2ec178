# SPDX-License-Identifier: Apache-2.0
# Model benchmarks: the codec itself, and the JSON library comparison behind
# docs/JSON_LIBRARY.md (Boost.JSON and RapidJSON are used by the comparison only).
cartflow_bench(bench_model_codec SOURCES ${CMAKE_CURRENT_LIST_DIR}/model_codec.cpp LIBS cartflow_model)

find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(RapidJSON REQUIRED)
cartflow_bench(bench_json_libraries SOURCES ${CMAKE_CURRENT_LIST_DIR}/json_libraries.cpp
  LIBS cartflow_model simdjson::simdjson Boost::json)
target_include_directories(bench_json_libraries SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIRS})
target_compile_definitions(bench_json_libraries PRIVATE RAPIDJSON_HAS_STDSTRING=1)

# The same On-Demand parser compiled for this machine's SIMD kernel instead of simdjson's
# portable builtin one (what an -march build would give); measures what runtime dispatch buys.
cartflow_bench(bench_json_ondemand_native SOURCES ${CMAKE_CURRENT_LIST_DIR}/model_codec.cpp
  ${PROJECT_SOURCE_DIR}/src/model/dynamo_json_parse.cpp
  ${PROJECT_SOURCE_DIR}/src/model/json_parse_common.cpp
  ${PROJECT_SOURCE_DIR}/src/model/plain_json_parse.cpp
  LIBS cartflow_model simdjson::simdjson)
target_compile_options(bench_json_ondemand_native PRIVATE -march=native)
