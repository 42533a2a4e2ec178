// SPDX-License-Identifier: Apache-2.0
#pragma once

// Digests (OpenSSL libcrypto behind this header alone). All functions are thread-safe.

#include <string>
#include <string_view>

namespace cartflow::util {

// Raw SHA-256 of `data` (32 bytes).
std::string sha256(std::string_view data);
// Lowercase hex SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);
// Raw HMAC-SHA256 of `data` under `key` (32 bytes).
std::string hmac_sha256(std::string_view key, std::string_view data);
// Lowercase hex MD5 of `data` (32 characters), as SQS's MD5OfMessageBody. Not for security.
std::string md5_hex(std::string_view data);
// Whether `a` and `b` are equal, in a time that depends on their length only (not on which
// bytes differ): for comparing secrets and their hashes.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cartflow::util
