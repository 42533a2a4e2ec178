// SPDX-License-Identifier: Apache-2.0
#include "events/dynamodb_stream.h"

#include <gtest/gtest.h>

#include "model/dynamo_json.h"
#include "test_data.h"

namespace cartflow::events {
namespace {

using model::AttributeValue;
using testing::read_event_file;

TEST(DynamoDbStreamEvent, ParsesTheAwsDocumentationSample) {
  auto event = parse_dynamodb_stream_event(read_event_file("aws_docs_dynamodb_stream_event.json"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  ASSERT_EQ(event->records.size(), 3u);
  const auto& insert = event->records[0];
  EXPECT_EQ(insert.event_id, "1");
  EXPECT_EQ(insert.event_name, "INSERT");
  EXPECT_EQ(insert.event_version, "1.0");
  EXPECT_EQ(insert.event_source, "aws:dynamodb");
  EXPECT_EQ(insert.aws_region, "us-west-2");
  EXPECT_NE(insert.event_source_arn.find(":table/ExampleTableWithStream/stream/"),
            std::string::npos);
  EXPECT_EQ(insert.dynamodb.sequence_number, "111");
  EXPECT_EQ(insert.dynamodb.size_bytes, 26);
  EXPECT_EQ(insert.dynamodb.stream_view_type, "NEW_AND_OLD_IMAGES");
  EXPECT_FALSE(insert.dynamodb.approximate_creation_date_time.has_value());
  EXPECT_EQ(insert.dynamodb.keys.at("Id"), AttributeValue::integer(101));
  ASSERT_TRUE(insert.dynamodb.new_image.has_value());
  EXPECT_EQ(insert.dynamodb.new_image->at("Message"), AttributeValue("New item!"));
  EXPECT_FALSE(insert.dynamodb.old_image.has_value());

  const auto& modify = event->records[1];
  EXPECT_EQ(modify.event_name, "MODIFY");
  ASSERT_TRUE(modify.dynamodb.old_image && modify.dynamodb.new_image);
  EXPECT_EQ(modify.dynamodb.old_image->at("Message"), AttributeValue("New item!"));
  EXPECT_EQ(modify.dynamodb.new_image->at("Message"), AttributeValue("This item has changed"));

  const auto& remove = event->records[2];
  EXPECT_EQ(remove.event_name, "REMOVE");
  EXPECT_EQ(remove.dynamodb.sequence_number, "333");
  EXPECT_FALSE(remove.dynamodb.new_image.has_value());
  EXPECT_TRUE(remove.dynamodb.old_image.has_value());
}

TEST(DynamoDbStreamEvent, ParsesBinaryValuesUserIdentityAndFractionalTimes) {
  auto event =
      parse_dynamodb_stream_event(read_event_file("aws_dynamodb_stream_binary_ttl_event.json"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  ASSERT_EQ(event->records.size(), 2u);
  const auto& first = event->records[0];
  EXPECT_FALSE(first.user_identity_type.has_value());
  EXPECT_EQ(first.dynamodb.approximate_creation_date_time, 1480642020.0);
  const auto* bytes = first.dynamodb.new_image->at("asdf1").as_b();
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(bytes->data, std::string("\x00\x01\x2a\x41", 4));
  ASSERT_NE(first.dynamodb.new_image->at("asdf2").as_bs(), nullptr);
  EXPECT_EQ(first.dynamodb.new_image->at("asdf2").as_bs()->values.size(), 2u);

  const auto& ttl = event->records[1];
  EXPECT_EQ(ttl.user_identity_type, "Service");
  EXPECT_EQ(ttl.user_identity_principal_id, "dynamodb.amazonaws.com");
  EXPECT_EQ(ttl.dynamodb.approximate_creation_date_time, 1693997155.0);
  EXPECT_TRUE(ttl.dynamodb.old_image->at("Null").variant().index() ==
              AttributeValue(model::Null{}).variant().index());
}

TEST(DynamoDbStreamEvent, RoundTripsThroughJson) {
  for (const char* file : {"aws_docs_dynamodb_stream_event.json",
                           "aws_dynamodb_stream_binary_ttl_event.json",
                           "order_stream_event.json"}) {
    auto event = parse_dynamodb_stream_event(read_event_file(file));
    ASSERT_TRUE(event.ok()) << file << ": " << event.error().message;
    const std::string json = to_json(*event);
    auto again = parse_dynamodb_stream_event(json);
    ASSERT_TRUE(again.ok()) << file << ": " << again.error().message << "\n" << json;
    EXPECT_EQ(*again, *event) << file;
    EXPECT_EQ(to_json(*again), json) << file;
  }
}

TEST(DynamoDbStreamEvent, ParsesOneRecordOnItsOwn) {
  auto record =
      parse_dynamodb_stream_record(read_event_file("reference_consumer_message_body.json"));
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(record->event_name, "INSERT");
  ASSERT_TRUE(record->dynamodb.new_image.has_value());
  EXPECT_EQ(record->dynamodb.new_image->at("order_id"), AttributeValue("ref-order-1"));
  auto again = parse_dynamodb_stream_record(to_json(*record));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *record);
}

TEST(DynamoDbStreamEvent, EmptyRecordsIsAnEmptyEvent) {
  auto event = parse_dynamodb_stream_event(R"({"Records":[]})");
  ASSERT_TRUE(event.ok());
  EXPECT_TRUE(event->records.empty());
}

TEST(DynamoDbStreamEvent, RejectsMalformedEventsWithThePlace) {
  struct Case {
    const char* json;
    const char* mentions;
  };
  const Case cases[] = {
      {"", "document"},
      {"not json", "document"},
      {"[]", "document"},
      {R"({"records":[]})", "missing Records"},
      {R"({"Records":{}})", "Records"},
      {R"({"Records":[1]})", "Records[0]"},
      {R"({"Records":[{"eventID":"1","eventName":"INSERT"}]})", "Records[0].dynamodb"},
      {R"({"Records":[{"eventID":7,"dynamodb":{"SequenceNumber":"1"}}]})", "Records[0].eventID"},
      {R"({"Records":[{"dynamodb":{"Keys":{}}}]})", "SequenceNumber"},
      {R"({"Records":[{"dynamodb":{"SequenceNumber":"1"}},{"dynamodb":{"SequenceNumber":"2",)"
       R"("NewImage":{"a":{"N":"x"}}}}]})",
       "Records[1].NewImage"},
      {R"({"Records":[{"dynamodb":{"SequenceNumber":"1","NewImage":{"a":{"Q":"x"}}}}]})",
       "NewImage"},
      {R"({"Records":[{"dynamodb":{"SequenceNumber":"1","NewImage":[]}}]})", "NewImage"},
      {R"({"Records":[{"dynamodb":{"SequenceNumber":"1","SizeBytes":"26"}}]})", "SizeBytes"},
  };
  for (const auto& c : cases) {
    auto event = parse_dynamodb_stream_event(c.json);
    ASSERT_FALSE(event.ok()) << c.json;
    EXPECT_EQ(event.error().code, model::ErrorCode::kInvalidArgument) << c.json;
    EXPECT_NE(event.error().message.find(c.mentions), std::string::npos)
        << c.json << " -> " << event.error().message;
  }
}

// A record with its images dropped, to compare the rest of two forms of it.
DynamoDbStreamRecord without_images(DynamoDbStreamRecord r) {
  r.dynamodb.keys.clear();
  r.dynamodb.new_image.reset();
  r.dynamodb.old_image.reset();
  r.dynamodb.keys_text.clear();
  r.dynamodb.new_image_text.reset();
  r.dynamodb.old_image_text.reset();
  return r;
}

void expect_same_image(const std::optional<model::Item>& item,
                       const std::optional<std::string>& text) {
  ASSERT_EQ(item.has_value(), text.has_value());
  if (!item) return;
  auto parsed = model::parse_item(*text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, *item) << *text;
}

TEST(DynamoDbStreamEvent, TheTextFormKeepsEachImageAndAgreesWithTheItemForm) {
  for (const char* file : {"aws_docs_dynamodb_stream_event.json",
                           "aws_dynamodb_stream_binary_ttl_event.json", "order_stream_event.json"}) {
    const std::string json = read_event_file(file);
    auto items = parse_dynamodb_stream_event(json);
    auto texts = parse_dynamodb_stream_event(json, ImageForm::kText);
    ASSERT_TRUE(items.ok() && texts.ok()) << file;
    ASSERT_EQ(items->records.size(), texts->records.size());
    for (std::size_t i = 0; i < items->records.size(); ++i) {
      const auto& a = items->records[i].dynamodb;
      const auto& b = texts->records[i].dynamodb;
      EXPECT_EQ(without_images(items->records[i]), without_images(texts->records[i])) << file;
      EXPECT_TRUE(b.keys.empty() && !b.new_image && !b.old_image) << file;
      expect_same_image(a.keys, b.keys_text);
      expect_same_image(a.new_image, b.new_image_text);
      expect_same_image(a.old_image, b.old_image_text);
    }
    // The text form round-trips too, to the same text.
    const std::string again_json = to_json(*texts);
    auto again = parse_dynamodb_stream_event(again_json, ImageForm::kText);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(*again, *texts) << file;
    EXPECT_EQ(to_json(*again), again_json) << file;
  }
}

TEST(DynamoDbStreamEvent, TheTextFormIsTheEventsOwnSpelling) {
  // White space, key order, escapes, number spellings and nested M and L are kept as sent.
  const std::string image =
      "{ \"order_status\" : {\"S\":\"ORDERED\"},\n  \"b\":{\"N\":\"2.50\"}, "
      "\"a\":{\"M\":{\"x\":{\"L\":[{\"S\":\"\\u00e9\"},{\"M\":{}}]}}} }";
  const std::string json = "{\"Records\":[{\"eventName\":\"INSERT\",\"dynamodb\":{"
                           "\"SequenceNumber\":\"1\",\"NewImage\": " + image +
                           " \n ,\"SizeBytes\":3}}]}";
  auto event = parse_dynamodb_stream_event(json, ImageForm::kText);
  ASSERT_TRUE(event.ok()) << event.error().message;
  const auto& d = event->records.at(0).dynamodb;
  EXPECT_EQ(d.new_image_text, image);
  EXPECT_EQ(d.keys_text, "{}");  // no Keys: what to_json writes for none
  EXPECT_FALSE(d.old_image_text.has_value());
  EXPECT_EQ(d.size_bytes, 3);
}

TEST(DynamoDbStreamEvent, TheTextFormRejectsWhatTheItemFormRejects) {
  for (const std::string image :
       {R"({"a":{"N":"x"}})", R"({"a":{"Q":"x"}})", R"([])", R"({"a":{"S":"x"},"a":{"S":"y"}})",
        R"({"l":{"L":[{"M":{"k":{"S":"x"},"k":{"N":"1"}}}]}})", R"({"":{"S":"x"}})",
        R"({"m":{"M":{"k":{"S":"x"},"k":{"S":"x"}}}})", R"({"a":{"SS":[]}})"}) {
    for (const char* field : {"Keys", "NewImage", "OldImage"}) {
      const std::string json = std::string(R"({"Records":[{"dynamodb":{"SequenceNumber":"1",")") +
                               field + "\":" + image + "}}]}";
      auto items = parse_dynamodb_stream_event(json);
      auto texts = parse_dynamodb_stream_event(json, ImageForm::kText);
      ASSERT_FALSE(items.ok()) << json;
      ASSERT_FALSE(texts.ok()) << json;
      EXPECT_EQ(texts.error().code, model::ErrorCode::kInvalidArgument);
      EXPECT_EQ(texts.error().message, items.error().message) << json;
    }
  }
}

TEST(DynamoDbStreamEvent, IgnoresUnknownFields) {
  auto event = parse_dynamodb_stream_event(
      R"({"Records":[{"eventID":"e","new":{"x":[1,2]},"dynamodb":{"SequenceNumber":"5",)"
      R"("Other":true}}],"window":{}})");
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->records.at(0).dynamodb.sequence_number, "5");
}

TEST(DynamoDbStreamEvent, BuildsLambdaRecordsFromTheChangeStream) {
  ports::StreamRecord change;
  change.event_id = "evt-1";
  change.event_name = ports::StreamEventName::kInsert;
  change.sequence_number = "000000000000000000042";
  change.approximate_creation_ms = 1'700'000'000'999;
  change.keys = {{"PK", AttributeValue("ORDER#1")}, {"SK", AttributeValue("ORDER#1")}};
  change.new_image = model::Item{{"PK", AttributeValue("ORDER#1")},
                                 {"SK", AttributeValue("ORDER#1")},
                                 {"order_total", AttributeValue::integer(12)}};
  change.size_bytes = 40;
  change.view_type = ports::StreamViewType::kNewImage;
  auto record = to_lambda_record(change, "eu-west-1", "arn:aws:dynamodb:eu-west-1:1:table/t/stream/x");
  EXPECT_EQ(record.event_name, "INSERT");
  EXPECT_EQ(record.event_source, "aws:dynamodb");
  EXPECT_EQ(record.event_version, "1.1");
  EXPECT_EQ(record.dynamodb.approximate_creation_date_time, 1'700'000'000.0);
  EXPECT_EQ(record.dynamodb.stream_view_type, "NEW_IMAGE");
  EXPECT_EQ(record.dynamodb.sequence_number, change.sequence_number);
  DynamoDbStreamEvent event{{record}};
  const std::string json = to_json(event);
  EXPECT_NE(json.find(R"("ApproximateCreationDateTime":1700000000,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("order_total":{"N":"12"})"), std::string::npos) << json;
  auto parsed = parse_dynamodb_stream_event(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->records.at(0), record);
}

}  // namespace
}  // namespace cartflow::events
