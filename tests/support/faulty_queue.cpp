// SPDX-License-Identifier: Apache-2.0
#include "support/faulty_queue.h"

#include <utility>

namespace cartflow::support {

model::Result<ports::SendBatchResult> FaultyQueue::send_batch(
    const std::vector<ports::SendEntry>& entries) {
  const std::size_t call = batch_sizes.size();
  batch_sizes.push_back(entries.size());
  if (call_fault) {
    if (auto e = call_fault(call)) return *e;
  }
  std::vector<ports::SendEntry> pass;
  ports::SendBatchResult result;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entry_fault && entry_fault(call, i, entries[i])) {
      result.failed.push_back({entries[i].id, "InternalError", "injected", false});
    } else {
      pass.push_back(entries[i]);
    }
  }
  if (pass.empty()) return result;
  auto sent = inner_.send_batch(pass);
  if (!sent.ok()) return sent;
  for (auto& s : sent->successful) result.successful.push_back(std::move(s));
  for (auto& f : sent->failed) result.failed.push_back(std::move(f));
  return result;
}

}  // namespace cartflow::support
