// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for SigV4 canonicalization (src/aws/sigv4.h). FuzzedDataProvider splits the
// input into options, a method, a path (any bytes: unicode, %, reserved characters), query
// parameters (repeated and empty names), headers (names in any case, values with spaces and
// line breaks), a session token and a body. The request is signed in header form and in query
// form; the invariants checked (abort on violation):
// - the canonical request has its six parts, its header lines name exactly the signed headers
//   (sorted, unique, lowercase) and the Authorization / X-Amz-SignedHeaders list them;
// - every header of the signed request is signed unless unsignable or added after signing;
// - signing the same request twice gives the same signature; re-signing a header-signed
//   request gives the same signature again;
// - the presigned URL (path + encoded query) parses back into the same query parameters, and
//   its query without X-Amz-Signature is the canonical query string that was signed;
// - canonical paths: non-empty; without normalization they decode back to the path; with it
//   they hold no "." or ".." segment and no empty segment inside.
// Header names and the method are drawn from RFC 9110 token characters (what an HTTP message
// can carry); everything else is arbitrary bytes.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sigv4.h"
#include "util/hash.h"

namespace {

using namespace cartflow::aws;
namespace util = cartflow::util;

[[noreturn]] void fail(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_sigv4: %s\n%s\n", what.c_str(), detail.c_str());
  std::abort();
}

void check(bool ok, const std::string& what, const std::string& detail = {}) {
  if (!ok) fail(what, detail);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// A token (RFC 9110 tchar) of 1..16 characters; the mapping keeps letters of both cases.
std::string token(FuzzedDataProvider& in) {
  static constexpr std::string_view kTchar =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^_`|~";
  std::string raw = in.ConsumeRandomLengthString(16);
  std::string out;
  for (unsigned char c : raw) out.push_back(kTchar[c % kTchar.size()]);
  return out.empty() ? "x" : out;
}

// Names the signer treats specially, so that the fuzzer reaches those branches often.
std::string header_name(FuzzedDataProvider& in) {
  static constexpr const char* kKnown[] = {
      "Host", "host", "X-Amz-Date", "Authorization", "Date", "x-amz-content-sha256",
      "X-Amz-Security-Token", "User-Agent", "Content-Type", "X-Amz-Target", "Proxy-Auth",
      "my-header1"};
  if (in.ConsumeBool()) return kKnown[in.ConsumeIntegralInRange<std::size_t>(0, 11)];
  return token(in);
}

bool unsignable(const std::string& lname) {
  static const std::set<std::string> kNames = {
      "authorization", "cache-control", "connection", "expect", "from", "keep-alive",
      "max-forwards", "pragma", "referer", "te", "trailer", "transfer-encoding", "upgrade",
      "user-agent", "x-amzn-trace-id"};
  return kNames.count(lname) != 0 || lname.rfind("proxy-", 0) == 0 || lname.rfind("sec-", 0) == 0;
}

// The parts of a canonical request; aborts when it has not the expected shape.
struct Canonical {
  std::string path;
  std::string query;
  std::vector<std::string> header_names;
  std::string signed_names;
  std::string payload_hash;
};

Canonical parse_canonical(const std::string& text, const std::string& method) {
  std::vector<std::string> lines = split(text, '\n');
  check(lines.size() >= 6, "canonical request has too few lines", text);
  Canonical c;
  check(lines[0] == method, "canonical request method differs", text);
  c.path = lines[1];
  c.query = lines[2];
  std::size_t i = 3;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    std::size_t colon = lines[i].find(':');
    check(colon != std::string::npos && colon > 0, "canonical header line without a name", text);
    c.header_names.push_back(lines[i].substr(0, colon));
  }
  check(i + 2 < lines.size(), "canonical request has no signed headers or hash", text);
  c.signed_names = lines[i + 1];
  // The hash is the rest (a caller's x-amz-content-sha256 value is taken as it is).
  for (std::size_t j = i + 2; j < lines.size(); ++j) {
    c.payload_hash += (j == i + 2 ? "" : "\n") + lines[j];
  }
  std::string joined;
  for (const auto& n : c.header_names) joined += (joined.empty() ? "" : ";") + n;
  check(joined == c.signed_names, "canonical header lines differ from the signed headers", text);
  check(std::is_sorted(c.header_names.begin(), c.header_names.end()) &&
            std::adjacent_find(c.header_names.begin(), c.header_names.end()) ==
                c.header_names.end(),
        "signed headers not sorted and unique", text);
  for (const auto& n : c.header_names) check(n == lower(n), "signed header not lowercase", text);
  return c;
}

void check_canonical_paths(const std::string& path) {
  const std::string raw = canonical_path(path, false);
  check(!raw.empty(), "empty canonical path", path);
  if (!path.empty()) check(uri_decode(raw) == path, "canonical path does not decode back", path);
  const std::string normalized = canonical_path(path, true);
  check(!normalized.empty(), "empty normalized canonical path", path);
  std::vector<std::string> segments = split(normalized, '/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const bool edge = i == 0 || i + 1 == segments.size();
    check(segments[i] != "." && segments[i] != "..", "dot segment after normalization", path);
    check(edge || !segments[i].empty(), "empty segment after normalization", path);
  }
}

using Signer = SigningResult (*)(SignableRequest&, const Credentials&, const SigningOptions&);

// Signs a copy of `original` into `a`, and another copy: both must give the same result.
SigningResult sign_twice(Signer sign, const SignableRequest& original, SignableRequest& a,
                         const Credentials& creds, const SigningOptions& options) {
  a = original;
  SignableRequest b = original;
  SigningResult first = sign(a, creds, options);
  SigningResult second = sign(b, creds, options);
  check(first.signature == second.signature && first.canonical_request == second.canonical_request,
        "signing is not deterministic", first.canonical_request);
  check(first.signature.size() == 64, "signature is not 64 hex digits", first.signature);
  return first;
}

void check_header_form(const SignableRequest& original, const Credentials& creds,
                       const SigningOptions& options) {
  SignableRequest a;
  SigningResult first = sign_twice(sign_headers, original, a, creds, options);
  Canonical c = parse_canonical(first.canonical_request, original.method);
  check(first.authorization.find("SignedHeaders=" + c.signed_names + ", ") != std::string::npos,
        "Authorization does not list the signed headers", first.authorization);
  std::string payload_hash = util::sha256_hex(original.body);
  for (auto it = original.headers.rbegin(); it != original.headers.rend(); ++it) {
    if (lower(it->first) == "x-amz-content-sha256") payload_hash = it->second;
  }
  check(c.payload_hash == payload_hash, "wrong payload hash", first.canonical_request);
  // The signed request ends with Authorization, after the token when it is added unsigned.
  std::size_t count = a.headers.size() - 1;
  if (options.omit_session_token && !creds.session_token.empty()) --count;
  std::set<std::string> expected;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string l = lower(a.headers[i].first);
    if (!unsignable(l)) expected.insert(l);
  }
  check(std::set<std::string>(c.header_names.begin(), c.header_names.end()) == expected,
        "signed headers differ from the request's signable headers", first.canonical_request);
  if (!options.omit_session_token) {
    SigningResult again = sign_headers(a, creds, options);
    check(again.signature == first.signature, "re-signing a signed request changes it",
          first.canonical_request + "\n----\n" + again.canonical_request);
  }
}

void check_query_form(const SignableRequest& original, const Credentials& creds,
                      const SigningOptions& options) {
  SignableRequest a;
  SigningResult first = sign_twice(presign, original, a, creds, options);
  Canonical c = parse_canonical(first.canonical_request, original.method);
  check(c.payload_hash == util::sha256_hex(original.body), "wrong presigned payload hash",
        first.canonical_request);
  for (const auto& [name, value] : a.headers) {
    check(lower(name).rfind("x-amz-", 0) != 0, "x-amz header left in a presigned request", name);
  }
  // The URL as a client would send it, then parsed back.
  std::string url = a.path + "?";
  for (std::size_t i = 0; i < a.query.size(); ++i) {
    if (i != 0) url += "&";
    url += uri_encode(a.query[i].first, false) + "=" + uri_encode(a.query[i].second, false);
  }
  const std::string query_text = url.substr(a.path.size() + 1);
  HeaderList parsed;
  for (const std::string& pair : split(query_text, '&')) {
    std::size_t eq = pair.find('=');
    check(eq != std::string::npos, "presigned query parameter without '='", url);
    parsed.emplace_back(uri_decode(pair.substr(0, eq)), uri_decode(pair.substr(eq + 1)));
  }
  check(parsed == a.query, "presigned URL does not parse back", url);
  check(parsed.back().first == "X-Amz-Signature" && parsed.back().second == first.signature,
        "presigned URL does not end with its signature", url);
  parsed.pop_back();
  std::string signed_headers;
  for (const auto& [k, v] : parsed) {
    if (k == "X-Amz-SignedHeaders") signed_headers = v;
  }
  check(signed_headers == c.signed_names, "X-Amz-SignedHeaders differs from the signed headers",
        url);
  if (!(options.omit_session_token && !creds.session_token.empty())) {
    check(canonical_query_string(parsed) == c.query, "presigned query is not the signed one", url);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  SigningOptions options;
  options.region = in.ConsumeBool() ? "us-east-1" : token(in);
  options.service = in.ConsumeBool() ? "service" : token(in);
  options.time = std::chrono::system_clock::time_point(
      std::chrono::seconds(in.ConsumeIntegralInRange<std::int64_t>(0, 4'102'444'800)));
  options.normalize_path = in.ConsumeBool();
  options.sign_body = in.ConsumeBool();
  options.omit_session_token = in.ConsumeBool();
  options.expires = std::chrono::seconds(in.ConsumeIntegralInRange<std::int64_t>(1, 604'800));

  Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  if (in.ConsumeBool()) creds.session_token = in.ConsumeRandomLengthString(64);

  SignableRequest request;
  request.method = in.ConsumeBool() ? "GET" : token(in);
  request.path = in.ConsumeRandomLengthString(128);
  const std::size_t queries = in.ConsumeIntegralInRange<std::size_t>(0, 6);
  for (std::size_t i = 0; i < queries; ++i) {
    std::string name = in.ConsumeRandomLengthString(16);
    request.query.emplace_back(name, in.ConsumeRandomLengthString(32));
  }
  request.headers.emplace_back("Host", "example.amazonaws.com");
  const std::size_t headers = in.ConsumeIntegralInRange<std::size_t>(0, 6);
  for (std::size_t i = 0; i < headers; ++i) {
    std::string name = header_name(in);
    request.headers.emplace_back(name, in.ConsumeRandomLengthString(48));
  }
  request.body = in.ConsumeRemainingBytesAsString();

  check_canonical_paths(request.path);
  check_header_form(request, creds, options);
  check_query_form(request, creds, options);
  return 0;
}
