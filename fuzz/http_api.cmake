# SPDX-License-Identifier: Apache-2.0
# Raw HTTP requests through the local API Gateway into the api handler on a scratch store.
if(TARGET cartflow_platform)
  # Each input writes to the store through the writer thread: a thousand runs in the test suite.
  cartflow_fuzz(http_api RUNS 1000 LIBS cartflow_platform simdjson::simdjson)
  # Same Asio configuration as cartflow_platform (one definition rule).
  target_compile_definitions(fuzz_http_api PRIVATE BOOST_ASIO_NO_DEPRECATED)
endif()
