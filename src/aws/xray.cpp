// SPDX-License-Identifier: Apache-2.0
#include "aws/xray.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "aws/retry.h"
#include "model/dynamo_json.h"
#include "util/random.h"

namespace cartflow::aws {
namespace {

constexpr std::string_view kDaemonHeader = "{\"format\":\"json\",\"version\":1}\n";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void append_seconds(std::string& out, double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", seconds);
  out += buffer;
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += ',';
  model::append_json_string(out, key);
  out += ':';
  model::append_json_string(out, value);
}

// "DynamoDB_20120810" -> "DynamoDB", "AmazonSQS" -> "SQS": the names X-Ray shows for them.
std::string service_name(std::string_view target_prefix) {
  std::string_view name = target_prefix.substr(0, target_prefix.find('_'));
  if (name.substr(0, 6) == "Amazon") name.remove_prefix(6);
  return std::string(name);
}

// Every string value of `"key":"..."` in a JSON body our clients wrote (AWS names and URLs need
// no escapes but "\/", which is undone).
std::vector<std::string> string_values(std::string_view body, std::string_view key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + std::string(key) + "\":\"";
  std::size_t at = 0;
  while ((at = body.find(needle, at)) != std::string_view::npos) {
    at += needle.size();
    std::string value;
    while (at < body.size() && body[at] != '"') {
      if (body[at] == '\\' && at + 1 < body.size()) ++at;
      value += body[at++];
    }
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(std::move(value));
  }
  return out;
}

// "host:port" -> its address; kInvalidArgument otherwise.
model::Result<sockaddr_storage> resolve_udp(std::string_view host_port, socklen_t& length) {
  const std::size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == host_port.size()) {
    return model::Error::invalid("X-Ray daemon address '" + std::string(host_port) +
                                 "' is not host:port");
  }
  const std::string host(host_port.substr(0, colon));
  const std::string port(host_port.substr(colon + 1));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return model::Error::invalid("X-Ray daemon address '" + std::string(host_port) +
                                 "' cannot be resolved");
  }
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  length = found->ai_addrlen;
  ::freeaddrinfo(found);
  return address;
}

}  // namespace

std::optional<TraceHeader> parse_trace_header(std::string_view text) {
  TraceHeader header;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.substr(0, 5) == "Root=") header.root = std::string(part.substr(5));
    if (part.substr(0, 7) == "Parent=") header.parent = std::string(part.substr(7));
    if (part.substr(0, 8) == "Sampled=") header.sampled = part.substr(8) == "1";
    start = end + 1;
  }
  if (header.root.empty()) return std::nullopt;
  return header;
}

std::string subsegment_document(const AwsSubsegment& s) {
  std::string out;
  out.reserve(512);
  out += "{\"name\":";
  model::append_json_string(out, s.name);
  append_field(out, "id", s.id);
  append_field(out, "trace_id", s.trace_id);
  append_field(out, "parent_id", s.parent_id);
  out += ",\"type\":\"subsegment\",\"namespace\":\"aws\",\"start_time\":";
  append_seconds(out, s.start_time);
  out += ",\"end_time\":";
  append_seconds(out, s.end_time);
  out += ",\"http\":{\"request\":{\"method\":\"POST\",\"url\":";
  model::append_json_string(out, s.url);
  out += '}';
  if (s.http_status != 0) {
    out += ",\"response\":{\"status\":" + std::to_string(s.http_status) + '}';
  }
  out += "},\"aws\":{\"operation\":";
  model::append_json_string(out, s.operation);
  append_field(out, "region", s.region);
  if (!s.request_id.empty()) append_field(out, "request_id", s.request_id);
  out += ",\"retries\":" + std::to_string(s.retries);
  if (s.table_names.size() == 1) {
    append_field(out, "table_name", s.table_names[0]);
  } else if (!s.table_names.empty()) {
    out += ",\"table_names\":[";
    for (std::size_t i = 0; i < s.table_names.size(); ++i) {
      if (i > 0) out += ',';
      model::append_json_string(out, s.table_names[i]);
    }
    out += ']';
  }
  if (!s.queue_url.empty()) append_field(out, "queue_url", s.queue_url);
  out += '}';
  if (s.error) out += ",\"error\":true";
  if (s.throttle) out += ",\"throttle\":true";
  if (s.fault) out += ",\"fault\":true";
  if (!s.error_type.empty()) {
    out += ",\"cause\":{\"exceptions\":[{\"id\":";
    model::append_json_string(out, s.id);
    append_field(out, "type", s.error_type);
    out += ",\"remote\":true}]}";
  }
  out += '}';
  return out;
}

