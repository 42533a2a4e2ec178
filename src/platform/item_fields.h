// SPDX-License-Identifier: Apache-2.0
#pragma once

// The platform's own tables (API keys, leases): keys PK and SK (both S), no index, no stream;
// their attributes read leniently: a missing attribute or one of another type reads as 0 or "".
// Pure, thread-safe.

#include <cstdint>
#include <string>

#include "model/attribute_value.h"
#include "ports/table.h"

namespace cartflow::platform {

inline constexpr const char* kPk = "PK";
inline constexpr const char* kSk = "SK";

inline ports::TableDescription own_table_description(std::string name) {
  ports::TableDescription d;
  d.name = std::move(name);
  d.keys = ports::KeySchema{kPk, std::string(kSk)};
  return d;
}

inline std::int64_t item_int(const model::Item& item, const char* name) {
  auto it = item.find(name);
  if (it == item.end() || !it->second.is_n()) return 0;
  auto n = it->second.as_n()->to_int64();
  return n.ok() ? *n : 0;
}

inline std::string item_string(const model::Item& item, const char* name) {
  auto it = item.find(name);
  return it == item.end() || !it->second.is_s() ? std::string() : *it->second.as_s();
}

}  // namespace cartflow::platform
