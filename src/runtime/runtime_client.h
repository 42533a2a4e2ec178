// SPDX-License-Identifier: Apache-2.0
#pragma once

// RuntimeClient: the HTTP side of a Lambda custom runtime, speaking the Runtime API
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) over ONE kept-alive
// HTTP/1.1 connection to AWS_LAMBDA_RUNTIME_API ("host:port"). A blocking client: Lambda freezes
// the process between invocations, and one runtime serves one invocation at a time.
// Not thread-safe: one thread drives a client. The socket and parser types stay in the .cpp.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "functions/handler.h"
#include "model/result.h"

namespace cartflow::runtime {

// Lambda's limit for a synchronous request or response payload: 6 MB.
inline constexpr std::size_t kMaxPayloadBytes = 6 * 1024 * 1024;

// One invocation as /invocation/next delivers it.
struct Invocation {
  functions::InvocationContext context;  // request id, ARN, deadline, trace id
  std::string client_context;            // Lambda-Runtime-Client-Context (JSON), may be empty
  std::string cognito_identity;          // Lambda-Runtime-Cognito-Identity (JSON), may be empty
  std::string event;                     // the event document (JSON)
};

// The error document Lambda expects on /error and /init/error.
struct ErrorDocument {
  std::string error_type;     // errorType; also sent as Lambda-Runtime-Function-Error-Type
  std::string error_message;  // errorMessage
};

// {"errorMessage":...,"errorType":...,"stackTrace":[]} with JSON escaping.
std::string error_document_json(const ErrorDocument& error);

// Splits AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001", "[::1]:9001", "localhost:9001").
// kInvalidArgument when there is no port or the port is not 1..65535.
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
};
model::Result<Endpoint> parse_endpoint(std::string_view text);

class RuntimeClient {
 public:
  // Connects lazily: the first request opens the connection (resolving `host` unless it is a
  // numeric address, which needs no name service).
  explicit RuntimeClient(Endpoint endpoint);
  ~RuntimeClient();
  RuntimeClient(const RuntimeClient&) = delete;
  RuntimeClient& operator=(const RuntimeClient&) = delete;

  // Opens the connection now (init does slow work ahead). kUnavailable when it cannot connect.
  model::Status connect();

  // GET /2018-06-01/runtime/invocation/next; blocks with no timeout until Lambda has an event.
  // Fails kUnavailable when the connection fails twice in a row (the client reconnects once),
  // kInternal on a non-200 answer (Lambda answers 500 when the runtime must exit), or
  // kInvalidArgument when the answer lacks a request id or exceeds kMaxPayloadBytes.
  model::Result<Invocation> next();

  // POST /invocation/{id}/response. kInvalidArgument (not sent) when `body` exceeds
  // kMaxPayloadBytes, or when Lambda answers 4xx (413 too large, 400 already answered);
  // kUnavailable on connection failure; kInternal on a 5xx answer (the runtime must exit).
  model::Status post_response(std::string_view request_id, std::string_view body);

  // POST /invocation/{id}/error with the error document and its type header. Fails as
  // post_response.
  model::Status post_error(std::string_view request_id, const ErrorDocument& error);

  // POST /runtime/init/error: init failed; the caller exits non-zero afterwards.
  model::Status post_init_error(const ErrorDocument& error);

  // Number of TCP connections opened so far (1 when the connection was reused throughout).
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartflow::runtime
