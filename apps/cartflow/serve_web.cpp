// SPDX-License-Identifier: Apache-2.0
#include "serve_web.h"

#include "embedded/sqlite_queue.h"

namespace cartflow::app {

namespace {

web::ConsoleQueue console_queue(std::string role, ports::Queue& queue, ports::Queue* redrive_to) {
  web::ConsoleQueue q;
  q.role = std::move(role);
  q.name = queue.name();
  q.queue = &queue;
  if (auto* local = dynamic_cast<embedded::SqliteQueue*>(&queue)) {
    // Peeks without receiving; redrive as `cartflow dlq redrive` does.
    q.peek = [local](int limit) { return local->list_messages(limit); };
    if (redrive_to != nullptr) {
      q.redrive = [local, to = redrive_to->name()] { return local->redrive_all(to); };
    }
  } else {
    q.peek = [&queue](int limit) { return web::peek_by_receive(queue, limit); };
    if (redrive_to != nullptr) {
      q.redrive = [&queue, redrive_to] { return web::move_messages(queue, *redrive_to); };
    }
  }
  return q;
}

}  // namespace

std::vector<web::ConsoleQueue> console_queues(System& system) {
  std::vector<web::ConsoleQueue> queues;
  queues.push_back(console_queue("orders", system.queue(), nullptr));
  queues.push_back(console_queue("dead_letter", system.dead_letter_queue(), &system.queue()));
  queues.push_back(console_queue("stream_failures", system.stream_failure_queue(), nullptr));
  return queues;
}

model::Result<std::optional<std::string>> ensure_admin_key(platform::ApiKeyStore& keys) {
  for (const platform::ApiKey& key : keys.list()) {
    if (key.admin && !key.revoked) return std::optional<std::string>();
  }
  auto created = keys.create("admin", platform::UsagePlan{}, /*admin=*/true);
  if (!created.ok()) return std::move(created).error();
  return std::optional<std::string>(created->secret);
}

ServeWeb::ServeWeb(const ServeWebOptions& options, System& system, platform::ApiKeyStore& keys,
                   const platform::MetricsRegistry& registry)
    : sampler_(options.console ? std::make_unique<web::SeriesSampler>(registry, system.clock())
                               : nullptr),
      console_(options.console ? std::make_unique<web::ConsoleApi>(keys, registry, *sampler_,
                                                                    console_queues(system))
                               : nullptr),
      front_(web::WebFrontOptions{options.cors_origin}, console_.get()) {}

ServeWeb::~ServeWeb() { stop(); }

void ServeWeb::start() {
  if (sampler_) sampler_->start();
}

void ServeWeb::stop() {
  if (sampler_) sampler_->stop();
}

}  // namespace cartflow::app
