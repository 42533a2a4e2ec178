# SPDX-License-Identifier: Apache-2.0
# simdjson as a static library built from its source, for the Lambda package only
# (scripts/package-lambda.sh passes -Dsimdjson_DIR=<this folder>, for both architectures).
# Debian ships simdjson only as a shared object linked to libstdc++.so.6; built from source it
# lets the package link libstdc++ and libgcc statically, so lib/ holds only glibc. The source,
# CARTFLOW_SIMDJSON_SOURCE, is the single-file simdjson.cpp of Debian's own source package of the
# installed libsimdjson-dev (scripts/package-lambda.sh fetches it from Debian's archive); its
# header is the system's /usr/include/simdjson.h of the same release, so the normal build and the
# package parse JSON with the same code.
set(simdjson_VERSION 3.0.1)
find_path(SIMDJSON_STATIC_INCLUDE simdjson.h PATHS /usr/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)
file(STRINGS ${SIMDJSON_STATIC_INCLUDE}/simdjson.h simdjson_version_line REGEX "^#define SIMDJSON_VERSION "
  LIMIT_COUNT 1)
if(NOT simdjson_version_line STREQUAL "#define SIMDJSON_VERSION ${simdjson_VERSION}")
  message(FATAL_ERROR "${SIMDJSON_STATIC_INCLUDE}/simdjson.h is not simdjson ${simdjson_VERSION} (${simdjson_version_line}): "
                      "CARTFLOW_SIMDJSON_SOURCE must come from the same release")
endif()
if(NOT TARGET simdjson::simdjson)
  if(NOT EXISTS "${CARTFLOW_SIMDJSON_SOURCE}")
    message(FATAL_ERROR "CARTFLOW_SIMDJSON_SOURCE (simdjson.cpp of Debian's simdjson source package) is not set or missing: "
                        "build the Lambda package with scripts/package-lambda.sh")
  endif()
  add_library(cartflow_simdjson_static STATIC ${CARTFLOW_SIMDJSON_SOURCE})
  target_include_directories(cartflow_simdjson_static SYSTEM PUBLIC ${SIMDJSON_STATIC_INCLUDE})
  # As Debian's libsimdjson-dev exports it.
  target_compile_definitions(cartflow_simdjson_static PUBLIC SIMDJSON_THREADS_ENABLED=1)
  target_link_libraries(cartflow_simdjson_static PUBLIC Threads::Threads)
  set_target_properties(cartflow_simdjson_static PROPERTIES POSITION_INDEPENDENT_CODE ON)
  # Parsing speed over size, whatever the build's own level (the package builds at -Os).
  target_compile_options(cartflow_simdjson_static PRIVATE -O3)
  add_library(simdjson::simdjson ALIAS cartflow_simdjson_static)
endif()
set(simdjson_FOUND TRUE)
