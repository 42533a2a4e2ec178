// SPDX-License-Identifier: Apache-2.0
// The compiled-in mapping settings (deploy/event-source-mappings.json, proven equal to the SAM
// template by tests/deploy) parse into the configs `cartflow serve` uses.
#include <gtest/gtest.h>

#include "mapping_settings.h"

namespace cartflow::app {
namespace {

TEST(MappingSettings, CompiledInSettingsMatchTheTemplatesValues) {
  auto s = parse_mapping_settings(mapping_settings_json());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->stream.starting_position, platform::StartingPosition::kLatest);
  EXPECT_EQ(s->stream.batch_size, 100);
  EXPECT_TRUE(s->stream.bisect_batch_on_function_error);
  EXPECT_EQ(s->stream.maximum_retry_attempts, 10);
  EXPECT_EQ(s->stream.maximum_record_age_seconds, 3600);
  EXPECT_TRUE(s->stream.report_batch_item_failures);
  ASSERT_EQ(s->stream.filter_patterns.size(), 1u);
  EXPECT_NE(s->stream.filter_patterns[0].find("ORDERED"), std::string::npos);
  EXPECT_EQ(s->queue.batch_size, 5);
  EXPECT_TRUE(s->queue.report_batch_item_failures);
  EXPECT_EQ(s->queue.maximum_concurrency, 2);
  EXPECT_EQ(s->queue_visibility_timeout_seconds, 30);
  EXPECT_EQ(s->max_receive_count, 5);
}

TEST(MappingSettings, RejectsMissingAndMistypedProperties) {
  auto missing = parse_mapping_settings(R"({"OrderQueue": {}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("OrderStream"), std::string::npos);

  std::string text(mapping_settings_json());
  const std::string from = "\"BatchSize\": 5";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "\"BatchSize\": \"five\"");
  auto mistyped = parse_mapping_settings(text);
  ASSERT_FALSE(mistyped.ok());
  EXPECT_NE(mistyped.error().message.find("OrderQueue.BatchSize must be an integer"),
            std::string::npos)
      << mistyped.error().message;

  EXPECT_FALSE(parse_mapping_settings("not json").ok());
}

TEST(MappingSettings, OutOfRangeValuesAreRejectedByLambdasRules) {
  std::string text(mapping_settings_json());
  const std::string from = "\"BatchSize\": 5";
  text.replace(text.find(from), from.size(), "\"BatchSize\": 11");
  EXPECT_FALSE(parse_mapping_settings(text).ok());
}

}  // namespace
}  // namespace cartflow::app
