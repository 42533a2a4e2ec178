// SPDX-License-Identifier: Apache-2.0
#include "web/console_api.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "model/dynamo_json.h"

namespace cartflow::web {

using platform::HttpRequest;
using platform::HttpResponse;

namespace {

constexpr std::string_view kPrefix = "/console/api/";
constexpr int kPeekLimit = 50;

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += '0';
    return;
  }
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.4f", v);
  }
  out += buf;
}

void field(std::string& out, std::string_view name, double v) {
  if (out.back() != '{') out += ',';
  model::append_json_string(out, name);
  out += ':';
  append_number(out, v);
}

void field(std::string& out, std::string_view name, std::string_view v) {
  if (out.back() != '{') out += ',';
  model::append_json_string(out, name);
  out += ':';
  model::append_json_string(out, v);
}

void field(std::string& out, std::string_view name, bool v) {
  if (out.back() != '{') out += ',';
  model::append_json_string(out, name);
  out += v ? ":true" : ":false";
}

HttpResponse answer(int status, std::string body) {
  HttpResponse r = HttpResponse::json(status, std::move(body));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse message(int status, std::string_view text) {
  std::string body = "{";
  field(body, "message", text);
  body += '}';
  return answer(status, std::move(body));
}

HttpResponse store_error(const model::Error& error) {
  const int status = error.code == model::ErrorCode::kNotFound          ? 404
                     : error.code == model::ErrorCode::kInvalidArgument ? 400
                     : error.code == model::ErrorCode::kUnavailable ||
                             error.code == model::ErrorCode::kThrottled
                         ? 503
                         : 500;
  return message(status, error.message);
}

void append_key(std::string& out, const platform::ApiKey& key, std::int64_t used) {
  out += '{';
  field(out, "id", key.id);
  field(out, "name", key.name);
  field(out, "admin", key.admin);
  field(out, "revoked", key.revoked);
  field(out, "created_ms", static_cast<double>(key.created_ms));
  field(out, "rate", key.plan.rate);
  field(out, "burst", static_cast<double>(key.plan.burst));
  field(out, "quota", static_cast<double>(key.plan.quota));
  field(out, "period", std::string_view(platform::quota_period_name(key.plan.period)));
  field(out, "quota_used", static_cast<double>(used));
  out += '}';
}

// A number member of a parsed body: `fallback` when absent; nullopt when not a number.
std::optional<double> number_member(const model::Item& body, const std::string& name,
                                    double fallback) {
  auto it = body.find(name);
  if (it == body.end()) return fallback;
  const model::Number* n = it->second.as_n();
  if (n == nullptr) return std::nullopt;
  return n->to_double();
}

}  // namespace

ConsoleApi::ConsoleApi(platform::ApiKeyStore& keys, const platform::MetricsRegistry& registry,
                       const SeriesSampler& series, std::vector<ConsoleQueue> queues,
                       SeriesOptions series_options)
    : keys_(keys),
      registry_(registry),
      series_(series),
      queues_(std::move(queues)),
      series_options_(std::move(series_options)) {}

const ConsoleQueue* ConsoleApi::find_queue(std::string_view role) const {
  for (const ConsoleQueue& q : queues_) {
    if (q.role == role) return &q;
  }
  return nullptr;
}

