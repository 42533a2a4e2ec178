// SPDX-License-Identifier: Apache-2.0
#pragma once

// Random bytes and identifiers: the one place the code base draws them. All functions are
// thread-safe.
//
// Secure ones come from OpenSSL's CSPRNG (RAND_bytes), or from the OS (std::random_device) in
// the exceptional case that it fails; they never fail. The fast UUID is for request ids on hot
// paths, where uniqueness matters and unpredictability does not.

#include <cstddef>
#include <string>
#include <string_view>

namespace cartflow::util {

// Fills `size` bytes at `out` from the CSPRNG.
void random_bytes(unsigned char* out, std::size_t size);
// Lowercase hex of `bytes` random bytes (2 * bytes characters).
std::string random_hex(std::size_t bytes);
// `length` characters drawn uniformly from `alphabet` (1 to 256 characters; rejection sampling,
// so no modulo bias).
std::string random_string(std::string_view alphabet, std::size_t length);
// A random RFC 4122 version 4 UUID, lowercase with dashes (36 characters), from the CSPRNG.
std::string uuid_v4();
// Same form, from a per-thread xoshiro256** seeded once from the CSPRNG (no call into OpenSSL
// after the first): unique across threads and processes, predictable by whoever sees many.
std::string fast_uuid_v4();

}  // namespace cartflow::util
