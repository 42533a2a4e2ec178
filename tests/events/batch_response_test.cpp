// SPDX-License-Identifier: Apache-2.0
#include "events/batch_response.h"

#include <gtest/gtest.h>

#include "test_data.h"

namespace cartflow::events {
namespace {

TEST(BatchResponse, ParsesTheAwsDocumentationSample) {
  auto response = parse_batch_response(testing::read_event_file("aws_docs_batch_response.json"));
  ASSERT_TRUE(response.ok()) << response.error().message;
  ASSERT_EQ(response->batch_item_failures.size(), 2u);
  EXPECT_EQ(response->batch_item_failures[0].item_identifier, "id2");
  EXPECT_EQ(response->batch_item_failures[1].item_identifier, "id4");
}

TEST(BatchResponse, WritesExactlyWhatLambdaExpects) {
  EXPECT_EQ(to_json(BatchResponse{}), R"({"batchItemFailures":[]})");
  BatchResponse response{{{"059f36b4-87a3"}, {"q\"uote"}}};
  EXPECT_EQ(to_json(response),
            R"({"batchItemFailures":[{"itemIdentifier":"059f36b4-87a3"},)"
            R"({"itemIdentifier":"q\"uote"}]})");
  auto again = parse_batch_response(to_json(response));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, response);
}

TEST(BatchResponse, TreatsEmptyAnswersAsSuccessAsLambdaDoes) {
  for (const char* json : {"", "  ", "null", "{}", R"({"batchItemFailures":[]})",
                           R"({"batchItemFailures":null})", R"({"other":1})"}) {
    auto response = parse_batch_response(json);
    ASSERT_TRUE(response.ok()) << json;
    EXPECT_TRUE(response->batch_item_failures.empty()) << json;
  }
}

TEST(BatchResponse, RejectsAnswersLambdaTreatsAsAFailedBatch) {
  for (const char* json : {"{", R"({"batchItemFailures":{}})", R"({"batchItemFailures":["id"]})",
                           R"({"batchItemFailures":[{}]})",
                           R"({"batchItemFailures":[{"itemIdentifier":""}]})",
                           R"({"batchItemFailures":[{"itemIdentifier":null}]})",
                           R"({"batchItemFailures":[{"itemIdentifier":5}]})", "[]"}) {
    auto response = parse_batch_response(json);
    EXPECT_FALSE(response.ok()) << json;
  }
}

}  // namespace
}  // namespace cartflow::events
