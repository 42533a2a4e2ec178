// SPDX-License-Identifier: Apache-2.0
#include "functions/api_request.h"

#include "util/hex.h"

namespace cartflow::functions {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool PathParams::add(std::string_view name, std::string value) {
  if (size_ == kMax) return false;
  items_[size_].name = name;
  items_[size_].value = std::move(value);
  ++size_;
  return true;
}

const std::string* PathParams::find(std::string_view name) const {
  for (std::size_t i = 0; i < size_; ++i) {
    if (items_[i].name == name) return &items_[i].value;
  }
  return nullptr;
}

std::optional<std::string_view> ApiRequest::header(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) found = v;
  }
  return found;
}

std::optional<std::string_view> ApiRequest::query_param(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : query) {
    if (k == name) found = v;
  }
  return found;
}

std::optional<std::string_view> ApiResponse::header(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) found = v;
  }
  return found;
}

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && util::hex_digit(text[i + 1]) >= 0 &&
        util::hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(util::hex_digit(text[i + 1]) * 16 + util::hex_digit(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void parse_query_string(std::string_view query,
                        std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t i = 0;
  while (i <= query.size()) {
    std::size_t amp = query.find('&', i);
    std::string_view part =
        query.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string value =
          eq == std::string_view::npos ? std::string() : percent_decode(part.substr(eq + 1), true);
      out.emplace_back(percent_decode(part.substr(0, eq), true), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
}

}  // namespace cartflow::functions
