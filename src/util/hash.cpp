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

}  // namespace

std::string sha256(std::string_view data) { return digest(data, EVP_sha256()); }

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
