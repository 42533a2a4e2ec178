// SPDX-License-Identifier: Apache-2.0
#pragma once

// Moving and inspecting messages through the Queue port alone (SQS has no way to read a queue
// without receiving it, nor to move messages in one transaction): what `cartflow dlq list` and
// `cartflow dlq redrive` do with --backend aws. Not thread-safe against itself: one call per
// queue at a time (other consumers of the queues may run).

#include <chrono>
#include <cstdint>
#include <vector>

#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::app {

struct MoveOptions {
  // How long a received message stays hidden while it is being moved or listed.
  int visibility_timeout_seconds = 60;
  // Long poll of each receive; the move stops at the first receive that returns nothing new.
  std::chrono::milliseconds wait{1000};
};

struct MoveCount {
  std::int64_t moved = 0;   // sent to the destination and deleted from the source
  std::int64_t failed = 0;  // not sent (per-entry failures): left in the source
};

// Moves every message that can be received from `from` to `to`, in batches of up to 10. Each
// is sent (its body and message attributes) before it is deleted from `from`, so a crash or a
// failure between the two leaves it in both queues: delivered twice, never lost. A message
// whose send fails stays in `from` (visible again after the visibility timeout) and is not
// tried again by this call. Fails with the first whole-call error of a receive, send or delete;
// a failed delete's message says how many messages were sent but are still in `from`.
model::Result<MoveCount> move_messages(ports::Queue& from, ports::Queue& to,
                                       const MoveOptions& options = {});

// Up to `limit` messages of `queue`, each once: received (so each counts one more receive)
// and made visible again right away (ChangeMessageVisibility 0; a message whose reset fails
// comes back after the visibility timeout). Fails with the first receive's error.
model::Result<std::vector<ports::Message>> peek_messages(ports::Queue& queue, int limit,
                                                         const MoveOptions& options = {});

}  // namespace cartflow::app
