// SPDX-License-Identifier: Apache-2.0
#pragma once

// One event per handler, as Lambda delivers them, and the check that the handler's answer is
// a success: shared by the binary, package and @vercel/fun tests.

#include <string>

#include "lambda_process.h"

namespace cartflow::tests {

inline std::string api_products_event() {
  return R"({"resource":"/products","path":"/products","httpMethod":"GET","headers":{"Accept":"application/json"},)"
         R"("multiValueHeaders":{},"queryStringParameters":null,"multiValueQueryStringParameters":null,)"
         R"("pathParameters":null,"stageVariables":null,"requestContext":{"resourcePath":"/products",)"
         R"("httpMethod":"GET","stage":"Dev","requestId":"req-api-1","identity":{"sourceIp":"127.0.0.1"}},)"
         R"("body":null,"isBase64Encoded":false})";
}

inline std::string stream_event() {
  return read_file(std::string(CARTFLOW_SOURCE_DIR) + "/tests/data/events/order_stream_event.json");
}

inline std::string sqs_event() {
  return read_file(std::string(CARTFLOW_SOURCE_DIR) + "/tests/data/events/order_sqs_event.json");
}

// The event for handler `name`.
inline std::string event_for(const std::string& name) {
  if (name == "api") return api_products_event();
  if (name == "process-cart-products") return stream_event();
  return sqs_event();
}

// What a successful answer of handler `name` contains.
inline std::string success_marker(const std::string& name) {
  if (name == "api") return "\"statusCode\":200";
  return "\"batchItemFailures\":[]";
}

}  // namespace cartflow::tests
