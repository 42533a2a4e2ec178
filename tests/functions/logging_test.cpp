// SPDX-License-Identifier: Apache-2.0
#include "functions/logging.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <thread>

#include "model/dynamo_json.h"

namespace cartflow::functions {
namespace {

using model::AttributeValue;

TEST(Logger, WritesOneJsonObjectPerLineWithPowertoolsKeys) {
  std::vector<std::string> lines;
  ports::ManualClock clock(1'714'557'600'123);
  Logger logger("cartflow", vector_sink(lines), LogLevel::kInfo, &clock);
  InvocationContext c;
  c.request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678";
  c.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:update-cart-status";
  c.trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  c.cold_start = true;
  logger.warn(c, "cart item \"changed\"",
              {{"order_id", "o1"}, {"lines", 3}, {"retry", false}, {"ratio", 0.5}});
  ASSERT_EQ(lines.size(), 1u);
  auto parsed = model::parse_plain_item(lines[0]);
  ASSERT_TRUE(parsed.ok()) << lines[0];
  EXPECT_EQ(parsed->at("level"), AttributeValue("WARNING"));
  EXPECT_EQ(parsed->at("message"), AttributeValue("cart item \"changed\""));
  EXPECT_EQ(parsed->at("timestamp"), AttributeValue("2024-05-01T10:00:00.123Z"));
  EXPECT_EQ(parsed->at("service"), AttributeValue("cartflow"));
  EXPECT_EQ(parsed->at("cold_start"), AttributeValue(true));
  EXPECT_EQ(parsed->at("function_request_id"), AttributeValue(c.request_id));
  EXPECT_EQ(parsed->at("function_arn"), AttributeValue(c.invoked_function_arn));
  EXPECT_EQ(parsed->at("xray_trace_id"), AttributeValue("1-5759e988-bd862e3fe1be46a994272793"));
  EXPECT_EQ(parsed->at("order_id"), AttributeValue("o1"));
  EXPECT_EQ(parsed->at("lines"), AttributeValue::integer(3));
  EXPECT_EQ(parsed->at("retry"), AttributeValue(false));
  EXPECT_EQ(lines[0].substr(0, 10), "{\"level\":\"");
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
}

TEST(Logger, DropsLinesBelowItsLevelAndOmitsInvocationKeysOutsideOne) {
  std::vector<std::string> lines;
  Logger logger("svc", vector_sink(lines), LogLevel::kWarning);
  InvocationContext c;
  logger.info(c, "hidden");
  logger.debug(c, "hidden");
  logger.log(LogLevel::kError, nullptr, "shown");
  ASSERT_EQ(lines.size(), 1u);
  auto parsed = model::parse_plain_item(lines[0]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->count("function_request_id"), 0u);
  EXPECT_EQ(parsed->count("xray_trace_id"), 0u);
}

TEST(Logger, NamesTheFunctionAndEmbedsRawJson) {
  std::vector<std::string> lines;
  Logger logger("cartflow", vector_sink(lines));
  logger.set_function_name("cartflow-ApiFunction-1X");
  InvocationContext c;
  c.request_id = "r1";
  logger.info(c, "event", {{"event", RawJson{R"({"a":[1,{"b":null}]})"}}, {"none", RawJson{}}});
  ASSERT_EQ(lines.size(), 1u);
  auto parsed = model::parse_plain_item(lines[0]);
  ASSERT_TRUE(parsed.ok()) << lines[0];
  EXPECT_EQ(parsed->at("function_name"), AttributeValue("cartflow-ApiFunction-1X"));
  EXPECT_NE(lines[0].find(R"("event":{"a":[1,{"b":null}]})"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"("none":null)"), std::string::npos) << lines[0];
  EXPECT_EQ(parsed->count("sampling_rate"), 0u);  // no sampling configured
}

TEST(Logger, SampleRateLogsWholeInvocationsAtDebug) {
  std::vector<std::string> lines;
  Logger logger("svc", vector_sink(lines), LogLevel::kError);
  logger.set_sample_rate(0.5);
  // Each invocation is in the sample or not, for all of its lines; about half are.
  int sampled = 0;
  for (int i = 0; i < 400; ++i) {
    InvocationContext c;
    c.request_id = "req-" + std::to_string(i);
    const std::size_t before = lines.size();
    logger.debug(c, "one");
    logger.info(c, "two");
    const std::size_t written = lines.size() - before;
    EXPECT_TRUE(written == 0 || written == 2) << c.request_id;
    EXPECT_EQ(written == 2, logger.sampled(c));
    if (written == 2) ++sampled;
  }
  EXPECT_GT(sampled, 100);
  EXPECT_LT(sampled, 300);
  ASSERT_FALSE(lines.empty());
  auto parsed = model::parse_plain_item(lines[0]);
  ASSERT_TRUE(parsed.ok()) << lines[0];
  EXPECT_NE(lines[0].find(R"("sampling_rate":0.5)"), std::string::npos) << lines[0];
  // Outside an invocation only the level counts.
  lines.clear();
  logger.log(LogLevel::kInfo, nullptr, "hidden");
  EXPECT_TRUE(lines.empty());
  logger.set_sample_rate(1);
  InvocationContext c;
  logger.debug(c, "always");
  EXPECT_EQ(lines.size(), 1u);
}

// In a child whose stderr is a pipe: gathered lines from four threads, written by the flusher
// and at exit; every line arrives whole, once, and each thread's lines in their order.
TEST(Logger, GatheredStderrLinesArriveWholeInOrderAndAreFlushedAtExit) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    gather_stderr_lines(std::chrono::milliseconds(5));
    Logger logger("cartflow", stderr_sink(), LogLevel::kInfo);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&logger, t] {
        for (int i = 0; i < 2000; ++i) {
          logger.log(LogLevel::kInfo, nullptr, "line", {{"thread", t}, {"i", i}});
        }
      });
    }
    for (auto& thread : threads) thread.join();
    std::exit(0);  // the last lines are written by the exit flush
  }
  ::close(fds[1]);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    ASSERT_GT(n, 0);
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::istringstream lines(out);
  std::vector<std::int64_t> next(4, 0);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line);) {
    auto parsed = model::parse_plain_item(line);
    ASSERT_TRUE(parsed.ok()) << line;
    const auto t = std::stoll(parsed->at("thread").as_n()->to_string());
    ASSERT_EQ(std::stoll(parsed->at("i").as_n()->to_string()),
              next.at(static_cast<std::size_t>(t)))
        << line;
    ++next[static_cast<std::size_t>(t)];
    ++count;
  }
  EXPECT_EQ(count, 8000u);
}

