// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "aws/config.h"
#include "aws/credentials.h"
#include "local_server.h"

namespace cartflow::aws {
namespace {

using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(AwsConfig, RegionFromAwsRegionThenDefaultRegionThenProfile) {
  std::string config = write_temp("cfg1", "[default]\nregion = eu-west-1\n[profile dev]\nregion=ap-south-1\n");
  EXPECT_EQ(load_config(env_of({{"AWS_REGION", "us-east-2"}, {"AWS_DEFAULT_REGION", "x"}}))->region, "us-east-2");
  EXPECT_EQ(load_config(env_of({{"AWS_DEFAULT_REGION", "us-west-1"}, {"AWS_CONFIG_FILE", config}}))->region, "us-west-1");
  EXPECT_EQ(load_config(env_of({{"AWS_CONFIG_FILE", config}}))->region, "eu-west-1");
  EXPECT_EQ(load_config(env_of({{"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "dev"}}))->region, "ap-south-1");
  auto none = load_config(env_of({{"AWS_CONFIG_FILE", "/nonexistent"}, {"HOME", "/nonexistent"}}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, model::ErrorCode::kInvalidArgument);
}

TEST(AwsConfig, ServiceEndpointOverridesGlobalOverridesPublic) {
  auto c = load_config(env_of({{"AWS_REGION", "eu-central-1"},
                               {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566/"},
                               {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->endpoint(Service::kDynamoDb).url, "http://127.0.0.1:4566");
  EXPECT_EQ(c->endpoint(Service::kDynamoDbStreams).url, "http://127.0.0.1:4566");
  EXPECT_EQ(c->endpoint(Service::kSqs).url, "http://127.0.0.1:9324");
  EXPECT_EQ(c->endpoint(Service::kSqs).signing_name, "sqs");
  EXPECT_EQ(c->endpoint(Service::kDynamoDbStreams).signing_name, "dynamodb");
  auto p = load_config(env_of({{"AWS_REGION", "eu-central-1"}, {"AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "http://s"}}));
  EXPECT_EQ(p->endpoint(Service::kDynamoDb).url, "https://dynamodb.eu-central-1.amazonaws.com");
  EXPECT_EQ(p->endpoint(Service::kDynamoDbStreams).url, "http://s");
  EXPECT_EQ(p->endpoint(Service::kSqs).url, "https://sqs.eu-central-1.amazonaws.com");
  EXPECT_EQ(p->endpoint(Service::kDynamoDb).region, "eu-central-1");
}

TEST(ProfileFile, ParsesSectionsCommentsAndSubProperties) {
  auto s = parse_profile_file(
      "# c\n[default]\naws_access_key_id = A1 ; inline\n; c2\n[profile x]\nRegion=r\ns3 =\n  max = 1\n"
      "[sso-session y]\nregion=z\n", true);
  EXPECT_EQ(s["default"]["aws_access_key_id"], "A1");
  EXPECT_EQ(s["x"]["region"], "r");
  EXPECT_EQ(s["x"].count("max"), 0u);
  EXPECT_EQ(s.count("sso-session y"), 0u);
  EXPECT_EQ(s.count("y"), 0u);
  auto c = parse_profile_file("[x]\naws_secret_access_key=s\n", false);
  EXPECT_EQ(c["x"]["aws_secret_access_key"], "s");
}

TEST(Credentials, EnvironmentWithSessionToken) {
  auto c = environment_credentials(env_of({{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"},
                                           {"AWS_SESSION_TOKEN", "TOK"}}));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->access_key_id, "AK");
  EXPECT_EQ(c->secret_access_key, "SK");
  EXPECT_EQ(c->session_token, "TOK");
  EXPECT_FALSE(environment_credentials(env_of({{"AWS_ACCESS_KEY_ID", "AK"}})).has_value());
}

TEST(Credentials, ProfileFromCredentialsFileThenConfigFile) {
  std::string creds = write_temp("creds", "[default]\naws_access_key_id=D\naws_secret_access_key=DS\n"
                                          "[dev]\naws_access_key_id=V\naws_secret_access_key=VS\naws_session_token=VT\n");
  std::string config = write_temp("cfg2", "[profile cfgonly]\naws_access_key_id=C\naws_secret_access_key=CS\n");
  auto base = std::map<std::string, std::string>{{"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_CONFIG_FILE", config}};
  EXPECT_EQ(profile_credentials(env_of(base))->access_key_id, "D");
  base["AWS_PROFILE"] = "dev";
  auto dev = profile_credentials(env_of(base));
  EXPECT_EQ(dev->access_key_id, "V");
  EXPECT_EQ(dev->session_token, "VT");
  base["AWS_PROFILE"] = "cfgonly";
  EXPECT_EQ(profile_credentials(env_of(base))->secret_access_key, "CS");
  base["AWS_PROFILE"] = "missing";
  EXPECT_FALSE(profile_credentials(env_of(base)).has_value());
}

TEST(Credentials, Iso8601) {
  auto t = parse_iso8601("2015-08-30T12:36:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*t), 1440938160);
  EXPECT_TRUE(parse_iso8601("2015-08-30T12:36:00.123Z").has_value());
  EXPECT_FALSE(parse_iso8601("yesterday").has_value());
}

struct FakeClock {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::from_time_t(1700000000);
};

std::string iso(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  char buf[32];
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

TEST(ContainerCredentials, SendsTokenCachesAndRefreshesBeforeExpiry) {
  FakeClock clock;
  std::atomic<int> served{0};
  std::mutex m;
  std::string seen_auth, seen_target;
  LocalServer server([&](const LocalRequest& r) {
    std::lock_guard lock(m);
    seen_auth = r.headers.count("authorization") ? r.headers.at("authorization") : "";
    seen_target = r.target;
    int n = ++served;
    return LocalResponse{200, {}, "{\"AccessKeyId\":\"AK" + std::to_string(n) +
                                      "\",\"SecretAccessKey\":\"SK\",\"Token\":\"T\",\"Expiration\":\"" +
                                      iso(clock.now + std::chrono::minutes(15)) + "\"}"};
  });
  HttpClient http;
  DefaultCredentialsProvider provider(
      http, env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds"},
                    {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer secret"},
                    {"HOME", "/nonexistent"}}),
      [&] { return clock.now; });
  auto a = provider.credentials();
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->access_key_id, "AK1");
  EXPECT_EQ(a->session_token, "T");
  EXPECT_EQ(seen_auth, "Bearer secret");
  EXPECT_EQ(seen_target, "/creds");
  clock.now += std::chrono::minutes(9);  // 6 minutes left: still cached
  EXPECT_EQ(provider.credentials()->access_key_id, "AK1");
  EXPECT_EQ(served.load(), 1);
  clock.now += std::chrono::minutes(2);  // 4 minutes left: inside the refresh margin
  EXPECT_EQ(provider.credentials()->access_key_id, "AK2");
  EXPECT_EQ(served.load(), 2);
}

TEST(ContainerCredentials, TokenFileWinsAndErrorsAreUnavailable) {
  std::string token_file = write_temp("token", "from-file\n");
  std::string seen;
  std::mutex m;
  LocalServer server([&](const LocalRequest& r) {
    std::lock_guard lock(m);
    seen = r.headers.count("authorization") ? r.headers.at("authorization") : "";
    return LocalResponse{500, {}, "oops"};
  });
  HttpClient http;
  ContainerCredentialsProvider p(http, server.url() + "/", "from-env", token_file);
  auto r = p.credentials();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kUnavailable);
  EXPECT_EQ(seen, "from-file");
  EXPECT_EQ(ContainerCredentialsProvider::url_from_env(env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"}})),
            "http://169.254.170.2/v2/x");
}

TEST(DefaultCredentials, EnvironmentBeatsProfile) {
  std::string creds = write_temp("creds2", "[default]\naws_access_key_id=P\naws_secret_access_key=PS\n");
  HttpClient http;
  DefaultCredentialsProvider env_first(http, env_of({{"AWS_ACCESS_KEY_ID", "E"}, {"AWS_SECRET_ACCESS_KEY", "ES"},
                                                     {"AWS_SHARED_CREDENTIALS_FILE", creds}}));
  EXPECT_EQ(env_first.credentials()->access_key_id, "E");
  DefaultCredentialsProvider profile(http, env_of({{"AWS_SHARED_CREDENTIALS_FILE", creds}}));
  EXPECT_EQ(profile.credentials()->access_key_id, "P");
  DefaultCredentialsProvider none(http, env_of({{"HOME", "/nonexistent"}}));
  auto r = none.credentials();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace cartflow::aws
