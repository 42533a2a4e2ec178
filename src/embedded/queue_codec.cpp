// SPDX-License-Identifier: Apache-2.0
#include "embedded/queue_codec.h"

#include <charconv>

namespace cartflow::embedded::queue_codec {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void put_field(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

bool get_u32(std::string_view& in, std::uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}

bool get_field(std::string_view& in, std::string& out) {
  std::uint32_t size = 0;
  if (!get_u32(in, size) || in.size() < size) return false;
  out.assign(in.substr(0, size));
  in.remove_prefix(size);
  return true;
}

// A positive decimal as std::to_string writes it: no sign, no leading zero (so that each handle
// has one spelling).
bool parse_int(std::string_view s, std::int64_t& v) {
  if (s.empty() || s[0] == '0') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && v > 0;
}

}  // namespace

std::string format_receipt(const ReceiptHandle& handle) {
  return "cf1-" + std::to_string(handle.queue_id) + "-" + std::to_string(handle.row_id) + "-" +
         handle.nonce;
}

std::optional<ReceiptHandle> parse_receipt(std::string_view text) {
  constexpr std::string_view kPrefix = "cf1-";
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  auto dash1 = text.find('-');
  if (dash1 == std::string_view::npos) return std::nullopt;
  auto dash2 = text.find('-', dash1 + 1);
  if (dash2 == std::string_view::npos) return std::nullopt;
  ReceiptHandle h;
  if (!parse_int(text.substr(0, dash1), h.queue_id)) return std::nullopt;
  if (!parse_int(text.substr(dash1 + 1, dash2 - dash1 - 1), h.row_id)) return std::nullopt;
  std::string_view n = text.substr(dash2 + 1);
  if (n.size() != 32) return std::nullopt;
  for (char c : n) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  h.nonce.assign(n);
  return h;
}

std::string encode_attributes(const ports::MessageAttributes& attributes) {
  std::string out;
  if (attributes.empty()) return out;
  put_u32(out, static_cast<std::uint32_t>(attributes.size()));
  for (const auto& [name, a] : attributes) {
    put_field(out, name);
    put_field(out, a.data_type);
    put_field(out, a.string_value);
    put_field(out, a.binary_value);
  }
  return out;
}

std::optional<ports::MessageAttributes> decode_attributes(std::string_view blob) {
  ports::MessageAttributes out;
  if (blob.empty()) return out;
  std::uint32_t count = 0;
  if (!get_u32(blob, count)) return std::nullopt;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string name;
    ports::MessageAttribute a;
    if (!get_field(blob, name) || !get_field(blob, a.data_type) ||
        !get_field(blob, a.string_value) || !get_field(blob, a.binary_value)) {
      return std::nullopt;
    }
    out.emplace(std::move(name), std::move(a));
  }
  if (!blob.empty()) return std::nullopt;
  return out;
}

}  // namespace cartflow::embedded::queue_codec
