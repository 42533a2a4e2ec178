// SPDX-License-Identifier: Apache-2.0
#include "queue_moves.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace cartflow::app {

model::Result<MoveCount> move_messages(ports::Queue& from, ports::Queue& to,
                                       const MoveOptions& options) {
  MoveCount count;
  std::set<std::string> failed_ids;  // not tried again when they come back
  for (;;) {
    auto received = from.receive({.max_messages = 10,
                                  .visibility_timeout_seconds = options.visibility_timeout_seconds,
                                  .wait = options.wait});
    if (!received.ok()) return std::move(received).error();
    std::vector<ports::SendEntry> entries;
    std::map<std::string, const ports::Message*> by_entry;
    for (const ports::Message& m : *received) {
      if (failed_ids.contains(m.message_id)) continue;
      const std::string id = "m" + std::to_string(entries.size());
      entries.push_back({.id = id, .body = m.body, .attributes = m.attributes});
      by_entry[id] = &m;
    }
    if (entries.empty()) return count;
    auto sent = to.send_batch(entries);
    if (!sent.ok()) return std::move(sent).error();
    for (const ports::BatchEntryFailure& f : sent->failed) {
      failed_ids.insert(by_entry.at(f.id)->message_id);
      ++count.failed;
    }
    if (sent->successful.empty()) continue;
    // Only now, with every copy acknowledged by the destination, the originals go.
    std::vector<ports::DeleteEntry> deletes;
    for (const ports::SendSuccess& s : sent->successful) {
      deletes.push_back({.id = s.id, .receipt_handle = by_entry.at(s.id)->receipt_handle});
    }
    auto removed = from.remove_batch(deletes);
    if (!removed.ok()) {
      return model::Error{removed.error().code,
                          std::to_string(deletes.size()) + " message(s) were sent to " + to.name() +
                              " but are still in " + from.name() +
                              " (they will be delivered twice): " + removed.error().message};
    }
    count.moved += static_cast<std::int64_t>(removed->successful.size());
    if (!removed->failed.empty()) {
      return model::Error::unavailable(
          std::to_string(removed->failed.size()) + " message(s) were sent to " + to.name() +
          " but are still in " + from.name() + " (they will be delivered twice): " +
          removed->failed.front().code + ": " + removed->failed.front().message);
    }
  }
}

model::Result<std::vector<ports::Message>> peek_messages(ports::Queue& queue, int limit,
                                                         const MoveOptions& options) {
  std::vector<ports::Message> out;
  std::set<std::string> seen;
  while (static_cast<int>(out.size()) < limit) {
    auto received = queue.receive(
        {.max_messages = std::clamp(limit - static_cast<int>(out.size()), 1, 10),
         .visibility_timeout_seconds = options.visibility_timeout_seconds,
         .wait = options.wait});
    if (!received.ok()) {
      if (out.empty()) return std::move(received).error();
      break;
    }
    bool any_new = false;
    for (ports::Message& m : *received) {
      if (!seen.insert(m.message_id).second) continue;
      any_new = true;
      out.push_back(std::move(m));
    }
    if (!any_new) break;
  }
  for (const ports::Message& m : out) (void)queue.change_visibility(m.receipt_handle, 0);
  return out;
}

}  // namespace cartflow::app
