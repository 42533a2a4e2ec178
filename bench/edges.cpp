// SPDX-License-Identifier: Apache-2.0
// The edges every request or record crosses, each alone: Lambda event decode and encode (the
// DynamoDB stream, SQS and API Gateway events of tests/data/events), the stream mapping's
// filter (the template's ORDERED pattern), SigV4 signing of a DynamoDB request, and API
// routing. CPU only: no I/O, no allocation outside the measured call's own.

#include <benchmark/benchmark.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "aws/sigv4.h"
#include "events/api_gateway.h"
#include "events/dynamodb_stream.h"
#include "events/filter_pattern.h"
#include "events/sqs.h"
#include "functions/api_router.h"
#include "order_sample.h"

namespace cartflow::bench {
namespace {

std::string event_file(const std::string& name) {
  std::ifstream in(std::string(CARTFLOW_SOURCE_DIR) + "/tests/data/events/" + name);
  if (!in) throw std::runtime_error("missing tests/data/events/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The stream mapping's filter of deploy/template.yaml.
constexpr const char* kOrderedPattern =
    R"({"eventName": ["INSERT"], "dynamodb": {"NewImage": {"order_status": {"S": ["ORDERED"]}}}})";

void BM_DecodeStreamEvent(benchmark::State& state) {
  const std::string json = event_file("order_stream_event.json");
  for (auto _ : state) benchmark::DoNotOptimize(events::parse_dynamodb_stream_event(json));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_DecodeStreamEvent);

void BM_EncodeStreamEvent(benchmark::State& state) {
  const auto event = events::parse_dynamodb_stream_event(event_file("order_stream_event.json"));
  if (!event.ok()) return state.SkipWithError("the sample event does not parse");
  for (auto _ : state) benchmark::DoNotOptimize(events::to_json(*event));
}
BENCHMARK(BM_EncodeStreamEvent);

void BM_DecodeSqsEvent(benchmark::State& state) {
  const std::string json = event_file("order_sqs_event.json");
  for (auto _ : state) benchmark::DoNotOptimize(events::parse_sqs_event(json));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_DecodeSqsEvent);

void BM_EncodeSqsEvent(benchmark::State& state) {
  const auto event = events::parse_sqs_event(event_file("order_sqs_event.json"));
  if (!event.ok()) return state.SkipWithError("the sample event does not parse");
  for (auto _ : state) benchmark::DoNotOptimize(events::to_json(*event));
}
BENCHMARK(BM_EncodeSqsEvent);

void BM_DecodeApiGatewayRequest(benchmark::State& state) {
  const std::string json = event_file("api_load_products.json");
  for (auto _ : state) benchmark::DoNotOptimize(events::parse_api_gateway_request(json));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_DecodeApiGatewayRequest);

// One stream record against the ORDERED pattern: a match, and a miss on order_status.
void BM_FilterMatchRecord(benchmark::State& state) {
  auto pattern = events::FilterPattern::parse(kOrderedPattern);
  if (!pattern.ok()) return state.SkipWithError("the pattern does not parse");
  const bool ordered = state.range(0) == 1;
  const std::string record =
      std::string(R"({"eventName":"INSERT","dynamodb":{"Keys":{"PK":{"S":"ORDER#1"}},"NewImage":)") +
      R"({"PK":{"S":"ORDER#1"},"order_status":{"S":")" + (ordered ? "ORDERED" : "PENDING") +
      R"("},"order_total":{"N":"5997"}}}})";
  for (auto _ : state) benchmark::DoNotOptimize(pattern->matches(record));
  state.SetLabel(ordered ? "match" : "miss");
}
BENCHMARK(BM_FilterMatchRecord)->Arg(1)->Arg(0);

// A whole stream event's records through the criteria, as the stream mapping does.
void BM_FilterMatchEvent(benchmark::State& state) {
  auto criteria = events::FilterCriteria::parse({kOrderedPattern});
  if (!criteria.ok()) return state.SkipWithError("the criteria do not parse");
  const std::string json = event_file("order_stream_event.json");
  for (auto _ : state) benchmark::DoNotOptimize(criteria->match_records(json));
}
BENCHMARK(BM_FilterMatchEvent);

// A DynamoDB PutItem of a typical order (about 1.5 KB) signed in the header form, with a
// session token as Lambda's credentials have.
void BM_SigV4SignPutItem(benchmark::State& state) {
  const aws::Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token",
                                     std::nullopt};
  aws::SigningOptions options;
  options.region = "us-east-1";
  options.service = "dynamodb";
  options.time = std::chrono::system_clock::now();
  const std::string body = R"({"TableName":"EcommerceAppTable","Item":)" + order_item_json() + "}";
  for (auto _ : state) {
    aws::SignableRequest request;
    request.method = "POST";
    request.headers = {{"Host", "dynamodb.us-east-1.amazonaws.com"},
                       {"Content-Type", "application/x-amz-json-1.0"},
                       {"X-Amz-Target", "DynamoDB_20120810.PutItem"}};
    request.body = body;
    benchmark::DoNotOptimize(aws::sign_headers(request, credentials, options));
  }
}
BENCHMARK(BM_SigV4SignPutItem);

// The api handler's routing: a path with a parameter, the last route in the table, a 404.
void BM_ApiRoute(benchmark::State& state) {
  static const std::pair<const char*, const char*> kRequests[] = {
      {"GET", "/products/p-1001"}, {"GET", "/users/user-42/orders"}, {"GET", "/nowhere/at/all"}};
  const auto& [method, path] = kRequests[state.range(0)];
  for (auto _ : state) benchmark::DoNotOptimize(functions::match_route(method, path));
  state.SetLabel(std::string(method) + " " + path);
}
BENCHMARK(BM_ApiRoute)->DenseRange(0, 2);

}  // namespace
}  // namespace cartflow::bench