HttpResponse ConsoleApi::handle(const HttpRequest& request) {
  const auto presented = request.header("x-api-key");
  if (!presented || !keys_.authenticate_admin(*presented)) {
    return message(403, "Forbidden: the console needs an admin key (cartflow keys create --admin)");
  }
  std::string_view path = request.target;
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (path.substr(0, kPrefix.size()) != kPrefix) return message(404, "Not Found");
  path.remove_prefix(kPrefix.size());
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  auto method_not_allowed = [] { return message(405, "Method Not Allowed"); };

  if (path == "overview") return get ? overview() : method_not_allowed();
  if (path == "series") return get ? series() : method_not_allowed();
  if (path == "keys") {
    if (get) return list_keys();
    if (post) return create_key(request.body);
    return method_not_allowed();
  }
  constexpr std::string_view kKeys = "keys/";
  constexpr std::string_view kRevoke = "/revoke";
  if (path.starts_with(kKeys) && path.ends_with(kRevoke) &&
      path.size() > kKeys.size() + kRevoke.size()) {
    if (!post) return method_not_allowed();
    return revoke_key(std::string(
        path.substr(kKeys.size(), path.size() - kKeys.size() - kRevoke.size())));
  }
  constexpr std::string_view kQueues = "queues/";
  if (path.starts_with(kQueues)) {
    std::string_view rest = path.substr(kQueues.size());
    const auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
      const ConsoleQueue* queue = find_queue(rest.substr(0, slash));
      const std::string_view action = rest.substr(slash + 1);
      if (queue == nullptr) return message(404, "no such queue");
      if (action == "messages") return get ? queue_messages(*queue) : method_not_allowed();
      if (action == "redrive") return post ? redrive(*queue) : method_not_allowed();
    }
  }
  return message(404, "Not Found");
}

HttpResponse ConsoleApi::overview() {
  const SeriesReading now = read_series(registry_, series_options_, 0);
  std::string out = "{\"totals\":{";
  field(out, "requests", now.requests);
  field(out, "orders_placed", now.orders);
  field(out, "stream_records", now.stream_records);
  field(out, "queue_records", now.queue_records);
  field(out, "items_ordered", now.items_ordered);
  field(out, "stream_lag_ms", now.stream_lag_ms);
  out += "},\"queues\":[";
  bool first = true;
  for (const ConsoleQueue& q : queues_) {
    if (!first) out += ',';
    first = false;
    out += '{';
    field(out, "role", q.role);
    field(out, "name", q.name);
    field(out, "redrive", static_cast<bool>(q.redrive));
    if (q.queue != nullptr) {
      auto counts = q.queue->counts();
      if (counts.ok()) {
        field(out, "visible", static_cast<double>(counts->visible));
        field(out, "in_flight", static_cast<double>(counts->in_flight));
        field(out, "delayed", static_cast<double>(counts->delayed));
      } else {
        field(out, "error", counts.error().message);
      }
    }
    out += '}';
  }
  out += "]}";
  return answer(200, std::move(out));
}

HttpResponse ConsoleApi::series() {
  std::string out = "{";
  field(out, "interval_ms", static_cast<double>(series_.interval().count()));
  out += ",\"points\":[";
  bool first = true;
  for (const SeriesPoint& p : series_.points()) {
    if (!first) out += ',';
    first = false;
    out += '{';
    field(out, "t", static_cast<double>(p.t_ms));
    field(out, "rps", p.requests_per_s);
    field(out, "p50", p.p50_ms);
    field(out, "p95", p.p95_ms);
    field(out, "p99", p.p99_ms);
    field(out, "orders", p.orders_per_s);
    field(out, "stream", p.stream_records_per_s);
    field(out, "queue", p.queue_records_per_s);
    field(out, "items", p.items_ordered_per_s);
    field(out, "lag", p.stream_lag_ms);
    field(out, "visible", p.queue_visible);
    field(out, "in_flight", p.queue_in_flight);
    field(out, "dlq", p.dead_letter);
    out += '}';
  }
  out += "]}";
  return answer(200, std::move(out));
}

HttpResponse ConsoleApi::list_keys() {
  std::string out = "{\"keys\":[";
  bool first = true;
  for (const platform::ApiKey& key : keys_.list()) {
    std::int64_t used = 0;
    if (key.plan.quota > 0) {
      auto counted = keys_.quota_used(key.id, key.plan.period);
      if (!counted.ok()) return store_error(counted.error());
      used = *counted;
    }
    if (!first) out += ',';
    first = false;
    append_key(out, key, used);
  }
  out += "]}";
  return answer(200, std::move(out));
}

