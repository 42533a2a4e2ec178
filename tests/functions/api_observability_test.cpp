// SPDX-License-Identifier: Apache-2.0
// The api function's logs and metrics (Powertools' API shape): one INFO "request" line per
// request with route, status, latency and correlation_id on both doors; on the Lambda door an
// EMF document per request (route, status: Requests, Latency) and ColdStart on the cold start;
// store failures as ERROR lines through the same logger; nothing formatted below the level.

#include <gtest/gtest.h>

#include "functions/api.h"
#include "functions/api_router.h"
#include "model/dynamo_json.h"
#include "store_fixture.h"

namespace cartflow::functions {
namespace {

using model::AttributeValue;
using namespace testing;  // NOLINT: test fixtures

events::ApiGatewayRequest event(const std::string& method, const std::string& path) {
  events::ApiGatewayRequest request;
  request.http_method = method;
  request.path = path;
  request.resource = path;
  request.request_context.request_id = "apigw-req-1";
  request.request_context.stage = "Dev";
  request.request_context.http_method = method;
  return request;
}

model::Item parsed(const std::string& line) {
  auto item = model::parse_plain_item(line);
  EXPECT_TRUE(item.ok()) << line;
  return item.ok() ? *item : model::Item{};
}

TEST(ApiObservability, LambdaDoorLogsTheRequestAndWritesEmfWithColdStart) {
  Store store;
  std::vector<std::string> lines;
  Logger logger("api", vector_sink(lines));
  logger.set_function_name("cartflow-ApiFunction");
  ApiHandler api(*store.table, store.clock, {}, &logger);
  InvocationContext c = context("lambda-req-1");
  c.cold_start = true;
  ASSERT_EQ(api.handle(event("GET", "/health"), c).status_code, 200);
  ASSERT_EQ(lines.size(), 3u);
  const model::Item log = parsed(lines[0]);
  EXPECT_EQ(log.at("level"), AttributeValue("INFO"));
  EXPECT_EQ(log.at("message"), AttributeValue("request"));
  EXPECT_EQ(log.at("route"), AttributeValue("/health"));
  EXPECT_EQ(log.at("method"), AttributeValue("GET"));
  EXPECT_EQ(log.at("status"), AttributeValue::integer(200));
  EXPECT_EQ(log.at("correlation_id"), AttributeValue("apigw-req-1"));
  EXPECT_EQ(log.at("function_request_id"), AttributeValue("lambda-req-1"));
  EXPECT_EQ(log.at("function_name"), AttributeValue("cartflow-ApiFunction"));
  EXPECT_EQ(log.at("cold_start"), AttributeValue(true));
  EXPECT_TRUE(log.at("latency_ms").is_n());
  const model::Item cold = parsed(lines[1]);
  EXPECT_EQ(cold.at("ColdStart"), AttributeValue::integer(1));
  EXPECT_EQ(cold.at("function_name"), AttributeValue("cartflow-ApiFunction"));
  const model::Item request = parsed(lines[2]);
  EXPECT_EQ(request.at("route"), AttributeValue("/health"));
  EXPECT_EQ(request.at("status"), AttributeValue("200"));
  EXPECT_EQ(request.at("Requests"), AttributeValue::integer(1));
  EXPECT_TRUE(request.at("Latency").is_n());
  EXPECT_NE(lines[2].find(R"([["service","route","status"]])"), std::string::npos) << lines[2];

  // A warm invocation, a route with a parameter, an error status: no ColdStart; the template.
  lines.clear();
  ASSERT_EQ(api.handle(event("GET", "/orders/no-such-order"), context("lambda-req-2")).status_code,
            404);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(parsed(lines[0]).at("route"), AttributeValue("/orders/{order_id}"));
  EXPECT_EQ(parsed(lines[1]).at("status"), AttributeValue("404"));
}

TEST(ApiObservability, ServeDoorLogsOneLineAndNothingBelowItsLevel) {
  Store store;
  std::vector<std::string> lines;
  Logger logger("api", vector_sink(lines));
  ApiHandler api(*store.table, store.clock, {}, &logger);
  ApiRequest request;
  request.method = "GET";
  request.path = "/health";
  request.route = match_route("GET", "/health").route;
  request.request_id = "serve-req-1";
  ASSERT_EQ(api.serve(request).status, 200);
  ASSERT_EQ(lines.size(), 1u);  // serve keeps the metrics in Prometheus: no EMF
  const model::Item log = parsed(lines[0]);
  EXPECT_EQ(log.at("correlation_id"), AttributeValue("serve-req-1"));
  EXPECT_EQ(log.at("route"), AttributeValue("/health"));
  EXPECT_EQ(log.count("function_request_id"), 0u);

  lines.clear();
  Logger quiet("api", vector_sink(lines), LogLevel::kWarning);
  ApiHandler quiet_api(*store.table, store.clock, {}, &quiet);
  ASSERT_EQ(quiet_api.serve(request).status, 200);
  EXPECT_TRUE(lines.empty());
  // The Lambda door still writes its metrics.
  ASSERT_EQ(quiet_api.handle(event("GET", "/health"), context()).status_code, 200);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(parsed(lines[0]).at("Requests"), AttributeValue::integer(1));
}

TEST(ApiObservability, StoreFailureIsAnErrorLineWithTheCorrelationId) {
  Store store;
  FaultyTable faulty(*store.table);
  faulty.fail_key(TableOp::kGet, "PRODUCT", "PRODUCT#p1", model::ErrorCode::kUnavailable);
  std::vector<std::string> lines;
  Logger logger("api", vector_sink(lines));
  ApiHandler api(faulty, store.clock, {}, &logger);
  ASSERT_EQ(api.handle(event("GET", "/products/p1"), context()).status_code, 503);
  ASSERT_GE(lines.size(), 1u);
  const model::Item error = parsed(lines[0]);
  EXPECT_EQ(error.at("level"), AttributeValue("ERROR"));
  EXPECT_EQ(error.at("message"), AttributeValue("store request failed"));
  EXPECT_EQ(error.at("correlation_id"), AttributeValue("apigw-req-1"));
  EXPECT_EQ(error.at("error_type"), AttributeValue("Unavailable"));
}

}  // namespace
}  // namespace cartflow::functions
