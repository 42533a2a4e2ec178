// SPDX-License-Identifier: Apache-2.0
#include "aws/json_client.h"

#include <thread>

#include "aws/sigv4.h"
#include "aws/xray.h"

namespace cartflow::aws {

JsonClient::JsonClient(HttpClient& http, CredentialsProvider& credentials, ServiceEndpoint endpoint,
                       JsonProtocol protocol, RetryOptions retry)
    : http_(http),
      credentials_(credentials),
      endpoint_(std::move(endpoint)),
      protocol_(std::move(protocol)),
      retry_(retry),
      sleep_([](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }) {}

model::Result<std::string> JsonClient::call(std::string_view operation, const std::string& body) {
  std::string host = endpoint_.url.substr(endpoint_.url.find("://") + 3);
  host = host.substr(0, host.find('/'));
  std::string target = protocol_.target_prefix + "." + std::string(operation);
  TracedCall traced(http_.tracer(), protocol_.target_prefix, operation, endpoint_.region,
                    endpoint_.url, body);
  int attempts = 0;
  auto attempt = [&]() -> model::Result<HttpResponse> {
    ++attempts;
    auto creds = credentials_.credentials();
    if (!creds) return std::move(creds).error();
    SignableRequest s;
    s.method = "POST";
    s.path = "/";
    s.headers = {{"Host", host}, {"Content-Type", protocol_.content_type}, {"X-Amz-Target", target}};
    s.body = body;
    SigningOptions options;
    options.region = endpoint_.region;
    options.service = endpoint_.signing_name;
    options.time = std::chrono::system_clock::now();
    sign_headers(s, *creds, options);
    HttpRequest request{"POST", endpoint_.url + "/", {}, body};
    for (auto& h : s.headers) {
      if (h.first != "Host") request.headers.push_back(std::move(h));
    }
    // Unsigned, as the SDKs leave it: proxies may rewrite it.
    if (!traced.header().empty()) request.headers.emplace_back("X-Amzn-Trace-Id", traced.header());
    return http_.send(request);
  };
  auto r = retry_.run(attempt, sleep_);
  const int retries = attempts > 0 ? attempts - 1 : 0;
  if (!r) {
    traced.finish(nullptr, retries, r.error().message);
    return std::move(r).error();
  }
  if (r->status >= 200 && r->status < 300) {
    traced.finish(&*r, retries, {});
    return std::move(r->body);
  }
  AwsError error = parse_aws_error(*r);
  traced.finish(&*r, retries, error.type);
  return to_model_error(std::move(error));
}

}  // namespace cartflow::aws
