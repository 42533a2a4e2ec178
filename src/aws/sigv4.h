// SPDX-License-Identifier: Apache-2.0
#pragma once

// AWS Signature Version 4: header form (Authorization header) and query form (presigned URL),
// with session tokens, as the AWS signing test suite and the SDKs' signers define it.
// All functions are pure and thread-safe.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartflow::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: none
  // When temporary credentials stop working; absent for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A request as it will be sent. The signer adds headers or query parameters to it.
struct SignableRequest {
  std::string method = "GET";
  // The path exactly as written in the request line (percent-encoded as sent). The canonical
  // path is this path, optionally normalized, percent-encoded once more (as AWS services other
  // than S3 expect).
  std::string path = "/";
  // Decoded query parameter names and values, in any order; repeated names allowed.
  HeaderList query;
  // Header names in any case; must include Host. Repeated names are joined with ',' in order.
  HeaderList headers;
  std::string body;
};

struct SigningOptions {
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point time;
  // Remove "." and ".." segments and empty segments from the path before encoding it.
  bool normalize_path = true;
  // Add and sign x-amz-content-sha256 (header form only).
  bool sign_body = false;
  // Add the session token after signing instead of signing it (some services want this).
  bool omit_session_token = false;
  // Validity of a presigned request (query form only), at most 7 days.
  std::chrono::seconds expires{3600};
};

// What the signer computed; the intermediate texts are kept for tests and error messages.
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // header form only
};

// Header form: removes any Authorization, X-Amz-Date and Date headers, then adds X-Amz-Date,
// X-Amz-Security-Token (with a session token), x-amz-content-sha256 (with sign_body) and
// Authorization to `request.headers`. Headers that proxies rewrite (User-Agent, Connection,
// ...) are not signed. The payload hash is the value of an x-amz-content-sha256 header when the
// request has one, else the SHA-256 of the body.
SigningResult sign_headers(SignableRequest& request, const Credentials& credentials,
                           const SigningOptions& options);

// Query form: moves x-amz-* headers into the query (names kept as written), adds X-Amz-Algorithm, X-Amz-Credential,
// X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token and finally
// X-Amz-Signature to `request.query`.
SigningResult presign(SignableRequest& request, const Credentials& credentials,
                      const SigningOptions& options);

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~),
// uppercase hex; '/' kept when keep_slash.
std::string uri_encode(std::string_view text, bool keep_slash);
// Percent-decoding ('+' is kept as is). Invalid escapes are kept literally.
std::string uri_decode(std::string_view text);
// The encoded query string of `query` in canonical order (what the signer signs).
std::string canonical_query_string(const HeaderList& query);
// The canonical path for `path` (see SignableRequest::path).
std::string canonical_path(std::string_view path, bool normalize);

// "20150830T123600Z".
std::string amz_date(std::chrono::system_clock::time_point time);

}  // namespace cartflow::aws
