// SPDX-License-Identifier: Apache-2.0
#pragma once

// Durability: lets the platform answer a request only once everything the answer depends on is
// durable, without holding a thread while the storage syncs.
//
// The storage commits a durable write as soon as it can (visible to readers at once) and makes
// it durable later, in one sync for many commits. A caller that opens a RequestScope on its
// thread is not held for that sync: its writes return when their commit is visible, and the
// scope records the position its answer must wait for, which covers
//   - every commit this thread made inside the scope, and
//   - every commit its reads inside the scope could have seen.
// The caller then hands that ticket and its answer to when_durable(), which calls back once the
// ticket is durable. Without a scope, a durable write returns only once it is durable, as ever.
//
// The embedded store implements it (embedded/database.h); a store whose writes are durable when
// they return (DynamoDB) needs none: the platform treats a missing Durability as "always durable".
//
// Thread-safety: every method may be called from any thread.

#include <cstdint>
#include <functional>

namespace cartflow::ports {

class Durability {
 public:
  // A position in the storage's commit order; 0 is "nothing to wait for".
  using Ticket = std::uint64_t;

  virtual ~Durability() = default;

  // Starts a scope on the calling thread (scopes do not nest: a second begin_scope() on the
  // same thread restarts the first). Must be paired with end_scope() on the same thread.
  virtual void begin_scope() = 0;
  // Ends the calling thread's scope and returns the ticket its answer must wait for (0 when the
  // scope neither wrote nor read anything that is not durable yet).
  virtual Ticket end_scope() = 0;

  // Calls `ready` exactly once when everything up to `ticket` is durable: on the calling thread
  // before returning when it already is (or ticket is 0), otherwise later on the storage's own
  // sync thread, so `ready` must be short and must not block (post the real work elsewhere).
  // When the sync fails or the storage closes, `ready` is called with false: the answer must
  // then be an error (nothing may be acknowledged that is not durable).
  virtual void when_durable(Ticket ticket, std::function<void(bool durable)> ready) = 0;
};

}  // namespace cartflow::ports
