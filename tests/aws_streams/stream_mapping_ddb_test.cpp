// SPDX-License-Identifier: Apache-2.0
// The local stream event source mapping (platform::StreamMapping) reading DynamoDB Local's
// stream through DynamoDbChangeStream: partial batch failures checkpoint a prefix of the batch,
// and a restarted mapping (new stream object, same checkpoint store) resumes exactly after it.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "aws/dynamodb_stream.h"
#include "aws/dynamodb_table.h"
#include "dynamodb_local.h"
#include "events/dynamodb_stream.h"
#include "platform/stream_mapping.h"
#include "platform/stream_mapping_checkpoint.h"

namespace cartflow::aws {
namespace {

using model::AttributeValue;
using testing::DynamoDbLocalTest;

// Records the PK of every record delivered; fails (ReportBatchItemFailures) the first delivery
// of the record whose PK is `fail_once`.
class RecordingHandler final : public functions::Handler {
 public:
  explicit RecordingHandler(std::string fail_once) : fail_once_(std::move(fail_once)) {}
  std::string_view name() const override { return "process-cart-products"; }
  model::Result<std::string> invoke(std::string_view event_json,
                                    const functions::InvocationContext&) override {
    auto event = events::parse_dynamodb_stream_event(event_json);
    if (!event) return std::move(event).error();
    std::lock_guard lock(mutex_);
    std::vector<std::string> batch;
    std::string failed;
    for (const auto& r : event->records) {
      std::string pk = *r.dynamodb.keys.at("PK").as_s();
      batch.push_back(pk);
      if (pk == fail_once_ && failed.empty()) failed = r.dynamodb.sequence_number;
    }
    batches_.push_back(batch);
    if (failed.empty()) return std::string(R"({"batchItemFailures":[]})");
    fail_once_.clear();
    return R"({"batchItemFailures":[{"itemIdentifier":")" + failed + "\"}]}";
  }
  std::vector<std::vector<std::string>> batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  std::mutex mutex_;
  std::string fail_once_;
  std::vector<std::vector<std::string>> batches_;
};

class StreamMappingOnDynamoDbTest : public DynamoDbLocalTest {};

TEST_F(StreamMappingOnDynamoDbTest, PartialFailureCheckpointsAPrefixAndARestartResumesAfterIt) {
  HttpClient http;
  StaticCredentialsProvider creds{Credentials{"test", "test", "", std::nullopt}};
  JsonClient streams(http, creds, ServiceEndpoint{local_->url(), "us-east-1", "dynamodb"},
                     dynamodb_streams_protocol());
  ports::TableDescription d{"mapping_table", {"PK", std::nullopt}, {}, ports::StreamViewType::kNewImage};
  ASSERT_TRUE(create_table(client(), d).ok());
  auto table = DynamoDbTable::open(client(), d.name);
  ASSERT_TRUE(table.ok()) << table.error().message;
  auto arn = latest_stream_arn(client(), d.name);
  ASSERT_TRUE(arn.ok()) << arn.error().message;
  auto put = [&](const std::string& pk) {
    ASSERT_TRUE((*table)->put({{{"PK", pk}, {"v", AttributeValue::integer(1)}}}).ok());
  };
  for (int i = 0; i < 5; ++i) put("k" + std::to_string(i));

  platform::StreamMappingConfig config;
  config.mapping_id = "ddb-local";
  config.event_source_arn = *arn;
  config.batch_size = 10;
  config.starting_position = platform::StartingPosition::kTrimHorizon;
  config.report_batch_item_failures = true;
  config.retry_backoff_base = std::chrono::milliseconds(1);
  config.retry_backoff_max = std::chrono::milliseconds(4);
  config.poll_wait = std::chrono::milliseconds(100);
  platform::MemoryCheckpointStore checkpoints;
  ports::SystemClock clock;
  RecordingHandler handler("k3");
  // One cycle of a mapping on a new stream object (as after a process restart).
  auto poll_fresh = [&]() -> std::size_t {
    DynamoDbChangeStream stream(streams, *arn, ports::StreamViewType::kNewImage,
                                std::chrono::milliseconds(20));
    auto mapping = platform::StreamMapping::create(config, stream, checkpoints, handler, clock);
    EXPECT_TRUE(mapping.ok()) << mapping.error().message;
    if (!mapping.ok()) return 0;
    auto n = (*mapping)->poll_once();
    EXPECT_TRUE(n.ok()) << n.error().message;
    return n.ok() ? *n : 0;
  };
  EXPECT_EQ(poll_fresh(), 5u);
  using Batches = std::vector<std::vector<std::string>>;
  EXPECT_EQ(handler.batches(), (Batches{{"k0", "k1", "k2", "k3", "k4"}, {"k3", "k4"}}));
  put("k5");
  EXPECT_EQ(poll_fresh(), 1u);
  EXPECT_EQ(handler.batches().back(), std::vector<std::string>{"k5"});
}

}  // namespace
}  // namespace cartflow::aws
