// SPDX-License-Identifier: Apache-2.0
#include "model/attribute_value.h"

#include <array>

namespace cartflow::model {
namespace {

constexpr std::array<const char*, 10> kDescriptors = {"S", "N",  "B", "BOOL", "NULL",
                                                      "M", "L", "SS", "NS",  "BS"};

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out = parent;
  out.push_back('.');
  out.append(key);
  return out;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

Error at(const std::string& path, const std::string& message) {
  return Error::invalid(path.empty() ? message : path + ": " + message);
}

Status validate_at(const AttributeValue& value, const std::string& path, int depth) {
  switch (value.type()) {
    case AttributeType::kM:
    case AttributeType::kL: {
      if (depth + 1 > kMaxNestingDepth) {
        return at(path, "Nesting Levels have exceeded supported limits");
      }
      if (const Map* m = value.as_m()) {
        for (const auto& [k, v] : *m) {
          if (Status s = validate_at(v, child_path(path, k), depth + 1); !s) return s;
        }
      } else {
        const List& l = *value.as_l();
        for (std::size_t i = 0; i < l.size(); ++i) {
          if (Status s = validate_at(l[i], index_path(path, i), depth + 1); !s) return s;
        }
      }
      return {};
    }
    case AttributeType::kSS:
      if (value.as_ss()->values.empty()) return at(path, "An string set  may not be empty");
      return {};
    case AttributeType::kNS:
      if (value.as_ns()->values.empty()) return at(path, "An number set  may not be empty");
      return {};
    case AttributeType::kBS:
      if (value.as_bs()->values.empty()) return at(path, "Binary sets should not be empty");
      return {};
    default:
      return {};
  }
}

std::size_t number_size(const Number& n) { return number_text_size(n.to_string()); }

}  // namespace

const char* type_descriptor(AttributeType type) {
  return kDescriptors[static_cast<std::size_t>(type)];
}

Result<AttributeType> parse_type_descriptor(std::string_view text) {
  for (std::size_t i = 0; i < kDescriptors.size(); ++i) {
    if (text == kDescriptors[i]) return static_cast<AttributeType>(i);
  }
  return Error::invalid("Unknown attribute type descriptor: " + std::string(text.substr(0, 64)));
}

bool AttributeValue::operator==(const AttributeValue& other) const { return v_ == other.v_; }

Status validate(const AttributeValue& value) { return validate_at(value, "", 0); }

Status validate_item(const Item& item) {
  for (const auto& [name, value] : item) {
    if (name.empty()) return Error::invalid("Attribute name must not be empty");
    if (Status s = validate_at(value, name, 0); !s) return s;
  }
  return {};
}

std::size_t number_text_size(std::string_view canonical_text) {
  // Significant digits: the text without sign, point and leading/trailing zeros.
  std::size_t digits = 0;
  bool started = false;
  std::size_t trailing_zeros = 0;
  for (char c : canonical_text) {
    if (c < '0' || c > '9') continue;
    if (!started && c == '0') continue;
    started = true;
    ++digits;
    trailing_zeros = c == '0' ? trailing_zeros + 1 : 0;
  }
  digits -= trailing_zeros;
  return (digits + 1) / 2 + 1;
}

std::size_t value_size(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS: return value.as_s()->size();
    case AttributeType::kN: return number_size(*value.as_n());
    case AttributeType::kB: return value.as_b()->data.size();
    case AttributeType::kBool:
    case AttributeType::kNull: return 1;
    case AttributeType::kM: {
      std::size_t size = 3;
      for (const auto& [k, v] : *value.as_m()) size += k.size() + value_size(v) + 1;
      return size;
    }
    case AttributeType::kL: {
      std::size_t size = 3;
      for (const auto& v : *value.as_l()) size += value_size(v) + 1;
      return size;
    }
    case AttributeType::kSS: {
      std::size_t size = 0;
      for (const auto& s : value.as_ss()->values) size += s.size();
      return size;
    }
    case AttributeType::kNS: {
      std::size_t size = 0;
      for (const auto& n : value.as_ns()->values) size += number_size(n);
      return size;
    }
    case AttributeType::kBS: {
      std::size_t size = 0;
      for (const auto& b : value.as_bs()->values) size += b.data.size();
      return size;
    }
  }
  return 0;
}

std::size_t item_size(const Item& item) {
  std::size_t size = 0;
  for (const auto& [name, value] : item) size += name.size() + value_size(value);
  return size;
}

}  // namespace cartflow::model
