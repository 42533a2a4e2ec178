// SPDX-License-Identifier: Apache-2.0
#include "util/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/hex.h"

namespace cartflow::util {

namespace {

// Raw digest of `data` under `md`; empty if OpenSSL fails (it does not for these digests).
std::string digest(std::string_view data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, md, nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out), size);
}

// The algorithm fetched once: EVP_sha256() makes OpenSSL 3 look the implementation up again on
// every digest (EVP_MD_fetch was half of a SHA-256 of an API key). Never freed; thread-safe.
const EVP_MD* fetched(const char* name, const EVP_MD* fallback) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  return md != nullptr ? md : fallback;
}

}  // namespace

std::string sha256(std::string_view data) {
  static const EVP_MD* const kSha256 = fetched("SHA256", EVP_sha256());
  return digest(data, kSha256);
}

std::string sha256_hex(std::string_view data) { return hex_encode(sha256(data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string md5_hex(std::string_view data) { return hex_encode(digest(data, EVP_md5())); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cartflow::util
