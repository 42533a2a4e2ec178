// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixture of the embedded queue tests: a fresh database in a temporary folder and a ManualClock
// (support::EmbeddedStore), and short helpers that fail the test on unexpected errors.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "embedded/sqlite_queue.h"
#include "ports/clock.h"
#include "support/embedded_store.h"

namespace cartflow::embedded {

class QueueTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen_db(); }

  // Closes (if open) and opens the database file again; queues opened before are invalid.
  void reopen_db(bool durable = false) {
    support::StoreOptions options;
    options.file = "queue.db";
    options.durable = durable;
    auto opened = store_.open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
  }

  std::unique_ptr<SqliteQueue> open_queue(const QueueConfig& config) {
    auto q = SqliteQueue::open(*db_, clock_, config);
    EXPECT_TRUE(q.ok()) << (q.ok() ? "" : q.error().message);
    return q.ok() ? std::move(*q) : nullptr;
  }
  std::unique_ptr<SqliteQueue> open_queue(const std::string& name) {
    QueueConfig config;
    config.name = name;
    return open_queue(config);
  }

  static ports::SendSuccess send(ports::Queue& q, const std::string& body) {
    auto r = q.send({"", body, {}, std::nullopt});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : ports::SendSuccess{};
  }

  static std::vector<ports::Message> receive(ports::Queue& q, int max = 10,
                                             std::optional<int> visibility = std::nullopt) {
    ports::ReceiveRequest request;
    request.max_messages = max;
    request.visibility_timeout_seconds = visibility;
    auto r = q.receive(request);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::vector<ports::Message>{};
  }

  static ports::QueueCounts counts(ports::Queue& q) {
    auto r = q.counts();
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : ports::QueueCounts{-1, -1, -1};
  }

  // The SQS error code that starts an error message ("ReceiptHandleIsInvalid: ...").
  static std::string code_of(const model::Error& e) { return e.message.substr(0, e.message.find(':')); }

  support::EmbeddedStore store_;
  // Short names for the parts of store_ the tests use.
  ports::ManualClock& clock_ = store_.clock;
  std::unique_ptr<Database>& db_ = store_.db;
};

}  // namespace cartflow::embedded
