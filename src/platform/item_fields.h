// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading the attributes of the platform's own items (API keys, leases) leniently: a missing
// attribute or one of another type reads as 0 or "". Pure, thread-safe.

#include <cstdint>
#include <string>

#include "model/attribute_value.h"

namespace cartflow::platform {

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
