// SPDX-License-Identifier: Apache-2.0
#pragma once

// System: the cartflow system as the commands see it, whatever the backend: the table, its
// change stream, the orders queue with its dead-letter queue, the stream mapping's on-failure
// queue, the mapping settings and the three handlers. EmbeddedSystem keeps them in one SQLite
// file; AwsSystem reaches DynamoDB, DynamoDB Streams and SQS. The app layer is the only place
// that knows both the adapters and the handlers. Handlers and ports are thread-safe.

#include <memory>
#include <string_view>

#include "functions/api.h"
#include "functions/handler.h"
#include "functions/logging.h"
#include "functions/process_cart_products.h"
#include "functions/update_cart_status.h"
#include "mapping_settings.h"
#include "ports/change_stream.h"
#include "ports/clock.h"
#include "ports/durability.h"
#include "ports/queue.h"
#include "ports/table.h"

namespace cartflow::app {

// The three handlers over one table and one queue, as every backend wires them. The references
// must outlive the set.
class Handlers {
 public:
  Handlers(ports::Table& table, ports::Queue& queue, const ports::Clock& clock,
           const functions::Logger& logger, functions::Metrics& metrics);
  // The handler named as in `_HANDLER`; nullptr for any other name.
  functions::Handler* find(std::string_view name);

 private:
  functions::ApiHandler api_;
  functions::ProcessCartProducts process_cart_products_;
  functions::UpdateCartStatus update_cart_status_;
};

class System {
 public:
  virtual ~System() = default;

  virtual ports::Table& table() = 0;
  virtual ports::ChangeStream& change_stream() = 0;
  virtual ports::Queue& queue() = 0;
  virtual ports::Queue& dead_letter_queue() = 0;
  virtual ports::Queue& stream_failure_queue() = 0;
  virtual const MappingSettings& settings() const = 0;
  virtual functions::Metrics& function_metrics() = 0;
  virtual const ports::Clock& clock() const = 0;
  // What an API answer waits for before it is sent (ports/durability.h): the embedded store's
  // sync of its commits. nullptr (the default) for a store whose writes are durable when they
  // return, as DynamoDB's are.
  virtual ports::Durability* durability() { return nullptr; }

  // The handler named as in `_HANDLER` ("api", "process-cart-products", "update-cart-status");
  // nullptr for any other name.
  virtual functions::Handler* handler(std::string_view name) = 0;
};

}  // namespace cartflow::app
