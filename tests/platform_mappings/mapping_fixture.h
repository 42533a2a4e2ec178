// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixture of the mapping tests: the REAL embedded store (a Database in a temporary folder, a
// SqliteTable "cartflow" with a NEW_IMAGE stream, SqliteQueues) on a ManualClock, and handlers
// that record what they receive and fail on purpose.

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_queue.h"
#include "embedded/sqlite_table.h"
#include "events/dynamodb_stream.h"
#include "events/sqs.h"
#include "functions/handler.h"
#include "ports/clock.h"
#include "support/embedded_store.h"
#include "support/temp_dir.h"

namespace cartflow::platform::testing {

using support::TempDir;

// One record as the handler saw it.
struct Seen {
  std::string id;        // stream: NewImage PK; queue: body
  std::string sequence;  // stream: SequenceNumber; queue: messageId
};

// A Handler that records every invocation and answers with `script` (call index from 0, the
// records of this call). Thread-safe.
class ScriptedHandler final : public functions::Handler {
 public:
  enum class Kind { kStream, kQueue };
  using Script = std::function<model::Result<std::string>(int call, const std::vector<Seen>&)>;

  ScriptedHandler(Kind kind, Script script) : kind_(kind), script_(std::move(script)) {}

  std::string_view name() const override { return "scripted"; }

  model::Result<std::string> invoke(std::string_view event_json,
                                    const functions::InvocationContext&) override {
    std::vector<Seen> seen;
    if (kind_ == Kind::kStream) {
      auto e = events::parse_dynamodb_stream_event(event_json);
      if (!e) return model::Error::invalid("bad stream event: " + e.error().message);
      for (const auto& r : e->records) {
        std::string pk;
        if (r.dynamodb.new_image) {
          auto it = r.dynamodb.new_image->find("PK");
          if (it != r.dynamodb.new_image->end() && it->second.as_s()) pk = *it->second.as_s();
        }
        seen.push_back({pk, r.dynamodb.sequence_number});
      }
    } else {
      auto e = events::parse_sqs_event(event_json);
      if (!e) return model::Error::invalid("bad sqs event: " + e.error().message);
      for (const auto& r : e->records) seen.push_back({r.body, r.message_id});
    }
    int call = 0;
    {
      std::lock_guard lock(mutex_);
      call = static_cast<int>(calls_.size());
      calls_.push_back(seen);
      total_ += seen.size();
    }
    changed_.notify_all();
    return script_(call, seen);
  }

  std::vector<std::vector<Seen>> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  // Ids of each call, e.g. {{"a","b"},{"b"}}.
  std::vector<std::vector<std::string>> call_ids() const {
    std::vector<std::vector<std::string>> out;
    for (const auto& c : calls()) {
      std::vector<std::string> ids;
      for (const auto& s : c) ids.push_back(s.id);
      out.push_back(ids);
    }
    return out;
  }
  // Waits (up to a generous bound, so a bug fails instead of hanging) until `pred` holds.
  bool wait_until(const std::function<bool(const std::vector<std::vector<Seen>>&)>& pred) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return pred(calls_); });
  }

 private:
  const Kind kind_;
  const Script script_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<Seen>> calls_;
  std::size_t total_ = 0;
};

inline model::Result<std::string> ok_response() { return std::string("{}"); }
inline model::Result<std::string> function_error() {
  return model::Error::internal("Unhandled: failing on purpose");
}
inline model::Result<std::string> item_failures(const std::vector<std::string>& ids) {
  std::string out = "{\"batchItemFailures\":[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i ? "," : "") + std::string("{\"itemIdentifier\":\"") + ids[i] + "\"}";
  }
  return out + "]}";
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open_store(); }

  // (Re)opens the database file and the table, its stream and the queues.
  void open_store() {
    ports::TableDescription d;
    d.name = "cartflow";
    d.keys = {"PK", std::string("SK")};
    d.stream_view = ports::StreamViewType::kNewImage;
    embedded::QueueConfig q;
    q.name = "orders";
    q.visibility_timeout_seconds = 30;
    q.redrive_policy = embedded::RedrivePolicy{"orders-dlq", 3};
    auto opened = store_.open({.durable = true,
                               .table = d,
                               .stream = true,
                               .queues = {{.name = "on-failure"}, {.name = "orders-dlq"}, q}});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    failures_ = store_.queues[0].get();
    dlq_ = store_.queues[1].get();
    queue_ = store_.queues[2].get();
  }

  // Writes an order item; status "ORDERED" unless given.
  void put_order(const std::string& pk, const std::string& status = "ORDERED") {
    model::Item item{{"PK", pk}, {"SK", "ORDER"}, {"order_status", status}};
    auto r = table_->put({std::move(item), std::nullopt, ports::ReturnValues::kNone});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  void send(const std::string& body) {
    auto r = queue_->send({"", body, {}, std::nullopt});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // Messages now in `q`, oldest first, without receiving them.
  std::vector<ports::Message> peek(embedded::SqliteQueue& q) {
    auto r = q.list_messages(100);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::vector<ports::Message>{};
  }

  support::EmbeddedStore store_;
  // Short names for the parts of store_ the tests use.
  const TempDir& dir_ = store_.dir;
  ports::ManualClock& clock_ = store_.clock;
  std::unique_ptr<embedded::SqliteTable>& table_ = store_.table;
  std::unique_ptr<embedded::SqliteChangeStream>& stream_ = store_.stream;
  embedded::SqliteQueue* failures_ = nullptr;  // the stream's on-failure destination
  embedded::SqliteQueue* dlq_ = nullptr;
  embedded::SqliteQueue* queue_ = nullptr;  // redrive to dlq_ after 3 receives
};

}  // namespace cartflow::platform::testing
