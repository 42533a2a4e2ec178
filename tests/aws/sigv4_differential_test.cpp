// SPDX-License-Identifier: Apache-2.0
// Differential test: our signer against @smithy/signature-v4 (the AWS SDK for JavaScript v3's
// signer) on random requests: methods, unicode and reserved characters in paths, dot segments,
// repeated and empty query keys and values, header values with spaces, tabs and line breaks,
// unsignable headers, bodies, session tokens, header and query (presigned) form.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "aws/sigv4.h"
#include "model/dynamo_json.h"

namespace cartflow::aws {
namespace {

constexpr int kRequests = 1500;

struct Generated {
  SignableRequest request;
  Credentials credentials;
  SigningOptions options;
  bool presign = false;
};

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return uniform(1, 100) <= percent; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))]; }

  // Text from ASCII letters, reserved characters and multi-byte UTF-8 sequences.
  std::string text(int max_len, bool allow_slash) {
    static const std::vector<std::string> kPieces = {
        "a", "Z", "0", "-", "_", ".", "~", " ", "!", "*", "'", "(", ")", ";", ":", "@", "&", "=",
        "+", "$", ",", "?", "#", "[", "]", "%", "%20", "\"", "<", ">", "^", "`", "{", "|", "}",
        "\\", "é", "ሴ", "日本", "😀", "\xc2\xa0", "x", "y", "key"};
    std::string out;
    int n = uniform(0, max_len);
    for (int i = 0; i < n; ++i) {
      std::string p = pick(kPieces);
      if (!allow_slash && p == "/") continue;
      out += p;
    }
    return out;
  }
  std::string header_value() {
    static const std::vector<std::string> kPieces = {"a", "B", "1", " ", "  ", "\t", "\n", " \n  ",
                                                     "\"", "=", ";", ",", "/", ":", "value", "x y"};
    std::string out;
    int n = uniform(0, 8);
    for (int i = 0; i < n; ++i) out += pick(kPieces);
    return out;
  }
  std::string path() {
    std::string p;
    int segments = uniform(0, 5);
    for (int i = 0; i < segments; ++i) {
      p += "/";
      int kind = uniform(1, 10);
      if (kind == 1) p += ".";
      else if (kind == 2) p += "..";
      else if (kind == 3) p += "";
      else p += text(6, false);
    }
    if (p.empty() || chance(30)) p += "/";
    return p;
  }

  Generated request() {
    Generated g;
    static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"};
    g.request.method = pick(kMethods);
    g.request.path = path();
    int nq = uniform(0, 5);
    for (int i = 0; i < nq; ++i) {
      std::string key = chance(10) ? "" : text(5, true);
      if (key.rfind("X-Amz", 0) == 0 || key.rfind("x-amz", 0) == 0) key = "k" + key;
      int repeats = chance(25) ? uniform(2, 3) : 1;
      for (int r = 0; r < repeats; ++r) g.request.query.emplace_back(key, chance(15) ? "" : text(6, true));
    }
    g.request.headers.emplace_back(chance(50) ? "host" : "Host", "example.amazonaws.com");
    static const std::vector<std::string> kNames = {
        "Content-Type", "X-Amz-Target", "x-amz-meta-thing", "My-Header", "my-other", "Accept",
        "User-Agent", "Connection", "X-Amzn-Trace-Id", "Expect", "proxy-auth", "sec-fetch", "x-a",
        "X-B", "Content-Length", "Range", "Cache-Control", "Referer", "X-Custom-1"};
    std::map<std::string, bool> used;
    int nh = uniform(0, 6);
    for (int i = 0; i < nh; ++i) {
      std::string name = pick(kNames);
      std::string lname = name;
      for (char& c : lname) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (used[lname]) continue;
      used[lname] = true;
      g.request.headers.emplace_back(name, header_value());
    }
    if (chance(60)) g.request.body = text(20, true);
    static const std::vector<std::string> kRegions = {"us-east-1", "eu-west-3", "ap-southeast-2", "ddblocal"};
    static const std::vector<std::string> kServices = {"dynamodb", "sqs", "streams.dynamodb", "execute-api", "s3x"};
    g.credentials.access_key_id = "AKID" + std::to_string(uniform(0, 99999));
    g.credentials.secret_access_key = "secret/+" + std::to_string(uniform(0, 999999)) + "Key=";
    if (chance(40)) g.credentials.session_token = "FQoG//+token=" + std::to_string(uniform(0, 1 << 30));
    g.options.region = pick(kRegions);
    g.options.service = pick(kServices);
    g.options.time = std::chrono::system_clock::from_time_t(
        static_cast<std::time_t>(1420070400) + uniform(0, 500'000'000));
    g.presign = chance(35);
    g.options.expires = std::chrono::seconds(uniform(1, 604800));
    return g;
  }

 private:
  std::mt19937 rng_;
};

