// SPDX-License-Identifier: Apache-2.0
#include "util/random.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>

#include "util/hex.h"

namespace cartflow::util {

namespace {

// xoshiro256** (Blackman and Vigna), seeded from the CSPRNG.
class Xoshiro {
 public:
  Xoshiro() { random_bytes(reinterpret_cast<unsigned char*>(s_), sizeof s_); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// 16 bytes as a version 4, RFC 4122 variant UUID.
std::string format_uuid(std::array<unsigned char, 16> b) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = hex_encode(b.data(), b.size());
  std::string out;
  out.reserve(36);
  out.append(hex, 0, 8).append(1, '-').append(hex, 8, 4).append(1, '-').append(hex, 12, 4);
  out.append(1, '-').append(hex, 16, 4).append(1, '-').append(hex, 20, 12);
  return out;
}

// CSPRNG bytes drawn ahead, per thread: one RAND_bytes call serves 32 UUIDs (each call takes
// the generator's lock and costs about as much for 16 bytes as for 512). A forked child starts
// with an empty pool, so parent and child never hand out the same bytes.
class RandomPool {
 public:
  void take(unsigned char* out, std::size_t size) {
    if (size > sizeof bytes_) {
      random_bytes(out, size);
      return;
    }
    if (used_ + size > sizeof bytes_) {
      random_bytes(bytes_, sizeof bytes_);
      used_ = 0;
    }
    std::memcpy(out, bytes_ + used_, size);
    std::memset(bytes_ + used_, 0, size);  // handed out once
    used_ += size;
  }
  void discard() { used_ = sizeof bytes_; }

 private:
  unsigned char bytes_[512];
  std::size_t used_ = sizeof bytes_;
};

thread_local RandomPool t_pool;

RandomPool& random_pool() {
  // In the child only the forking thread lives on: its pool is the one to empty.
  static const bool registered =
      pthread_atfork(nullptr, nullptr, [] { t_pool.discard(); }) == 0;
  (void)registered;
  return t_pool;
}

}  // namespace

void random_bytes(unsigned char* out, std::size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) == 1) return;
  // OpenSSL's generator failing is exceptional; the OS source is as good.
  std::random_device device;
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<unsigned char>(device());
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  random_bytes(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  return hex_encode(raw);
}

std::string random_string(std::string_view alphabet, std::size_t length) {
  const unsigned limit = 256 - (256 % alphabet.size());
  std::string out;
  out.reserve(length);
  unsigned char buf[64];
  while (out.size() < length) {
    random_bytes(buf, sizeof buf);
    for (unsigned char b : buf) {
      if (b >= limit) continue;
      out += alphabet[b % alphabet.size()];
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string uuid_v4() {
  std::array<unsigned char, 16> b{};
  random_pool().take(b.data(), b.size());
  return format_uuid(b);
}

std::string fast_uuid_v4() {
  thread_local Xoshiro generator;
  std::array<unsigned char, 16> b{};
  const std::uint64_t hi = generator.next();
  const std::uint64_t lo = generator.next();
  std::memcpy(b.data(), &hi, 8);
  std::memcpy(b.data() + 8, &lo, 8);
  return format_uuid(b);
}

}  // namespace cartflow::util