HttpResponse ConsoleApi::create_key(const std::string& body) {
  auto parsed = model::parse_plain_item(body.empty() ? std::string_view("{}") : body);
  if (!parsed.ok()) return message(400, "the body must be a JSON object: " + parsed.error().message);
  std::string name = "console";
  if (auto it = parsed->find("name"); it != parsed->end()) {
    if (it->second.as_s() == nullptr) return message(400, "name must be a string");
    name = *it->second.as_s();
  }
  platform::UsagePlan plan;
  auto rate = number_member(*parsed, "rate", plan.rate);
  auto burst = number_member(*parsed, "burst", static_cast<double>(plan.burst));
  if (!rate || !burst || *burst != std::floor(*burst) || *burst > 1e9) {
    return message(400, "rate and burst must be numbers (burst a whole one)");
  }
  plan.rate = *rate;
  plan.burst = static_cast<std::int64_t>(*burst);
  auto created = keys_.create(name, plan);  // API keys only: admin keys come from the CLI
  if (!created.ok()) return store_error(created.error());
  std::string out = "{\"key\":";
  append_key(out, created->key, 0);
  out += ',';
  model::append_json_string(out, "secret");
  out += ':';
  model::append_json_string(out, created->secret);
  out += '}';
  return answer(201, std::move(out));
}

HttpResponse ConsoleApi::revoke_key(const std::string& id) {
  for (const platform::ApiKey& key : keys_.list()) {
    if (key.id == id && key.admin) {
      return message(400, "admin keys are revoked with `cartflow keys revoke`");
    }
  }
  if (auto revoked = keys_.revoke(id); !revoked.ok()) return store_error(revoked.error());
  return message(200, "revoked");
}

HttpResponse ConsoleApi::queue_messages(const ConsoleQueue& queue) {
  if (!queue.peek) return message(404, "this queue's messages cannot be listed");
  auto messages = queue.peek(kPeekLimit);
  if (!messages.ok()) return store_error(messages.error());
  std::string out = "{";
  field(out, "queue", queue.name);
  out += ",\"messages\":[";
  bool first = true;
  for (const ports::Message& m : *messages) {
    if (!first) out += ',';
    first = false;
    out += '{';
    field(out, "message_id", m.message_id);
    field(out, "receive_count", static_cast<double>(m.receive_count));
    field(out, "sent_ms", static_cast<double>(m.sent_timestamp_ms));
    field(out, "body", m.body);
    out += '}';
  }
  out += "]}";
  return answer(200, std::move(out));
}

HttpResponse ConsoleApi::redrive(const ConsoleQueue& queue) {
  if (!queue.redrive) return message(400, "this queue has no redrive");
  auto moved = queue.redrive();
  if (!moved.ok()) return store_error(moved.error());
  std::string out = "{";
  field(out, "moved", static_cast<double>(*moved));
  out += '}';
  return answer(200, std::move(out));
}

model::Result<std::vector<ports::Message>> peek_by_receive(ports::Queue& queue, int limit) {
  std::vector<ports::Message> out;
  std::set<std::string> seen;  // a zero timeout may hand the same message out again
  while (static_cast<int>(out.size()) < limit) {
    ports::ReceiveRequest request;
    request.max_messages = std::min(10, limit - static_cast<int>(out.size()));
    request.visibility_timeout_seconds = 0;
    auto got = queue.receive(request);
    if (!got.ok()) return std::move(got).error();
    bool fresh = false;
    for (ports::Message& m : *got) {
      if (!seen.insert(m.message_id).second) continue;
      fresh = true;
      out.push_back(std::move(m));
    }
    if (!fresh || static_cast<int>(got->size()) < request.max_messages) break;
  }
  return out;
}

model::Result<std::int64_t> move_messages(ports::Queue& from, ports::Queue& to) {
  std::int64_t moved = 0;
  while (true) {
    ports::ReceiveRequest request;
    request.max_messages = 10;
    request.visibility_timeout_seconds = 30;
    auto got = from.receive(request);
    if (!got.ok()) return std::move(got).error();
    if (got->empty()) return moved;
    for (const ports::Message& m : *got) {
      ports::SendEntry entry;
      entry.id = "m";
      entry.body = m.body;
      entry.attributes = m.attributes;
      auto sent = to.send(entry);
      if (!sent.ok()) return std::move(sent).error();  // stays in `from`: visible again later
      if (auto removed = from.remove(m.receipt_handle); !removed.ok()) {
        return std::move(removed).error();
      }
      ++moved;
    }
  }
}

}  // namespace cartflow::web