std::string daemon_datagram(const AwsSubsegment& s) {
  std::string out(kDaemonHeader);
  out += subsegment_document(s);
  return out;
}

model::Result<std::unique_ptr<Tracer>> Tracer::open(std::string_view daemon_address) {
  std::string_view address = daemon_address.empty() ? "127.0.0.1:2000" : daemon_address;
  // "tcp:127.0.0.1:2000 udp:127.0.0.2:2001": the udp part.
  if (const std::size_t udp = address.find("udp:"); udp != std::string_view::npos) {
    address = address.substr(udp + 4);
    address = address.substr(0, address.find(' '));
  } else if (address.find(' ') != std::string_view::npos) {
    return model::Error::invalid("X-Ray daemon address '" + std::string(daemon_address) +
                                 "' has no udp: part");
  }
  socklen_t length = 0;
  auto resolved = resolve_udp(address, length);
  if (!resolved.ok()) return std::move(resolved).error();
  std::unique_ptr<Tracer> tracer(new Tracer());
  tracer->fd_ = ::socket(resolved->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (tracer->fd_ < 0) return model::Error::unavailable("cannot open a UDP socket for X-Ray");
  // Connected: send() needs no address, and the kernel resolves the route once.
  if (::connect(tracer->fd_, reinterpret_cast<const sockaddr*>(&*resolved), length) != 0) {
    return model::Error::unavailable("cannot address the X-Ray daemon at " + std::string(address));
  }
  return tracer;
}

Tracer::~Tracer() {
  if (fd_ >= 0) ::close(fd_);
}

void Tracer::begin_invocation(std::string_view trace_header) {
  auto parsed = parse_trace_header(trace_header);
  std::lock_guard lock(mutex_);
  current_ = std::move(parsed);
}

void Tracer::end_invocation() {
  std::lock_guard lock(mutex_);
  current_.reset();
}

std::optional<TraceHeader> Tracer::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::string Tracer::new_id() { return util::random_hex(8); }

void Tracer::send(const AwsSubsegment& s) const {
  const std::string datagram = daemon_datagram(s);
  // MSG_DONTWAIT on a non-blocking socket: a full buffer or no listener drops the datagram.
  [[maybe_unused]] const auto sent = ::send(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT);
}

TracedCall::TracedCall(const Tracer* tracer, std::string_view target_prefix,
                       std::string_view operation, std::string_view region,
                       std::string_view endpoint_url, std::string_view request_body) {
  if (tracer == nullptr) return;
  auto current = tracer->current();
  if (!current) return;
  if (!current->sampled || current->parent.empty()) {
    // Propagated as it came: the service does not sample what we do not.
    header_ = "Root=" + current->root;
    if (!current->parent.empty()) header_ += ";Parent=" + current->parent;
    header_ += current->sampled ? ";Sampled=1" : ";Sampled=0";
    return;
  }
  tracer_ = tracer;
  AwsSubsegment s;
  s.name = service_name(target_prefix);
  s.id = Tracer::new_id();
  s.trace_id = current->root;
  s.parent_id = current->parent;
  s.start_time = now_seconds();
  s.operation = std::string(operation);
  s.region = std::string(region);
  s.url = std::string(endpoint_url) + "/";  // the JSON protocols POST to /
  s.table_names = string_values(request_body, "TableName");
  if (auto urls = string_values(request_body, "QueueUrl"); !urls.empty()) s.queue_url = urls[0];
  header_ = "Root=" + s.trace_id + ";Parent=" + s.id + ";Sampled=1";
  subsegment_ = std::move(s);
}

void TracedCall::finish(const HttpResponse* response, int retries, std::string_view error_type) {
  if (!subsegment_) return;
  AwsSubsegment& s = *subsegment_;
  s.end_time = now_seconds();
  const long http_status = response != nullptr ? response->status : 0;
  s.http_status = http_status;
  if (response != nullptr) s.request_id = response->header("x-amzn-RequestId");
  s.retries = retries;
  s.error_type = std::string(error_type);
  s.fault = http_status == 0 || http_status >= 500;
  s.error = http_status >= 400 && http_status < 500;
  s.throttle = http_status == 429 ||
               (http_status >= 400 &&
                classify(AwsError{http_status, std::string(error_type), {}, {}}) ==
                    RetryKind::kThrottling);
  tracer_->send(s);
  subsegment_.reset();
}

}  // namespace cartflow::aws
