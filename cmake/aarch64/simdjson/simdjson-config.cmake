# SPDX-License-Identifier: Apache-2.0
# simdjson for the arm64 cross build. Debian's libsimdjson-dev cannot be installed for two
# architectures at once (it is not Multi-Arch: same), so this uses the build machine's
# architecture-independent header (/usr/include/simdjson.h) with the arm64 shared object from
# libsimdjson14:arm64. Same version on both sides (Debian 12: 3.0.1).
set(simdjson_VERSION 3.0.1)
find_path(SIMDJSON_AARCH64_INCLUDE simdjson.h PATHS /usr/include NO_DEFAULT_PATH REQUIRED)
find_file(SIMDJSON_AARCH64_LIBRARY libsimdjson.so.14 PATHS /usr/lib/aarch64-linux-gnu
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)
if(NOT TARGET simdjson::simdjson)
  add_library(simdjson::simdjson SHARED IMPORTED)
  set_target_properties(simdjson::simdjson PROPERTIES
    IMPORTED_LOCATION ${SIMDJSON_AARCH64_LIBRARY}
    IMPORTED_SONAME libsimdjson.so.14
    INTERFACE_INCLUDE_DIRECTORIES ${SIMDJSON_AARCH64_INCLUDE}
    INTERFACE_COMPILE_DEFINITIONS "SIMDJSON_THREADS_ENABLED=1")
endif()
set(simdjson_FOUND TRUE)
