# SPDX-License-Identifier: Apache-2.0
# Raw HTTP requests through the local API Gateway into the api handler on a scratch store.
if(TARGET cartflow_platform)
  cartflow_fuzz(http_api LIBS cartflow_platform simdjson::simdjson)
  # Same Asio configuration as cartflow_platform (one definition rule).
  target_compile_definitions(fuzz_http_api PRIVATE BOOST_ASIO_NO_DEPRECATED)
endif()
