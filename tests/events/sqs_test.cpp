// SPDX-License-Identifier: Apache-2.0
#include "events/sqs.h"

#include <gtest/gtest.h>

#include "test_data.h"

namespace cartflow::events {
namespace {

using testing::read_event_file;

TEST(SqsEvent, ParsesTheAwsDocumentationSample) {
  auto event = parse_sqs_event(read_event_file("aws_docs_sqs_event.json"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  ASSERT_EQ(event->records.size(), 2u);
  const auto& r = event->records[0];
  EXPECT_EQ(r.message_id, "059f36b4-87a3-44ab-83d2-661975830a7d");
  EXPECT_EQ(r.receipt_handle, "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...");
  EXPECT_EQ(r.body, "Test message.");
  EXPECT_EQ(r.attributes.at("ApproximateReceiveCount"), "1");
  EXPECT_EQ(r.attributes.at("SentTimestamp"), "1545082649183");
  EXPECT_EQ(r.attributes.at("SenderId"), "AIDAIENQZJOLO23YVJ4VO");
  EXPECT_EQ(r.attributes.at("ApproximateFirstReceiveTimestamp"), "1545082649185");
  ASSERT_EQ(r.message_attributes.count("myAttribute"), 1u);
  EXPECT_EQ(r.message_attributes.at("myAttribute").string_value, "myValue");
  EXPECT_EQ(r.message_attributes.at("myAttribute").data_type, "String");
  EXPECT_EQ(r.md5_of_body, "e4e68fb7bd0e697a0ae8f1bb342846b3");
  EXPECT_EQ(r.event_source, "aws:sqs");
  EXPECT_EQ(r.event_source_arn, "arn:aws:sqs:us-east-2:123456789012:my-queue");
  EXPECT_EQ(r.aws_region, "us-east-2");
  EXPECT_EQ(event->records[1].message_id, "2e1424d4-f796-459a-8184-9c92662be6da");
  EXPECT_TRUE(event->records[1].message_attributes.empty());
}

TEST(SqsEvent, ParsesAllMessageAttributeShapes) {
  auto event = parse_sqs_event(read_event_file("aws_sqs_event_message_attributes.json"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  const auto& r = event->records.at(0);
  EXPECT_EQ(r.body, R"({"a":"Test","b":123})");
  EXPECT_EQ(r.md5_of_message_attributes, "582c92c5c5b6ac403040a4f3ab3115c9");
  const auto& binary = r.message_attributes.at("Attribute3");
  EXPECT_EQ(binary.binary_value, "MTEwMA==");
  EXPECT_EQ(binary.string_list_values, (std::vector<std::string>{"abc", "123"}));
  EXPECT_EQ(binary.binary_list_values.size(), 3u);
  EXPECT_EQ(r.message_attributes.at("Attribute2").data_type, "Number");
  auto port = to_port_attributes(r);
  ASSERT_TRUE(port.ok()) << port.error().message;
  EXPECT_EQ(port->at("Attribute3").binary_value, "1100");
  EXPECT_EQ(port->at("Attribute1").string_value, "AttributeValue1");
}

TEST(SqsEvent, RoundTripsThroughJson) {
  for (const char* file :
       {"aws_docs_sqs_event.json", "aws_sqs_event_message_attributes.json", "order_sqs_event.json"}) {
    auto event = parse_sqs_event(read_event_file(file));
    ASSERT_TRUE(event.ok()) << file << ": " << event.error().message;
    const std::string json = to_json(*event);
    auto again = parse_sqs_event(json);
    ASSERT_TRUE(again.ok()) << file << ": " << again.error().message << "\n" << json;
    EXPECT_EQ(*again, *event) << file;
  }
}

TEST(SqsEvent, NullOptionalFieldsAreAbsent) {
  auto event = parse_sqs_event(
      R"({"Records":[{"messageId":"m","body":"b","md5OfMessageAttributes":null,)"
      R"("messageAttributes":{"a":{"stringValue":null,"binaryValue":null,"dataType":"String",)"
      R"("stringListValues":null}},"attributes":null}]})");
  ASSERT_TRUE(event.ok()) << event.error().message;
  const auto& r = event->records.at(0);
  EXPECT_FALSE(r.md5_of_message_attributes.has_value());
  EXPECT_FALSE(r.message_attributes.at("a").string_value.has_value());
  EXPECT_TRUE(r.attributes.empty());
}

TEST(SqsEvent, RejectsMalformedEventsWithThePlace) {
  struct Case {
    const char* json;
    const char* mentions;
  };
  const Case cases[] = {
      {"{", "document"},
      {R"({"Records":"x"})", "Records"},
      {R"({})", "missing Records"},
      {R"({"Records":[{"body":"no id"}]})", "Records[0].messageId"},
      {R"({"Records":[{"messageId":"a"},{"messageId":3}]})", "Records[1].messageId"},
      {R"({"Records":[{"messageId":"a","body":{}}]})", "body"},
      {R"({"Records":[{"messageId":"a","attributes":{"SentTimestamp":1}}]})",
       "attributes.SentTimestamp"},
      {R"({"Records":[{"messageId":"a","messageAttributes":{"k":{"dataType":1}}}]})",
       "messageAttributes.k.dataType"},
  };
  for (const auto& c : cases) {
    auto event = parse_sqs_event(c.json);
    ASSERT_FALSE(event.ok()) << c.json;
    EXPECT_NE(event.error().message.find(c.mentions), std::string::npos)
        << c.json << " -> " << event.error().message;
  }
}

TEST(SqsEvent, BuildsLambdaRecordsFromQueueMessages) {
  ports::Message message;
  message.message_id = "id-1";
  message.receipt_handle = "rh-1";
  message.body = "{\"x\":1}";
  message.md5_of_body = "abc";
  message.sent_timestamp_ms = 1000;
  message.first_receive_timestamp_ms = 2000;
  message.receive_count = 3;
  message.attributes["order_id"] = ports::MessageAttribute{"String", "o-1", ""};
  message.attributes["blob"] = ports::MessageAttribute{"Binary", "", std::string("\x00\xff", 2)};
  auto r = to_lambda_record(message, "local", "arn:aws:sqs:us-east-1:000000000000:q", "us-east-1");
  EXPECT_EQ(r.attributes.at("ApproximateReceiveCount"), "3");
  EXPECT_EQ(r.attributes.at("SentTimestamp"), "1000");
  EXPECT_EQ(r.attributes.at("ApproximateFirstReceiveTimestamp"), "2000");
  EXPECT_EQ(r.message_attributes.at("order_id").string_value, "o-1");
  EXPECT_EQ(r.message_attributes.at("blob").binary_value, "AP8=");
  auto back = to_port_attributes(r);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, message.attributes);
  auto parsed = parse_sqs_event(to_json(SqsEvent{{r}}));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->records.at(0), r);
}

}  // namespace
}  // namespace cartflow::events
