// SPDX-License-Identifier: Apache-2.0
#pragma once

// X-Ray tracing of AWS calls, as the AWS SDKs do it inside Lambda: while an invocation is
// traced (its trace header has a Root, a Parent and Sampled=1), every DynamoDB, DynamoDB
// Streams and SQS request carries `X-Amzn-Trace-Id: Root=...;Parent=<subsegment id>;Sampled=1`
// and each call (its retries included) is sent to the X-Ray daemon as one subsegment document
// over UDP: the line `{"format":"json","version":1}`, a newline, then the document (trace_id,
// parent_id, id, start_time, end_time, namespace "aws", http status, aws.operation, aws.region,
// aws.request_id, aws.retries, aws.table_name or aws.queue_url, error/fault/throttle flags).
// A header with Sampled=0 is passed on as it came and nothing is sent to the daemon.
//
// Who does what: the runtime loop tells the Tracer which invocation runs (begin/end); the
// JsonClient (through its HttpClient's tracer()) wraps each call in a TracedCall. Without a
// Tracer, or between invocations, a call costs one pointer test (and one mutex when a Tracer
// is set but the invocation is not traced).
// Threading: Tracer is thread-safe (calls of one invocation may run on several threads).
// A lost datagram (no daemon listening) never fails a call: UDP sends are fire and forget.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_client.h"
#include "model/result.h"

namespace cartflow::aws {

// The parts of an `X-Amzn-Trace-Id` / `_X_AMZN_TRACE_ID` value
// ("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1").
struct TraceHeader {
  std::string root;
  std::string parent;  // empty when absent
  bool sampled = false;
};
// std::nullopt when `text` has no Root=.
std::optional<TraceHeader> parse_trace_header(std::string_view text);

// One subsegment of an AWS call, as sent to the daemon.
struct AwsSubsegment {
  std::string name;  // "DynamoDB", "DynamoDBStreams", "SQS"
  std::string id;    // 16 hex digits
  std::string trace_id;
  std::string parent_id;
  double start_time = 0;  // seconds since the epoch
  double end_time = 0;
  std::string operation;  // "PutItem", "SendMessageBatch", ...
  std::string region;
  std::string url;  // request URL (endpoint + "/")
  long http_status = 0;  // 0: no response (transport failure)
  std::string request_id;  // x-amzn-RequestId of the response
  int retries = 0;
  std::vector<std::string> table_names;  // DynamoDB: every TableName of the request
  std::string queue_url;                 // SQS
  std::string error_type;                // AWS error type or transport error message
  bool error = false;     // 4xx
  bool throttle = false;  // 429 or a throttling error type
  bool fault = false;     // 5xx or no response
};

// The document (JSON, one line) of `s`.
std::string subsegment_document(const AwsSubsegment& s);
// The datagram the daemon reads: `{"format":"json","version":1}\n` + document.
std::string daemon_datagram(const AwsSubsegment& s);

class Tracer {
 public:
  // `daemon_address` as in AWS_XRAY_DAEMON_ADDRESS: "host:port", or "tcp:host:port udp:host:port"
  // (the udp part is used); empty = 127.0.0.1:2000. Fails with kInvalidArgument on an address
  // it cannot parse or resolve, kUnavailable when no UDP socket can be opened.
  static model::Result<std::unique_ptr<Tracer>> open(std::string_view daemon_address);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // The invocation now running has this trace header ("" or no Root: not traced).
  void begin_invocation(std::string_view trace_header);
  // No invocation runs: calls are not traced until the next begin_invocation.
  void end_invocation();

  // The current invocation's header; std::nullopt when none is traced or propagated.
  std::optional<TraceHeader> current() const;
  // A new random 16-hex-digit subsegment id.
  static std::string new_id();
  // Sends `s` to the daemon (best effort).
  void send(const AwsSubsegment& s) const;

 private:
  Tracer() = default;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::optional<TraceHeader> current_;  // GUARDED_BY(mutex_)
};

// One AWS call seen by the tracer: construct before the first attempt, put header() on every
// attempt's request, finish() once with the final outcome. Does nothing (header() empty) when
// `tracer` is null or the invocation is not traced.
class TracedCall {
 public:
  TracedCall(const Tracer* tracer, std::string_view target_prefix, std::string_view operation,
             std::string_view region, std::string_view endpoint_url, std::string_view request_body);
  // The X-Amzn-Trace-Id value for the requests; empty: send none.
  const std::string& header() const { return header_; }
  // Records the outcome and sends the subsegment (when sampled). `response` null = no
  // response (transport failure); `error_type` is the AWS error type (or the transport error)
  // of a failure, empty on success.
  void finish(const HttpResponse* response, int retries, std::string_view error_type);

 private:
  const Tracer* tracer_ = nullptr;
  std::string header_;
  std::optional<AwsSubsegment> subsegment_;  // set when sampled
};

}  // namespace cartflow::aws