TEST(Logger, ParsesLevelNamesAsPowertoolsEnvironmentVariablesSpellThem) {
  EXPECT_EQ(*parse_log_level("DEBUG"), LogLevel::kDebug);
  EXPECT_EQ(*parse_log_level("info"), LogLevel::kInfo);
  EXPECT_EQ(*parse_log_level("Warn"), LogLevel::kWarning);
  EXPECT_EQ(*parse_log_level("WARNING"), LogLevel::kWarning);
  EXPECT_EQ(*parse_log_level("error"), LogLevel::kError);
  EXPECT_FALSE(parse_log_level("verbose").ok());
}

TEST(Logger, ExtractsTheRootOfATraceHeader) {
  EXPECT_EQ(xray_trace_id("Root=1-abc;Parent=2;Sampled=1"), "1-abc");
  EXPECT_EQ(xray_trace_id("Parent=2; Root=1-def"), "1-def");
  EXPECT_EQ(xray_trace_id("1-ghi"), "1-ghi");
}

TEST(Metrics, AccumulatesAndEmitsEmbeddedMetricFormat) {
  Metrics metrics;
  metrics.add("A");
  metrics.add("A", 2);
  metrics.add_all({{"A", 1}, {"B", 5}});
  EXPECT_EQ(metrics.value("A"), 4);
  EXPECT_EQ(metrics.value("B"), 5);
  EXPECT_EQ(metrics.value("C"), 0);

  const std::string line = emf_line("cartflow", "svc", {{"Sent", 3}, {"Zero", 0}}, 1000);
  auto parsed = model::parse_plain_item(line);
  ASSERT_TRUE(parsed.ok()) << line;
  EXPECT_EQ(parsed->at("Sent"), AttributeValue::integer(3));
  EXPECT_EQ(parsed->count("Zero"), 0u);
  EXPECT_EQ(parsed->at("service"), AttributeValue("svc"));
  const auto& aws = *parsed->at("_aws").as_m();
  EXPECT_EQ(aws.at("Timestamp"), AttributeValue::integer(1000));
  const auto& directive = *aws.at("CloudWatchMetrics").as_l()->at(0).as_m();
  EXPECT_EQ(directive.at("Namespace"), AttributeValue("cartflow"));
  EXPECT_EQ(directive.at("Metrics").as_l()->size(), 1u);
  EXPECT_EQ(emf_line("cartflow", "svc", {{"Zero", 0}}, 1000), "");
}

TEST(Metrics, EmfDocumentWithDimensionsAndUnitsAsPowertoolsWritesIt) {
  std::vector<std::string> lines;
  ports::ManualClock clock(5000);
  Logger logger("api", vector_sink(lines), LogLevel::kError, &clock, "shop");
  // Metrics are written whatever the log level.
  emit_metrics(logger, {{"route", "/cart/{user_id}"}, {"status", "200"}},
               {{"Requests", "Count", 1}, {"Latency", "Milliseconds", 2.5}});
  ASSERT_EQ(lines.size(), 1u);
  auto parsed = model::parse_plain_item(lines[0]);
  ASSERT_TRUE(parsed.ok()) << lines[0];
  EXPECT_EQ(parsed->at("service"), AttributeValue("api"));
  EXPECT_EQ(parsed->at("route"), AttributeValue("/cart/{user_id}"));
  EXPECT_EQ(parsed->at("status"), AttributeValue("200"));
  EXPECT_EQ(parsed->at("Requests"), AttributeValue::integer(1));
  EXPECT_NE(lines[0].find(R"("Latency":2.5)"), std::string::npos) << lines[0];
  const auto& aws = *parsed->at("_aws").as_m();
  EXPECT_EQ(aws.at("Timestamp"), AttributeValue::integer(5000));
  const auto& directive = *aws.at("CloudWatchMetrics").as_l()->at(0).as_m();
  EXPECT_EQ(directive.at("Namespace"), AttributeValue("shop"));
  const auto& dimensions = *directive.at("Dimensions").as_l()->at(0).as_l();
  ASSERT_EQ(dimensions.size(), 3u);
  EXPECT_EQ(dimensions[0], AttributeValue("service"));
  EXPECT_EQ(dimensions[1], AttributeValue("route"));
  EXPECT_EQ(dimensions[2], AttributeValue("status"));
  const auto& latency = *directive.at("Metrics").as_l()->at(1).as_m();
  EXPECT_EQ(latency.at("Name"), AttributeValue("Latency"));
  EXPECT_EQ(latency.at("Unit"), AttributeValue("Milliseconds"));
}

}  // namespace
}  // namespace cartflow::functions
