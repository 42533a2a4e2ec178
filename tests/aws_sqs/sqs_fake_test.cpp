// SPDX-License-Identifier: Apache-2.0
// SqsQueue against a scripted server (tests/aws/local_server.h): MD5 checks on send and
// receive, the request bodies it writes, and how SQS error answers map to model errors.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <mutex>

#include "aws/sqs_queue.h"
#include "local_server.h"

namespace cartflow::aws {
namespace {

using model::ErrorCode;
using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

constexpr const char* kUrl = "http://127.0.0.1:1/123456789012/orders";
constexpr const char* kMd5Hello = "5d41402abc4b2a76b9719d911017c592";  // md5("hello")

// A scripted SQS: answers each operation (X-Amz-Target) with the response set for it and
// records the request bodies.
class FakeSqs {
 public:
  FakeSqs()
      : server_([this](const LocalRequest& r) { return answer(r); }),
        creds_(Credentials{"test", "test", "", std::nullopt}),
        client_(http_, creds_, ServiceEndpoint{server_.url(), "us-east-1", "sqs"}, sqs_protocol()),
        queue_(client_, kUrl) {
    client_.set_sleep([](std::chrono::milliseconds) {});
  }

  void on(const std::string& operation, LocalResponse response) {
    std::lock_guard lock(mutex_);
    responses_[operation] = std::move(response);
  }
  void on(const std::string& operation, const std::string& json) { on(operation, LocalResponse{200, {}, json}); }
  // The last body sent for `operation`, parsed.
  simdjson::dom::element last(const std::string& operation) {
    std::lock_guard lock(mutex_);
    return parser_.parse(simdjson::padded_string(bodies_[operation])).value();
  }
  std::size_t requests() const { return server_.requests(); }
  JsonClient& client() { return client_; }
  SqsQueue& queue() { return queue_; }

