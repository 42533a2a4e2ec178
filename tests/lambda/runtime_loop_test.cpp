// SPDX-License-Identifier: Apache-2.0
// The Runtime API client and loop against the emulator (tests/lambda/runtime_emulator.h):
// context headers, trace id export, errors, oversized payloads, connection reuse and loss.

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/runtime_client.h"
#include "runtime/runtime_loop.h"
#include "runtime_emulator.h"

namespace cartflow::runtime {
namespace {

using tests::RuntimeEmulator;

// A handler that records what it saw and answers with `respond`.
class FakeHandler : public functions::Handler {
 public:
  struct Seen {
    std::string event;
    functions::InvocationContext context;
    std::string trace_env;  // _X_AMZN_TRACE_ID during the call; "<unset>" when absent
  };
  using Respond = std::function<model::Result<std::string>(std::string_view event)>;

  explicit FakeHandler(Respond respond) : respond_(std::move(respond)) {}
  std::string_view name() const override { return "fake"; }
  model::Result<std::string> invoke(std::string_view event,
                                    const functions::InvocationContext& context) override {
    const char* trace = std::getenv("_X_AMZN_TRACE_ID");
    seen.push_back({std::string(event), context, trace == nullptr ? "<unset>" : trace});
    return respond_(event);
  }

  std::vector<Seen> seen;

