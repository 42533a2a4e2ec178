# SPDX-License-Identifier: Apache-2.0
# Build pieces of the api handler, included from src/CMakeLists.txt after the functions layer:
# util (UUIDs, SHA-256 of idempotent requests) and the OpenAPI document embedded at build
# time (openapi.yaml -> YAML and JSON byte arrays).
if(TARGET cartflow_functions)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(_openapi_src ${PROJECT_SOURCE_DIR}/openapi.yaml)
  set(_openapi_cpp ${PROJECT_BINARY_DIR}/generated/api_openapi_data.cpp)
  add_custom_command(
    OUTPUT ${_openapi_cpp}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/generated
    COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/api_openapi_embed.py
            ${_openapi_src} ${_openapi_cpp}
    DEPENDS ${_openapi_src} ${CMAKE_CURRENT_LIST_DIR}/api_openapi_embed.py
    COMMENT "Embedding openapi.yaml (YAML and JSON)"
    VERBATIM)
  target_sources(cartflow_functions PRIVATE ${_openapi_cpp})
  target_link_libraries(cartflow_functions PRIVATE cartflow_util)
endif()
