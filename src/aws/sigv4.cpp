// SPDX-License-Identifier: Apache-2.0
#include "aws/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "util/hash.h"
#include "util/hex.h"

namespace cartflow::aws {
namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Trims and collapses runs of whitespace to one space, as the canonical form requires.
std::string canonical_header_value(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (char c : v) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Headers that proxies and clients add or rewrite in transit; the SDKs never sign them.
bool is_unsignable(const std::string& lname) {
  static const char* const kNames[] = {"authorization", "cache-control", "connection", "expect",
                                       "from", "keep-alive", "max-forwards", "pragma", "referer",
                                       "te", "trailer", "transfer-encoding", "upgrade",
                                       "user-agent", "x-amzn-trace-id"};
  for (const char* n : kNames) {
    if (lname == n) return true;
  }
  return lname.rfind("proxy-", 0) == 0 || lname.rfind("sec-", 0) == 0;
}

std::string date_stamp(std::chrono::system_clock::time_point time) {
  return amz_date(time).substr(0, 8);
}

struct CanonicalHeaders {
  std::string text;    // "name:value\n" lines
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders canonical_headers(const HeaderList& headers) {
  std::map<std::string, std::string> merged;  // sorted by lowercase name
  for (const auto& [name, value] : headers) {
    std::string lname = lower(name);
    if (is_unsignable(lname)) continue;
    auto [it, inserted] = merged.try_emplace(lname, canonical_header_value(value));
    if (!inserted) it->second += "," + canonical_header_value(value);
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.text += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ";";
    out.signed_names += name;
  }
  return out;
}

const std::string* find_header(const HeaderList& headers, std::string_view lname) {
  for (const auto& [name, value] : headers) {
    if (lower(name) == lname) return &value;
  }
  return nullptr;
}

void erase_headers(HeaderList& headers, std::initializer_list<std::string_view> lnames) {
  std::erase_if(headers, [&](const auto& h) {
    std::string l = lower(h.first);
    return std::find(lnames.begin(), lnames.end(), l) != lnames.end();
  });
}

std::string signing_key(const Credentials& c, const SigningOptions& o) {
  std::string k = util::hmac_sha256("AWS4" + c.secret_access_key, date_stamp(o.time));
  k = util::hmac_sha256(k, o.region);
  k = util::hmac_sha256(k, o.service);
  return util::hmac_sha256(k, "aws4_request");
}

std::string scope(const SigningOptions& o) {
  return date_stamp(o.time) + "/" + o.region + "/" + o.service + "/aws4_request";
}

// Builds canonical request, string to sign and signature for the request as it stands.
SigningResult compute(const SignableRequest& r, const Credentials& c, const SigningOptions& o,
                      const std::string& payload_hash, const CanonicalHeaders& headers) {
  SigningResult out;
  out.canonical_request = r.method + "\n" + canonical_path(r.path, o.normalize_path) + "\n" +
                          canonical_query_string(r.query) + "\n" + headers.text + "\n" +
                          headers.signed_names + "\n" + payload_hash;
  out.string_to_sign = std::string(kAlgorithm) + "\n" + amz_date(o.time) + "\n" + scope(o) +
                       "\n" + util::sha256_hex(out.canonical_request);
  out.signature = util::hex_encode(util::hmac_sha256(signing_key(c, o), out.string_to_sign));
  return out;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view text) {
  using util::hex_digit;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string canonical_query_string(const HeaderList& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [k, v] : query) encoded.emplace_back(uri_encode(k, false), uri_encode(v, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += "&";
    out += k + "=" + v;
  }
  return out;
}

std::string canonical_path(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return uri_encode(path, true);
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg.empty() || seg == ".") {
      // dropped
    } else if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else {
      segments.push_back(seg);
    }
    start = end + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += "/";
    out += segments[i];
  }
  if (!segments.empty() && path.back() == '/') out += "/";
  if (out.empty()) out = "/";  // a relative path that normalizes away ("..", "a/..")
  return uri_encode(out, true);
}

SigningResult sign_headers(SignableRequest& request, const Credentials& credentials,
                           const SigningOptions& options) {
  erase_headers(request.headers, {"authorization", "x-amz-date", "date"});
  request.headers.emplace_back("X-Amz-Date", amz_date(options.time));
  bool with_token = !credentials.session_token.empty();
  if (with_token && !options.omit_session_token) {
    erase_headers(request.headers, {"x-amz-security-token"});
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  std::string payload_hash;
  if (const std::string* h = find_header(request.headers, "x-amz-content-sha256")) {
    payload_hash = *h;
  } else {
    payload_hash = util::sha256_hex(request.body);
    if (options.sign_body) request.headers.emplace_back("x-amz-content-sha256", payload_hash);
  }
  CanonicalHeaders headers = canonical_headers(request.headers);
  SigningResult out = compute(request, credentials, options, payload_hash, headers);
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope(options) + ", SignedHeaders=" + headers.signed_names +
                      ", Signature=" + out.signature;
  if (with_token && options.omit_session_token) {
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  request.headers.emplace_back("Authorization", out.authorization);
  return out;
}

SigningResult presign(SignableRequest& request, const Credentials& credentials,
                      const SigningOptions& options) {
  // Hoist x-amz-* headers into the query, as the SDKs' presigners do.
  HeaderList kept;
  for (auto& [name, value] : request.headers) {
    if (lower(name).rfind("x-amz-", 0) == 0) {
      request.query.emplace_back(name, value);
    } else {
      kept.emplace_back(name, value);
    }
  }
  request.headers = std::move(kept);
  std::erase_if(request.query, [](const auto& q) { return lower(q.first) == "x-amz-signature"; });
  CanonicalHeaders headers = canonical_headers(request.headers);
  request.query.emplace_back("X-Amz-Algorithm", kAlgorithm);
  request.query.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + scope(options));
  request.query.emplace_back("X-Amz-Date", amz_date(options.time));
  request.query.emplace_back("X-Amz-Expires", std::to_string(options.expires.count()));
  request.query.emplace_back("X-Amz-SignedHeaders", headers.signed_names);
  bool with_token = !credentials.session_token.empty();
  if (with_token && !options.omit_session_token) {
    request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  SigningResult out = compute(request, credentials, options, util::sha256_hex(request.body), headers);
  if (with_token && options.omit_session_token) {
    request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  request.query.emplace_back("X-Amz-Signature", out.signature);
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace cartflow::aws