std::string describe(const Generated& g) {
  std::string out = "{\"method\":";
  model::append_json_string(out, g.request.method);
  out += ",\"path\":";
  model::append_json_string(out, g.request.path);
  // Query: repeated names become arrays, as the SDK's HttpRequest carries them.
  std::map<std::string, std::vector<std::string>> grouped;
  for (const auto& [k, v] : g.request.query) grouped[k].push_back(v);
  out += ",\"query\":{";
  bool first = true;
  for (const auto& [k, vs] : grouped) {
    if (!first) out += ",";
    first = false;
    model::append_json_string(out, k);
    out += ":";
    if (vs.size() == 1) {
      model::append_json_string(out, vs[0]);
    } else {
      out += "[";
      for (std::size_t i = 0; i < vs.size(); ++i) {
        if (i) out += ",";
        model::append_json_string(out, vs[i]);
      }
      out += "]";
    }
  }
  out += "},\"headers\":{";
  first = true;
  for (const auto& [k, v] : g.request.headers) {
    if (!first) out += ",";
    first = false;
    model::append_json_string(out, k);
    out += ":";
    model::append_json_string(out, v);
  }
  out += "},\"body\":";
  model::append_json_string(out, g.request.body);
  out += ",\"ak\":";
  model::append_json_string(out, g.credentials.access_key_id);
  out += ",\"sk\":";
  model::append_json_string(out, g.credentials.secret_access_key);
  out += ",\"token\":";
  model::append_json_string(out, g.credentials.session_token);
  out += ",\"region\":";
  model::append_json_string(out, g.options.region);
  out += ",\"service\":";
  model::append_json_string(out, g.options.service);
  out += ",\"time\":" + std::to_string(std::chrono::system_clock::to_time_t(g.options.time));
  out += std::string(",\"presign\":") + (g.presign ? "true" : "false");
  out += ",\"expires\":" + std::to_string(g.options.expires.count()) + "}";
  return out;
}

std::string query_param(const HeaderList& q, const std::string& name) {
  for (const auto& [k, v] : q) {
    if (k == name) return v;
  }
  return "<missing>";
}

TEST(SigV4Differential, MatchesSmithySignerOnRandomRequests) {
  Gen gen(20240611);
  std::vector<Generated> requests;
  std::string input_path = ::testing::TempDir() + "/sigv4_requests.jsonl";
  {
    std::ofstream in(input_path, std::ios::binary);
    for (int i = 0; i < kRequests; ++i) {
      requests.push_back(gen.request());
      in << describe(requests.back()) << "\n";
    }
  }
  std::string cmd = "node " CARTFLOW_SOURCE_DIR "/tests/aws/sigv4_peer.mjs < " + input_path;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  ASSERT_EQ(::pclose(pipe), 0) << "the Node signer failed";

  simdjson::dom::parser parser;
  std::size_t pos = 0;
  int compared = 0, differences = 0, presigned = 0, with_token = 0;
  for (const Generated& g : requests) {
    std::size_t end = output.find('\n', pos);
    ASSERT_NE(end, std::string::npos) << "the Node signer printed too few lines";
    simdjson::padded_string line(output.substr(pos, end - pos));
    pos = end + 1;
    simdjson::dom::element peer = parser.parse(line);
    SignableRequest ours = g.request;
    bool same;
    std::string detail;
    if (g.presign) {
      SigningResult r = presign(ours, g.credentials, g.options);
      std::string peer_sig(peer["signature"].get_string().value());
      std::string peer_headers(peer["signed_headers"].get_string().value());
      same = r.signature == peer_sig && query_param(ours.query, "X-Amz-SignedHeaders") == peer_headers;
      detail = "ours " + r.signature + " " + query_param(ours.query, "X-Amz-SignedHeaders") +
               " peer " + peer_sig + " " + peer_headers + "\n" + r.canonical_request;
      ++presigned;
    } else {
      SigningResult r = sign_headers(ours, g.credentials, g.options);
      std::string peer_auth(peer["authorization"].get_string().value());
      same = r.authorization == peer_auth;
      detail = "ours " + r.authorization + "\npeer " + peer_auth + "\n" + r.canonical_request;
    }
    if (!g.credentials.session_token.empty()) ++with_token;
    ++compared;
    if (!same && ++differences <= 5) ADD_FAILURE() << describe(g) << "\n" << detail;
  }
  EXPECT_EQ(compared, kRequests);
  EXPECT_EQ(differences, 0);
  EXPECT_GT(presigned, kRequests / 5);
  EXPECT_GT(with_token, kRequests / 5);
  std::printf("compared %d requests (%d presigned, %d with session tokens): %d differences\n",
              compared, presigned, with_token, differences);
}

}  // namespace
}  // namespace cartflow::aws
