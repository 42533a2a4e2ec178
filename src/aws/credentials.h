// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where AWS credentials come from, in the SDKs' default order: the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the shared credentials and
// config files (profile AWS_PROFILE), then the container credentials endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN
// or _TOKEN_FILE), whose temporary credentials are refreshed before they expire.
// Providers are thread-safe.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/config.h"
#include "aws/http_client.h"
#include "aws/sigv4.h"
#include "model/result.h"

namespace cartflow::aws {

using Clock = std::function<std::chrono::system_clock::time_point()>;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials. Fails with kInvalidArgument when none are configured, kUnavailable
  // when the credentials endpoint cannot be reached or answers garbage.
  virtual model::Result<Credentials> credentials() = 0;
};

class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials c) : c_(std::move(c)) {}
  model::Result<Credentials> credentials() override { return c_; }

 private:
  Credentials c_;
};

// Credentials from the environment variables, or std::nullopt when the key id or secret is unset.
std::optional<Credentials> environment_credentials(const EnvLookup& env);
// Credentials of the active profile (credentials file first, then config file), or
// std::nullopt when the profile has no static keys.
std::optional<Credentials> profile_credentials(const EnvLookup& env);

// The container credentials endpoint (ECS, Lambda SnapStart, EKS Pod Identity). Caches the
// credentials and fetches new ones when they expire within `refresh_margin`.
class ContainerCredentialsProvider : public CredentialsProvider {
 public:
  // `http` must outlive the provider. `token` is sent as the Authorization header when
  // non-empty; `token_file`, when non-empty, is read on every fetch and wins over `token`.
  ContainerCredentialsProvider(HttpClient& http, std::string url, std::string token,
                               std::string token_file, Clock clock = std::chrono::system_clock::now,
                               std::chrono::seconds refresh_margin = std::chrono::minutes(5));
  model::Result<Credentials> credentials() override;

  // The endpoint configured by the environment, or std::nullopt when it names none.
  static std::optional<std::string> url_from_env(const EnvLookup& env);

 private:
  model::Result<Credentials> fetch();

  HttpClient& http_;
  std::string url_;
  std::string token_;
  std::string token_file_;
  Clock clock_;
  std::chrono::seconds refresh_margin_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;  // GUARDED_BY(mutex_)
};

// The SDKs' default chain, resolved on the first call and kept; container credentials are
// refreshed as they near expiry. `http` must outlive the provider.
class DefaultCredentialsProvider : public CredentialsProvider {
 public:
  DefaultCredentialsProvider(HttpClient& http, EnvLookup env = process_env(),
                             Clock clock = std::chrono::system_clock::now);
  model::Result<Credentials> credentials() override;

 private:
  HttpClient& http_;
  EnvLookup env_;
  Clock clock_;
  std::mutex mutex_;
  std::optional<Credentials> fixed_;                            // GUARDED_BY(mutex_)
  std::unique_ptr<ContainerCredentialsProvider> container_;     // GUARDED_BY(mutex_)
};

// Parses an ISO 8601 UTC time ("2024-01-02T03:04:05Z", fractional seconds allowed).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace cartflow::aws
