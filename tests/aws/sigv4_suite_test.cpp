// SPDX-License-Identifier: Apache-2.0
// Every case of the AWS signing test suite (aws-c-auth's v4 suite), header and query form.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/sigv4.h"

namespace cartflow::aws {
namespace {

namespace fs = std::filesystem;

fs::path suite_dir() { return fs::path(CARTFLOW_SHARED_DIR) / "testdata/aws-signing-test-suite/v4"; }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(suite_dir())) {
    if (fs::exists(e.path() / "request.txt")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Case {
  SignableRequest request;
  Credentials credentials;
  SigningOptions options;
};

// request.txt: request line, headers (continuation lines start with whitespace), blank, body.
SignableRequest parse_request(const std::string& text) {
  SignableRequest r;
  std::size_t line_end = text.find('\n');
  std::string line = text.substr(0, line_end);
  std::size_t sp = line.find(' ');
  r.method = line.substr(0, sp);
  std::string uri = line.substr(sp + 1, line.rfind(" HTTP/") - sp - 1);
  std::size_t q = uri.find('?');
  r.path = uri.substr(0, q);
  if (q != std::string::npos) {
    std::string qs = uri.substr(q + 1);
    std::size_t start = 0;
    while (start <= qs.size() && !qs.empty()) {
      std::size_t amp = qs.find('&', start);
      std::string pair = qs.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      std::size_t eq = pair.find('=');
      r.query.emplace_back(uri_decode(pair.substr(0, eq)),
                           eq == std::string::npos ? "" : uri_decode(pair.substr(eq + 1)));
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  std::size_t pos = line_end == std::string::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string l = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    if (l.empty()) {
      r.body = text.substr(pos);
      break;
    }
    if (l[0] == ' ' || l[0] == '\t') {
      r.headers.back().second += "\n" + l;
    } else {
      std::size_t colon = l.find(':');
      r.headers.emplace_back(l.substr(0, colon), l.substr(colon + 1));
    }
  }
  return r;
}

Case load(const std::string& name) {
  fs::path dir = suite_dir() / name;
  Case c;
  c.request = parse_request(read(dir / "request.txt"));
  simdjson::dom::parser parser;
  simdjson::padded_string json(read(dir / "context.json"));
  simdjson::dom::element ctx = parser.parse(json);
  c.credentials.access_key_id = std::string(ctx["credentials"]["access_key_id"].get_string().value());
  c.credentials.secret_access_key =
      std::string(ctx["credentials"]["secret_access_key"].get_string().value());
  std::string_view token;
  if (ctx["credentials"]["token"].get(token) == simdjson::SUCCESS) c.credentials.session_token = token;
  c.options.region = std::string(ctx["region"].get_string().value());
  c.options.service = std::string(ctx["service"].get_string().value());
  c.options.normalize_path = ctx["normalize"].get_bool().value();
  c.options.sign_body = ctx["sign_body"].get_bool().value();
  bool omit = false;
  if (ctx["omit_session_token"].get(omit) == simdjson::SUCCESS) c.options.omit_session_token = omit;
  c.options.expires = std::chrono::seconds(ctx["expiration_in_seconds"].get_int64().value());
  std::tm tm{};
  std::istringstream ts(std::string(ctx["timestamp"].get_string().value()));
  ts >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  c.options.time = std::chrono::system_clock::from_time_t(timegm(&tm));
  return c;
}

std::string trim_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

class SigningSuite : public ::testing::TestWithParam<std::string> {};

TEST_P(SigningSuite, HeaderForm) {
  fs::path dir = suite_dir() / GetParam();
  Case c = load(GetParam());
  SigningResult r = sign_headers(c.request, c.credentials, c.options);
  EXPECT_EQ(r.canonical_request, trim_trailing_newlines(read(dir / "header-canonical-request.txt")));
  EXPECT_EQ(r.string_to_sign, trim_trailing_newlines(read(dir / "header-string-to-sign.txt")));
  EXPECT_EQ(r.signature, trim_trailing_newlines(read(dir / "header-signature.txt")));
  std::string signed_request = read(dir / "header-signed-request.txt");
  std::size_t at = signed_request.find("Authorization:");
  ASSERT_NE(at, std::string::npos);
  std::string expected_auth = signed_request.substr(at + 14, signed_request.find('\n', at) - at - 14);
  EXPECT_EQ(r.authorization, expected_auth);
  // The signed request carries exactly the headers of the expected signed request.
  for (const auto& [name, value] : c.request.headers) {
    if (name == "Authorization" || name == "X-Amz-Date" || name == "X-Amz-Security-Token") {
      EXPECT_NE(signed_request.find(name + ":" + value), std::string::npos) << name;
    }
  }
}

TEST_P(SigningSuite, QueryForm) {
  fs::path dir = suite_dir() / GetParam();
  Case c = load(GetParam());
  SigningResult r = presign(c.request, c.credentials, c.options);
  EXPECT_EQ(r.canonical_request, trim_trailing_newlines(read(dir / "query-canonical-request.txt")));
  EXPECT_EQ(r.string_to_sign, trim_trailing_newlines(read(dir / "query-string-to-sign.txt")));
  EXPECT_EQ(r.signature, trim_trailing_newlines(read(dir / "query-signature.txt")));
  // Every parameter we send appears, encoded, in the expected signed request line.
  std::string line = read(dir / "query-signed-request.txt");
  line = line.substr(0, line.find('\n'));
  for (const auto& [k, v] : c.request.query) {
    // The suite writes non-ASCII names raw in its request lines.
    bool found = line.find(uri_encode(k, false) + "=" + uri_encode(v, false)) != std::string::npos ||
                 line.find(k + "=" + uri_encode(v, false)) != std::string::npos;
    EXPECT_TRUE(found) << k;
  }
}

INSTANTIATE_TEST_SUITE_P(V4, SigningSuite, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(SigningSuite, HasEveryCase) { EXPECT_EQ(case_names().size(), 38u); }

// Found by fuzz_sigv4: a relative path that normalizes to nothing gave an empty canonical path.
TEST(CanonicalPath, NeverEmpty) {
  for (const char* path : {"", ".", "..", "a/..", "./", "../..", "/.."}) {
    EXPECT_EQ(canonical_path(path, true), "/") << path;
  }
  EXPECT_EQ(canonical_path("..", false), "..");
  EXPECT_EQ(canonical_path("a/../b", true), "b");
}

}  // namespace
}  // namespace cartflow::aws
