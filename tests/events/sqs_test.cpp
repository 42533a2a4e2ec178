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
  auto attributes = r.attributes();
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  auto message_attributes = r.message_attributes();
  ASSERT_TRUE(message_attributes.ok()) << message_attributes.error().message;
  EXPECT_EQ(attributes->at("ApproximateReceiveCount"), "1");
  EXPECT_EQ(attributes->at("SentTimestamp"), "1545082649183");
  EXPECT_EQ(attributes->at("SenderId"), "AIDAIENQZJOLO23YVJ4VO");
  EXPECT_EQ(attributes->at("ApproximateFirstReceiveTimestamp"), "1545082649185");
  ASSERT_EQ(message_attributes->count("myAttribute"), 1u);
  EXPECT_EQ(message_attributes->at("myAttribute").string_value, "myValue");
  EXPECT_EQ(message_attributes->at("myAttribute").data_type, "String");
  EXPECT_EQ(r.md5_of_body, "e4e68fb7bd0e697a0ae8f1bb342846b3");
  EXPECT_EQ(r.event_source, "aws:sqs");
  EXPECT_EQ(r.event_source_arn, "arn:aws:sqs:us-east-2:123456789012:my-queue");
  EXPECT_EQ(r.aws_region, "us-east-2");
  EXPECT_EQ(event->records[1].message_id, "2e1424d4-f796-459a-8184-9c92662be6da");
  EXPECT_TRUE(event->records[1].message_attributes()->empty());
}

TEST(SqsEvent, ParsesAllMessageAttributeShapes) {
  auto event = parse_sqs_event(read_event_file("aws_sqs_event_message_attributes.json"));
  ASSERT_TRUE(event.ok()) << event.error().message;
  const auto& r = event->records.at(0);
  EXPECT_EQ(r.body, R"({"a":"Test","b":123})");
  EXPECT_EQ(r.md5_of_message_attributes, "582c92c5c5b6ac403040a4f3ab3115c9");
  auto message_attributes = r.message_attributes();
  ASSERT_TRUE(message_attributes.ok()) << message_attributes.error().message;
  const auto& binary = message_attributes->at("Attribute3");
  EXPECT_EQ(binary.binary_value, "MTEwMA==");
  EXPECT_EQ(binary.string_list_values, (std::vector<std::string>{"abc", "123"}));
  EXPECT_EQ(binary.binary_list_values.size(), 3u);
  EXPECT_EQ(message_attributes->at("Attribute2").data_type, "Number");
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
  EXPECT_FALSE(r.message_attributes()->at("a").string_value.has_value());
  EXPECT_TRUE(r.attributes()->empty());
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

TEST(SqsEvent, AttributesStayTextAndDecodeOnDemandAsTheyDidWhenParsed) {
  auto event = parse_sqs_event(
      R"({"Records":[{"messageId":"m","attributes" : { "SenderId":"x", "A\u0042":"y","SenderId":"z" } ,)"
      R"("messageAttributes":{"k":{"stringValue":"v","stringListValues":[],"binaryListValues":[],)"
      R"("dataType":"String"}}},{"messageId":"n","attributes":{ },"messageAttributes":null}]})");
  ASSERT_TRUE(event.ok()) << event.error().message;
  const auto& r = event->records.at(0);
  EXPECT_EQ(r.attributes_json, R"({ "SenderId":"x", "A\u0042":"y","SenderId":"z" })");
  auto attributes = r.attributes();
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  EXPECT_EQ(*attributes, (SqsAttributes{{"SenderId", "z"}, {"AB", "y"}}));  // the last one wins
  auto message_attributes = r.message_attributes();
  ASSERT_TRUE(message_attributes.ok()) << message_attributes.error().message;
  EXPECT_EQ(*message_attributes,
            (SqsMessageAttributes{{"k", {std::string("v"), std::nullopt, {}, {}, "String"}}}));
  // Empty and null objects are no text, and decode to nothing.
  const auto& empty = event->records.at(1);
  EXPECT_EQ(empty.attributes_json, "");
  EXPECT_EQ(empty.message_attributes_json, "");
  EXPECT_TRUE(empty.attributes()->empty());
  EXPECT_TRUE(empty.message_attributes()->empty());
  // Setting is encoding: what the setters write decodes to what they were given.
  SqsRecord set;
  set.set_attributes(*attributes);
  set.set_message_attributes(*message_attributes);
  EXPECT_EQ(*set.attributes(), *attributes);
  EXPECT_EQ(*set.message_attributes(), *message_attributes);
  set.set_attributes({});
  EXPECT_EQ(set.attributes_json, "");
}

TEST(SqsEvent, MalformedAttributeTextIsAnErrorNotACrash) {
  struct Case {
    const char* attributes;
    const char* message_attributes;
    const char* mentions;
  };
  const Case cases[] = {
      {R"({"SentTimestamp":1})", "", "attributes.SentTimestamp"},
      {R"({"a":"b"} x)", "", "attributes"},
      {"[]", "", "attributes"},
      {"{", "", "attributes"},
      {"", R"({"k":{"dataType":1}})", "messageAttributes.k.dataType"},
      {"", R"({"k":"v"})", "messageAttributes.k"},
      {"", R"("nope")", "messageAttributes"},
  };
  for (const auto& c : cases) {
    SqsRecord r;
    r.attributes_json = c.attributes;
    r.message_attributes_json = c.message_attributes;
    auto attributes = r.attributes();
    auto message_attributes = r.message_attributes();
    const bool on_attributes = *c.attributes != 0;
    ASSERT_FALSE(on_attributes ? attributes.ok() : message_attributes.ok()) << c.mentions;
    const model::Error& failed = on_attributes ? attributes.error() : message_attributes.error();
    EXPECT_EQ(failed.code, model::ErrorCode::kInvalidArgument);
    EXPECT_NE(failed.message.find(c.mentions), std::string::npos) << failed.message;
    if (*c.message_attributes != 0) {
      EXPECT_FALSE(to_port_attributes(r).ok());
    }
    // The same text inside an event fails the parse, naming the record (and the field, where
    // the event is still JSON).
    std::string event = R"({"Records":[{"messageId":"m",)";
    event += on_attributes ? std::string("\"attributes\":") + c.attributes
                                : std::string("\"messageAttributes\":") + c.message_attributes;
    event += "}]}";
    auto parsed = parse_sqs_event(event);
    ASSERT_FALSE(parsed.ok()) << event;
    EXPECT_NE(parsed.error().message.find("Records[0]"), std::string::npos)
        << parsed.error().message;
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
  auto attributes = r.attributes();
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  EXPECT_EQ(attributes->at("ApproximateReceiveCount"), "3");
  EXPECT_EQ(attributes->at("SentTimestamp"), "1000");
  EXPECT_EQ(attributes->at("ApproximateFirstReceiveTimestamp"), "2000");
  auto message_attributes = r.message_attributes();
  ASSERT_TRUE(message_attributes.ok()) << message_attributes.error().message;
  EXPECT_EQ(message_attributes->at("order_id").string_value, "o-1");
  EXPECT_EQ(message_attributes->at("blob").binary_value, "AP8=");
  auto back = to_port_attributes(r);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, message.attributes);
  auto parsed = parse_sqs_event(to_json(SqsEvent{{r}}));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->records.at(0), r);
}

}  // namespace
}  // namespace cartflow::events
