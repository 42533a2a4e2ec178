// SPDX-License-Identifier: Apache-2.0
#include "system.h"

namespace cartflow::app {

Handlers::Handlers(ports::Table& table, ports::Queue& queue, const ports::Clock& clock,
                   const functions::Logger& logger, functions::Metrics& metrics)
    : api_(table, clock, {}, &logger),
      process_cart_products_(queue, logger, metrics),
      update_cart_status_(table, logger, metrics) {}

functions::Handler* Handlers::find(std::string_view name) {
  if (name == api_.name()) return &api_;
  if (name == process_cart_products_.name()) return &process_cart_products_;
  if (name == update_cart_status_.name()) return &update_cart_status_;
  return nullptr;
}

}  // namespace cartflow::app