 private:
  LocalResponse answer(const LocalRequest& r) {
    std::lock_guard lock(mutex_);
    auto target = r.headers.count("x-amz-target") ? r.headers.at("x-amz-target") : "";
    std::string operation = target.substr(target.find('.') + 1);
    bodies_[operation] = r.body;
    if (target.rfind("AmazonSQS.", 0) != 0 || !responses_.count(operation)) {
      return {400, {}, R"({"__type":"com.amazonaws.sqs#UnsupportedOperation","message":"unscripted"})"};
    }
    return responses_[operation];
  }

  // Declared first so that they outlive the server's threads.
  std::mutex mutex_;
  std::map<std::string, LocalResponse> responses_;  // GUARDED_BY(mutex_)
  std::map<std::string, std::string> bodies_;       // GUARDED_BY(mutex_)
  simdjson::dom::parser parser_;                    // GUARDED_BY(mutex_)
  LocalServer server_;
  HttpClient http_;
  StaticCredentialsProvider creds_;
  JsonClient client_;
  SqsQueue queue_;
};

ports::SendEntry entry(std::string id, std::string body) {
  ports::SendEntry e;
  e.id = std::move(id);
  e.body = std::move(body);
  return e;
}

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

TEST(SqsQueueFake, SendChecksTheBodyMd5) {
  FakeSqs sqs;
  sqs.on("SendMessage", std::string(R"({"MessageId":"m1","MD5OfMessageBody":")") + kMd5Hello + "\"}");
  auto ok = sqs.queue().send(entry("1", "hello"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->message_id, "m1");
  EXPECT_EQ(str(sqs.last("SendMessage")["QueueUrl"]), kUrl);
  EXPECT_EQ(str(sqs.last("SendMessage")["MessageBody"]), "hello");

  auto bad = sqs.queue().send(entry("1", "hellO"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(bad.error().message.rfind("MD5Mismatch", 0), 0u) << bad.error().message;
}

TEST(SqsQueueFake, SendBatchTurnsAnMd5MismatchIntoAnEntryFailure) {
  FakeSqs sqs;
  sqs.on("SendMessageBatch", std::string(R"({"Successful":[)") +
                                 R"({"Id":"b","MessageId":"m2","MD5OfMessageBody":"00000000000000000000000000000000"},)" +
                                 R"({"Id":"a","MessageId":"m1","MD5OfMessageBody":")" + kMd5Hello + "\"}]," +
                                 R"("Failed":[{"Id":"c","Code":"InternalError","Message":"x","SenderFault":false}]})");
  auto r = sqs.queue().send_batch({entry("a", "hello"), entry("b", "hello"), entry("c", "hello")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->successful.size(), 1u);
  EXPECT_EQ(r->successful[0].id, "a");
  ASSERT_EQ(r->failed.size(), 2u);
  EXPECT_EQ(r->failed[0].id, "b");
  EXPECT_EQ(r->failed[0].code, "MD5Mismatch");
  EXPECT_FALSE(r->failed[0].sender_fault);
  EXPECT_EQ(r->failed[1].id, "c");
  EXPECT_EQ(r->failed[1].code, "InternalError");
  EXPECT_FALSE(r->failed[1].sender_fault);
  auto sent = sqs.last("SendMessageBatch")["Entries"].get_array().value();
  EXPECT_EQ(sent.size(), 3u);
}

TEST(SqsQueueFake, ReceiveDropsAMessageWhoseMd5DoesNotMatch) {
  FakeSqs sqs;
  sqs.on("ReceiveMessage",
         std::string(R"({"Messages":[)") +
             R"({"MessageId":"m1","ReceiptHandle":"h1","Body":"hellO","MD5OfBody":")" + kMd5Hello + "\"}," +
             R"({"MessageId":"m2","ReceiptHandle":"h2","Body":"hello","MD5OfBody":")" + kMd5Hello + "\"," +
             R"("Attributes":{"SentTimestamp":"1700000000000","ApproximateFirstReceiveTimestamp":"1700000000100",)" +
             R"("ApproximateReceiveCount":"3"},"MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":"AAH/"},)" +
             R"("n":{"DataType":"Number","StringValue":"1.5"}}}]})");
  auto got = sqs.queue().receive({10, 45, std::chrono::milliseconds(1500)});
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  const auto& m = got->front();
  EXPECT_EQ(m.message_id, "m2");
  EXPECT_EQ(m.receipt_handle, "h2");
  EXPECT_EQ(m.sent_timestamp_ms, 1'700'000'000'000);
  EXPECT_EQ(m.first_receive_timestamp_ms, 1'700'000'000'100);
  EXPECT_EQ(m.receive_count, 3);
  EXPECT_EQ(m.attributes.at("b").binary_value, std::string("\x00\x01\xff", 3));
  EXPECT_EQ(m.attributes.at("n").string_value, "1.5");

  auto body = sqs.last("ReceiveMessage");
  EXPECT_EQ(int64_t(body["MaxNumberOfMessages"]), 10);
  EXPECT_EQ(int64_t(body["VisibilityTimeout"]), 45);
  EXPECT_EQ(int64_t(body["WaitTimeSeconds"]), 2);  // 1.5 s rounded up
  EXPECT_EQ(str(body["MessageAttributeNames"].at(0)), "All");
  EXPECT_EQ(str(body["MessageSystemAttributeNames"].at(0)), "All");

  ASSERT_TRUE(sqs.queue().receive({1, std::nullopt, std::chrono::minutes(2)}).ok());
  body = sqs.last("ReceiveMessage");
  EXPECT_EQ(int64_t(body["WaitTimeSeconds"]), 20);  // SQS's maximum
  EXPECT_TRUE(body["VisibilityTimeout"].error() == simdjson::NO_SUCH_FIELD);
}

TEST(SqsQueueFake, SendsAttributesAsSqsJson) {
  FakeSqs sqs;
  sqs.on("SendMessage", std::string(R"({"MessageId":"m1","MD5OfMessageBody":")") + kMd5Hello + "\"}");
  auto e = entry("1", "hello");
  e.attributes["s"] = {"String", "text", ""};
  e.attributes["b"] = {"Binary.raw", "", std::string("\x00\x01\xff", 3)};
  e.delay_seconds = 5;
  ASSERT_TRUE(sqs.queue().send(e).ok());
  auto body = sqs.last("SendMessage");
  EXPECT_EQ(str(body["MessageAttributes"]["s"]["DataType"]), "String");
  EXPECT_EQ(str(body["MessageAttributes"]["s"]["StringValue"]), "text");
  EXPECT_EQ(str(body["MessageAttributes"]["b"]["DataType"]), "Binary.raw");
  EXPECT_EQ(str(body["MessageAttributes"]["b"]["BinaryValue"]), "AAH/");
  EXPECT_EQ(int64_t(body["DelaySeconds"]), 5);
}

TEST(SqsQueueFake, MapsSqsErrors) {
  FakeSqs sqs;
  auto query_error = [](const std::string& type, const std::string& query) {
    return LocalResponse{400, {{"x-amzn-query-error", query + ";Sender"}},
                         R"({"__type":"com.amazonaws.sqs#)" + type + R"(","message":"details"})"};
  };
  sqs.on("GetQueueUrl", query_error("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"));
  auto missing = SqsQueue::open(sqs.client(), "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(str(sqs.last("GetQueueUrl")["QueueName"]), "nope");

  sqs.on("DeleteMessageBatch", query_error("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"));
  auto dup = sqs.queue().remove_batch({{"a", "h1"}, {"b", "h2"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(dup.error().message, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct: details");

  sqs.on("DeleteMessage", query_error("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"));
  EXPECT_EQ(sqs.queue().remove("h").error().code, ErrorCode::kInvalidArgument);
  sqs.on("ChangeMessageVisibility", query_error("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"));
  EXPECT_EQ(sqs.queue().change_visibility("h", 0).error().code, ErrorCode::kInvalidArgument);
  sqs.on("PurgeQueue", query_error("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress"));
  EXPECT_EQ(sqs.queue().purge().error().code, ErrorCode::kThrottled);
  sqs.on("SendMessage", query_error("InvalidParameterValue", "InvalidParameterValue"));
  EXPECT_EQ(sqs.queue().send(entry("1", "x")).error().code, ErrorCode::kInvalidArgument);

  std::size_t before = sqs.requests();  // local checks make no call
  EXPECT_EQ(sqs.queue().send(entry("1", "")).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sqs.queue().send_batch({}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sqs.queue().remove_batch({{"a", "1"}, {"a", "2"}}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sqs.requests(), before);
}

TEST(SqsQueueFake, AdminCalls) {
  FakeSqs sqs;
  sqs.on("CreateQueue", R"({"QueueUrl":"http://127.0.0.1:1/123456789012/q"})");
  auto url = create_queue(sqs.client(), "q", {{"VisibilityTimeout", "5"}, {"DelaySeconds", "1"}});
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(*url, "http://127.0.0.1:1/123456789012/q");
  EXPECT_EQ(str(sqs.last("CreateQueue")["Attributes"]["VisibilityTimeout"]), "5");
  EXPECT_EQ(str(sqs.last("CreateQueue")["Attributes"]["DelaySeconds"]), "1");
  sqs.on("GetQueueAttributes", R"({"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:123456789012:q"}})");
  auto arn = queue_arn(sqs.client(), *url);
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(*arn, "arn:aws:sqs:us-east-1:123456789012:q");
  sqs.on("DeleteQueue", "{}");
  EXPECT_TRUE(delete_queue(sqs.client(), *url).ok());
  SqsQueue by_url(sqs.client(), *url);
  EXPECT_EQ(by_url.name(), "q");
}

}  // namespace
}  // namespace cartflow::aws
