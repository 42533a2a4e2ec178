// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the item codec (table_codec.cpp, table_codec_plain.cpp): the tags of the stored
// item encoding and a bounds-checked cursor over it.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cartflow::embedded::codec {

// One tag byte per value; S, N and B (and each element of a set) are followed by a varint
// length and the bytes (N: Number::to_string(), the canonical text), M by a varint count of
// (name, value) pairs in name order, L and the sets by a varint count of elements.
enum Tag : unsigned char { kS, kN, kB, kFalse, kTrue, kNull, kM, kL, kSS, kNS, kBS };

// Cursor over encoded bytes; every read checks bounds so corrupt input fails cleanly.
class Reader final {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail();
  }
  std::string_view bytes() {
    std::uint64_t n = varint();
    if (!ok_ || n > in_.size() - pos_) return fail(), std::string_view{};
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  unsigned char byte() {
    if (pos_ >= in_.size()) return static_cast<unsigned char>(fail());
    return static_cast<unsigned char>(in_[pos_++]);
  }
  std::uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace cartflow::embedded::codec
