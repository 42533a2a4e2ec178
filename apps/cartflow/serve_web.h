// SPDX-License-Identifier: Apache-2.0
#pragma once

// The storefront and the console in `cartflow serve` (web/web_front.h): the console's queues
// wired to the system's (the embedded queue's own peek and redrive; the port's otherwise), the
// time series sampler, and the first admin key.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/api_keys.h"
#include "platform/metrics.h"
#include "system.h"
#include "web/console_api.h"
#include "web/series.h"
#include "web/web_front.h"

namespace cartflow::app {

struct ServeWebOptions {
  bool console = false;     // the console on (loopback, or --console)
  std::string cors_origin;  // --cors-origin
};

// The front and what it needs; everything passed in must outlive it.
class ServeWeb {
 public:
  ServeWeb(const ServeWebOptions& options, System& system, platform::ApiKeyStore& keys,
           const platform::MetricsRegistry& registry);
  ~ServeWeb();

  web::WebFront& front() { return front_; }
  bool console() const { return console_ != nullptr; }
  // Starts / stops sampling the time series (console on only).
  void start();
  void stop();

 private:
  std::unique_ptr<web::SeriesSampler> sampler_;
  std::unique_ptr<web::ConsoleApi> console_;
  web::WebFront front_;
};

// The console's queues of `system`: orders, dead_letter (with redrive to orders), and
// stream_failures.
std::vector<web::ConsoleQueue> console_queues(System& system);

// Creates an admin key when `keys` has no active one; its secret (shown once), or nullopt when
// one exists. Fails with the store's error.
model::Result<std::optional<std::string>> ensure_admin_key(platform::ApiKeyStore& keys);

}  // namespace cartflow::app
