// SPDX-License-Identifier: Apache-2.0
#pragma once

// ConsoleApi: the operations console's JSON endpoints under /console/api/ (the page is
// /console, web/assets.h). Every endpoint needs an admin key in x-api-key
// (`cartflow keys create --admin`; ApiKeyStore::authenticate_admin): any other value, a
// storefront's API key included, gets 403. Answers carry Cache-Control: no-store.
//
//   GET  /console/api/overview                 totals and gauges now, each queue's depth
//   GET  /console/api/series                   the sampled time series (web/series.h)
//   GET  /console/api/keys                     every key (never a secret), with quota used
//   POST /console/api/keys                     {"name","rate"?,"burst"?}: a new API key;
//                                              its secret is in this answer only
//   POST /console/api/keys/{id}/revoke         revokes an API key (admin keys: CLI only)
//   GET  /console/api/queues/{role}/messages   up to 50 messages of a queue, not received
//   POST /console/api/queues/{role}/redrive    moves every message back (roles that can)
//
// Errors are {"message"} with 400 (bad body), 403, 404 (unknown path, key or queue), 405, and
// 500/503 with the store's message when a read or write fails.
//
// Threading: handle() is thread-safe when the queue functions are; everything passed in must
// outlive the object.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/result.h"
#include "platform/api_keys.h"
#include "platform/http_server.h"
#include "platform/metrics.h"
#include "ports/queue.h"
#include "web/series.h"

namespace cartflow::web {

// A queue the console shows. `peek` lists up to N messages without receiving them (or, where
// the backend cannot, receiving them with a zero visibility timeout); `redrive`, when set, moves
// every message to the queue it came from and returns how many moved.
struct ConsoleQueue {
  std::string role;  // "orders", "dead_letter", "stream_failures": the URL's {role}
  std::string name;
  ports::Queue* queue = nullptr;  // depth (counts())
  std::function<model::Result<std::vector<ports::Message>>(int limit)> peek;
  std::function<model::Result<std::int64_t>()> redrive;
};

class ConsoleApi {
 public:
  ConsoleApi(platform::ApiKeyStore& keys, const platform::MetricsRegistry& registry,
             const SeriesSampler& series, std::vector<ConsoleQueue> queues,
             SeriesOptions series_options = {});

  // Answers one request whose path starts with /console/api/ (never fails: errors are answers).
  platform::HttpResponse handle(const platform::HttpRequest& request);

 private:
  platform::HttpResponse overview();
  platform::HttpResponse series();
  platform::HttpResponse list_keys();
  platform::HttpResponse create_key(const std::string& body);
  platform::HttpResponse revoke_key(const std::string& id);
  platform::HttpResponse queue_messages(const ConsoleQueue& queue);
  platform::HttpResponse redrive(const ConsoleQueue& queue);
  const ConsoleQueue* find_queue(std::string_view role) const;

  platform::ApiKeyStore& keys_;
  const platform::MetricsRegistry& registry_;
  const SeriesSampler& series_;
  std::vector<ConsoleQueue> queues_;
  SeriesOptions series_options_;
};

// The generic `peek` and `redrive` for a queue reached only through the port (the AWS backend):
// peek receives up to `limit` messages with visibility timeout 0 (each receive counts in SQS's
// ApproximateReceiveCount); redrive receives from `from`, sends each body and its attributes to
// `to`, and deletes it from `from` only once sent, until `from` answers empty.
model::Result<std::vector<ports::Message>> peek_by_receive(ports::Queue& queue, int limit);
model::Result<std::int64_t> move_messages(ports::Queue& from, ports::Queue& to);

}  // namespace cartflow::web