 private:
  Respond respond_;
};

FakeHandler echo_handler() {
  return FakeHandler([](std::string_view e) -> model::Result<std::string> {
    return "{\"echo\":" + std::string(e) + "}";
  });
}

RuntimeClient client_for(const RuntimeEmulator& emulator) {
  auto endpoint = parse_endpoint(emulator.address());
  EXPECT_TRUE(endpoint.ok());
  return RuntimeClient(endpoint.value());
}

TEST(RuntimeEndpoint, ParsesHostPortForms) {
  auto v4 = parse_endpoint("127.0.0.1:9001");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9001);
  auto v6 = parse_endpoint("[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
  auto name = parse_endpoint("localhost:1");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->host, "localhost");
}

TEST(RuntimeEndpoint, RejectsMissingOrBadPort) {
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", ":9001", "h:0", "h:65536", "h:90a1", "h:-1"}) {
    auto parsed = parse_endpoint(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, model::ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(RuntimeErrorDocument, EscapesAndCarriesEmptyStackTrace) {
  EXPECT_EQ(error_document_json({"Unavailable", "table \"T\" down\n"}),
            "{\"errorMessage\":\"table \\\"T\\\" down\\n\",\"errorType\":\"Unavailable\","
            "\"stackTrace\":[]}");
}

TEST(RuntimeLoop, PassesContextHeadersAndExportsTraceId) {
  RuntimeEmulator emulator;
  const std::string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  const std::string first = emulator.enqueue(
      "{\"n\":1}", {{"Lambda-Runtime-Deadline-Ms", "1700000000123"},
                    {"Lambda-Runtime-Trace-Id", trace},
                    {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:1:function:f"},
                    {"Lambda-Runtime-Client-Context", "{\"custom\":{\"k\":\"v\"}}"},
                    {"Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityId\":\"id-1\"}"}});
  const std::string second = emulator.enqueue("{\"n\":2}");
  FakeHandler handler = echo_handler();
  RuntimeClient client = client_for(emulator);
  auto served = run_loop(client, handler, {.max_invocations = 2});
  ASSERT_TRUE(served.ok()) << served.error().message;

  ASSERT_EQ(handler.seen.size(), 2u);
  const auto& c1 = handler.seen[0].context;
  EXPECT_EQ(c1.request_id, first);
  EXPECT_EQ(c1.deadline_ms, 1700000000123);
  EXPECT_EQ(c1.invoked_function_arn, "arn:aws:lambda:eu-west-1:1:function:f");
  EXPECT_EQ(c1.trace_id, trace);
  EXPECT_TRUE(c1.cold_start);
  EXPECT_EQ(handler.seen[0].trace_env, trace);
  EXPECT_EQ(handler.seen[0].event, "{\"n\":1}");
  // The second invocation has no trace header: the previous one must not leak into it.
  EXPECT_FALSE(handler.seen[1].context.cold_start);
  EXPECT_EQ(handler.seen[1].trace_env, "<unset>");
  EXPECT_GT(handler.seen[1].context.deadline_ms, 0);

  auto out1 = emulator.wait_outcome(first);
  ASSERT_TRUE(out1.has_value());
  EXPECT_FALSE(out1->is_error);
  EXPECT_EQ(out1->body, "{\"echo\":{\"n\":1}}");
  auto out2 = emulator.wait_outcome(second);
  ASSERT_TRUE(out2.has_value());
  EXPECT_EQ(out2->body, "{\"echo\":{\"n\":2}}");
}

TEST(RuntimeLoop, TellsTheTracerAroundEachHandlerCallAndLogsEventsWhenAsked) {
  RuntimeEmulator emulator;
  const std::string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  emulator.enqueue("{\"n\":1}", {{"Lambda-Runtime-Trace-Id", trace}});
  emulator.enqueue("{\"n\":2}");
  std::vector<std::string> calls;  // what the hooks and the handler saw, in order
  FakeHandler handler([&](std::string_view e) -> model::Result<std::string> {
    calls.push_back("handler " + std::string(e));
    return std::string("{}");
  });
  std::vector<std::string> lines;
  functions::Logger logger("svc", functions::vector_sink(lines));
  logger.set_log_event(true);
  RuntimeClient client = client_for(emulator);
  LoopOptions options{.max_invocations = 2, .logger = &logger};
  options.invocation_started = [&](const functions::InvocationContext& c) {
    calls.push_back("started " + c.trace_id);
  };
  options.invocation_ended = [&] { calls.push_back("ended"); };
  ASSERT_TRUE(run_loop(client, handler, options).ok());
  EXPECT_EQ(calls, (std::vector<std::string>{"started " + trace, "handler {\"n\":1}", "ended",
                                             "started ", "handler {\"n\":2}", "ended"}));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(R"("message":"event")"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("event":{"n":1})"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("xray_trace_id":"1-5759e988-bd862e3fe1be46a994272793")"),
            std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(R"("event":{"n":2})"), std::string::npos) << lines[1];
}

TEST(RuntimeClient, ReadsClientContextAndCognitoIdentity) {
  RuntimeEmulator emulator;
  emulator.enqueue("{}", {{"Lambda-Runtime-Client-Context", "{\"env\":{}}"},
                          {"Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityPoolId\":\"p\"}"},
                          {"Lambda-Runtime-Deadline-Ms", "not-a-number"}});
  RuntimeClient client = client_for(emulator);
  auto invocation = client.next();
  ASSERT_TRUE(invocation.ok()) << invocation.error().message;
  EXPECT_EQ(invocation->client_context, "{\"env\":{}}");
  EXPECT_EQ(invocation->cognito_identity, "{\"cognitoIdentityPoolId\":\"p\"}");
  EXPECT_EQ(invocation->context.deadline_ms, 0);  // unparseable deadline reads as unknown
}

TEST(RuntimeLoop, ReusesOneConnectionForManyInvocations) {
  RuntimeEmulator emulator;
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(emulator.enqueue("{\"i\":" + std::to_string(i) + "}"));
  FakeHandler handler = echo_handler();
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(run_loop(client, handler, {.max_invocations = 50}).ok());
  for (int i = 0; i < 50; ++i) {
    auto out = emulator.wait_outcome(ids[i]);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->body, "{\"echo\":{\"i\":" + std::to_string(i) + "}}");
  }
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(emulator.connections_accepted(), 1);
}

TEST(RuntimeLoop, ReconnectsWhenThePeerClosesTheConnection) {
  RuntimeEmulator emulator;
  emulator.set_close_after_next(true);
  const std::string a = emulator.enqueue("1");
  const std::string b = emulator.enqueue("2");
  FakeHandler handler = echo_handler();
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(run_loop(client, handler, {.max_invocations = 2}).ok());
  EXPECT_EQ(emulator.wait_outcome(a)->body, "{\"echo\":1}");
  EXPECT_EQ(emulator.wait_outcome(b)->body, "{\"echo\":2}");
  EXPECT_GE(client.connections_opened(), 2);
}

TEST(RuntimeLoop, PostsHandlerErrorsAsErrorDocuments) {
  RuntimeEmulator emulator;
  const std::string id = emulator.enqueue("{}");
  const std::string after = emulator.enqueue("{}");
  int calls = 0;
  FakeHandler handler([&](std::string_view) -> model::Result<std::string> {
    if (calls++ == 0) return model::Error::unavailable("table unreachable");
    return std::string("{}");
  });
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(run_loop(client, handler, {.max_invocations = 2}).ok());
  auto out = emulator.wait_outcome(id);
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->is_error);
  EXPECT_EQ(out->error_type, "Unavailable");
  EXPECT_EQ(out->body,
            "{\"errorMessage\":\"table unreachable\",\"errorType\":\"Unavailable\",\"stackTrace\":[]}");
  // The loop goes on after a function error.
  auto next = emulator.wait_outcome(after);
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->is_error);
}

