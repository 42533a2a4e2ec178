// SPDX-License-Identifier: Apache-2.0
#include "aws/credentials.h"

#include <simdjson.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

namespace cartflow::aws {

using model::Error;
using model::Result;

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::optional<Credentials> environment_credentials(const EnvLookup& env) {
  auto id = env("AWS_ACCESS_KEY_ID");
  auto secret = env("AWS_SECRET_ACCESS_KEY");
  if (!id || !secret) return std::nullopt;
  Credentials c{*id, *secret, env("AWS_SESSION_TOKEN").value_or(""), std::nullopt};
  return c;
}

std::optional<Credentials> profile_credentials(const EnvLookup& env) {
  for (bool credentials_file : {true, false}) {
    auto id = profile_value(env, "aws_access_key_id", credentials_file);
    auto secret = profile_value(env, "aws_secret_access_key", credentials_file);
    if (id && secret) {
      return Credentials{*id, *secret,
                         profile_value(env, "aws_session_token", credentials_file).value_or(""),
                         std::nullopt};
    }
  }
  return std::nullopt;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(HttpClient& http, std::string url,
                                                           std::string token, std::string token_file,
                                                           Clock clock,
                                                           std::chrono::seconds refresh_margin)
    : http_(http),
      url_(std::move(url)),
      token_(std::move(token)),
      token_file_(std::move(token_file)),
      clock_(std::move(clock)),
      refresh_margin_(refresh_margin) {}

std::optional<std::string> ContainerCredentialsProvider::url_from_env(const EnvLookup& env) {
  if (auto rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) return "http://169.254.170.2" + *rel;
  if (auto full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) return *full;
  return std::nullopt;
}

Result<Credentials> ContainerCredentialsProvider::credentials() {
  std::lock_guard lock(mutex_);
  if (cached_ && (!cached_->expiration || *cached_->expiration - refresh_margin_ > clock_())) {
    return *cached_;
  }
  auto fresh = fetch();
  if (!fresh) {
    // Still-valid credentials beat an outage of the endpoint.
    if (cached_ && cached_->expiration && *cached_->expiration > clock_()) return *cached_;
    return fresh;
  }
  cached_ = *fresh;
  return fresh;
}

Result<Credentials> ContainerCredentialsProvider::fetch() {
  HttpRequest request;
  request.url = url_;
  std::string token = token_;
  if (!token_file_.empty()) {
    std::ifstream in(token_file_);
    if (!in) return Error::invalid("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + token_file_);
    std::stringstream ss;
    ss << in.rdbuf();
    token = ss.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  }
  if (!token.empty()) request.headers.emplace_back("Authorization", token);
  auto response = http_.send(request);
  if (!response) return std::move(response).error();
  if (response->status != 200) {
    return Error::unavailable("container credentials endpoint answered " +
                              std::to_string(response->status));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(response->body)).get(doc) != simdjson::SUCCESS) {
    return Error::unavailable("container credentials endpoint answered invalid JSON");
  }
  std::string_view id, secret, session, expiration;
  if (doc["AccessKeyId"].get(id) != simdjson::SUCCESS ||
      doc["SecretAccessKey"].get(secret) != simdjson::SUCCESS) {
    return Error::unavailable("container credentials lack AccessKeyId or SecretAccessKey");
  }
  Credentials c{std::string(id), std::string(secret), "", std::nullopt};
  if (doc["Token"].get(session) == simdjson::SUCCESS) c.session_token = session;
  if (doc["Expiration"].get(expiration) == simdjson::SUCCESS) {
    c.expiration = parse_iso8601(expiration);
    if (!c.expiration) return Error::unavailable("bad Expiration in container credentials");
  }
  return c;
}

DefaultCredentialsProvider::DefaultCredentialsProvider(HttpClient& http, EnvLookup env, Clock clock)
    : http_(http), env_(std::move(env)), clock_(std::move(clock)) {}

Result<Credentials> DefaultCredentialsProvider::credentials() {
  ContainerCredentialsProvider* container = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (fixed_) return *fixed_;
    if (!container_) {
      if (auto c = environment_credentials(env_)) {
        fixed_ = c;
        return *c;
      }
      if (auto c = profile_credentials(env_)) {
        fixed_ = c;
        return *c;
      }
      auto url = ContainerCredentialsProvider::url_from_env(env_);
      if (!url) {
        return Error::invalid("no AWS credentials: not in the environment, the profile '" +
                              env_("AWS_PROFILE").value_or("default") +
                              "', or a container credentials endpoint");
      }
      container_ = std::make_unique<ContainerCredentialsProvider>(
          http_, *url, env_("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or(""),
          env_("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").value_or(""), clock_);
    }
    container = container_.get();
  }
  return container->credentials();
}

}  // namespace cartflow::aws
