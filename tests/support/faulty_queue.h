// SPDX-License-Identifier: Apache-2.0
#pragma once

// FaultyQueue: a ports::Queue decorator for tests, as a network or a crash would fail it.
// send_batch calls can fail whole (call_fault, by the call's index) or per entry (entry_fault,
// by the call's index, the entry's index in it and the entry); failed entries are not stored,
// the others go to the real queue. remove_batch fails while remove_batch_fault is set. Records
// each send_batch call's entry count. Everything else goes to the real queue. Not for
// concurrent use.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::support {

class FaultyQueue final : public ports::Queue {
 public:
  explicit FaultyQueue(ports::Queue& inner) : inner_(inner) {}

  std::function<std::optional<model::Error>(std::size_t call)> call_fault;
  std::function<bool(std::size_t call, std::size_t entry, const ports::SendEntry&)> entry_fault;
  std::optional<model::Error> remove_batch_fault;
  std::vector<std::size_t> batch_sizes;  // entries per send_batch call, in call order

  const std::string& name() const override { return inner_.name(); }
  model::Result<ports::SendSuccess> send(const ports::SendEntry& e) override {
    return inner_.send(e);
  }
  model::Result<ports::SendBatchResult> send_batch(
      const std::vector<ports::SendEntry>& entries) override;
  model::Result<std::vector<ports::Message>> receive(const ports::ReceiveRequest& r) override {
    return inner_.receive(r);
  }
  model::Status remove(const std::string& h) override { return inner_.remove(h); }
  model::Result<ports::DeleteBatchResult> remove_batch(
      const std::vector<ports::DeleteEntry>& e) override {
    if (remove_batch_fault) return *remove_batch_fault;
    return inner_.remove_batch(e);
  }
  model::Status change_visibility(const std::string& h, int t) override {
    return inner_.change_visibility(h, t);
  }
  model::Result<ports::QueueCounts> counts() override { return inner_.counts(); }
  model::Status purge() override { return inner_.purge(); }

 private:
  ports::Queue& inner_;
};

}  // namespace cartflow::support
