// SPDX-License-Identifier: Apache-2.0
#pragma once

// Cancelling an order (POST /orders/{order_id}/cancel). In ONE transaction the order goes from
// ORDERED to CANCELLED (cancelled_at set) and each of its cart items still claimed by it is
// released (domain::release_cart_item): PENDING again, unclaimed, with a fresh addedOn, so it
// can be ordered again or removed, and a pipeline message of the cancelled order that arrives
// later finds a changed item and leaves it alone. Cart items no longer claimed by the order
// (re-added since) are not touched. Thread-safe if the table is.

#include <cstdint>
#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/result.h"
#include "ports/table.h"

namespace cartflow::functions {

struct CancelOutcome {
  enum class Kind {
    kCancelled,       // done; `order` is the stored order after the cancel
    kNotFound,        // no such order
    kNotCancellable,  // the order is not ORDERED; `status` is its status
    kConflict,        // its cart items kept changing during the attempts; the caller may retry
  };
  Kind kind = Kind::kNotFound;
  model::Item order;
  std::string status;
};

// Cancels `order_id` at `now_ms`. Reads the order and its cart items, then writes the
// transaction; a failed condition (a concurrent change) starts over, at most 4 times. Fails
// with the table's error (Throttled, Unavailable, ...) or kInternal when the stored order
// cannot be read as an order.
model::Result<CancelOutcome> cancel_order(ports::Table& table, std::string_view order_id,
                                          std::int64_t now_ms);

}  // namespace cartflow::functions