TEST(RuntimeLoop, TurnsAnEscapedExceptionIntoAnError) {
  RuntimeEmulator emulator;
  const std::string id = emulator.enqueue("{}");
  FakeHandler handler([](std::string_view) -> model::Result<std::string> {
    throw std::runtime_error("boom");
  });
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(run_loop(client, handler, {.max_invocations = 1}).ok());
  auto out = emulator.wait_outcome(id);
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->is_error);
  EXPECT_EQ(out->error_type, kUnhandledType);
  EXPECT_NE(out->body.find("\"errorMessage\":\"boom\""), std::string::npos);
}

TEST(RuntimeLoop, ResponseOverSixMegabytesBecomesAnError) {
  RuntimeEmulator emulator;
  const std::string exact = emulator.enqueue("exact");
  const std::string over = emulator.enqueue("over");
  FakeHandler handler([](std::string_view e) -> model::Result<std::string> {
    const std::size_t size = e == "exact" ? kMaxPayloadBytes : kMaxPayloadBytes + 1;
    return "\"" + std::string(size - 2, 'x') + "\"";
  });
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(run_loop(client, handler, {.max_invocations = 2}).ok());
  auto at_limit = emulator.wait_outcome(exact);
  ASSERT_TRUE(at_limit.has_value());
  EXPECT_FALSE(at_limit->is_error);
  EXPECT_EQ(at_limit->body.size(), kMaxPayloadBytes);
  auto too_big = emulator.wait_outcome(over);
  ASSERT_TRUE(too_big.has_value());
  EXPECT_TRUE(too_big->is_error);
  EXPECT_EQ(too_big->error_type, kResponseTooLargeType);
  EXPECT_LT(too_big->body.size(), 1024u);
}

TEST(RuntimeLoop, ResponseRefusedWith413IsReportedAsAnError) {
  RuntimeEmulator emulator;
  emulator.set_response_limit(100);
  const std::string id = emulator.enqueue("{}");
  FakeHandler handler([](std::string_view) -> model::Result<std::string> {
    return "\"" + std::string(200, 'y') + "\"";
  });
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(run_loop(client, handler, {.max_invocations = 1}).ok());
  auto out = emulator.wait_outcome(id);
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->is_error);
  EXPECT_EQ(out->error_type, kResponseTooLargeType);
}

TEST(RuntimeClient, RejectsAnEventOverSixMegabytes) {
  RuntimeEmulator emulator;
  emulator.enqueue("\"" + std::string(kMaxPayloadBytes, 'z') + "\"");
  RuntimeClient client = client_for(emulator);
  auto next = client.next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, model::ErrorCode::kInvalidArgument);
}

TEST(RuntimeClient, AcceptsAnEventOfExactlySixMegabytes) {
  RuntimeEmulator emulator;
  emulator.enqueue("\"" + std::string(kMaxPayloadBytes - 2, 'z') + "\"");
  RuntimeClient client = client_for(emulator);
  auto next = client.next();
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->event.size(), kMaxPayloadBytes);
}

TEST(RuntimeLoop, EndsWithAnErrorWhenNextAnswers500) {
  RuntimeEmulator emulator;
  emulator.fail_next_once();
  FakeHandler handler = echo_handler();
  RuntimeClient client = client_for(emulator);
  auto served = run_loop(client, handler);
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.error().code, model::ErrorCode::kInternal);
  EXPECT_TRUE(handler.seen.empty());
}

TEST(RuntimeClient, PostsInitErrors) {
  RuntimeEmulator emulator;
  RuntimeClient client = client_for(emulator);
  ASSERT_TRUE(client.post_init_error({"Runtime.InitError", "no table"}).ok());
  auto init = emulator.wait_init_error();
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  EXPECT_EQ(init->body, "{\"errorMessage\":\"no table\",\"errorType\":\"Runtime.InitError\",\"stackTrace\":[]}");
}

TEST(RuntimeClient, FailsUnavailableWhenNothingListens) {
  std::uint16_t port = 0;
  {
    RuntimeEmulator emulator;  // learn a free port, then close it
    port = parse_endpoint(emulator.address())->port;
  }
  RuntimeClient client(Endpoint{"127.0.0.1", port});
  auto next = client.next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, model::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace cartflow::runtime
