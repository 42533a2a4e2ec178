// SPDX-License-Identifier: Apache-2.0
#include "expression_test_util.h"

namespace cartflow::model::testing {

std::string debug_string(const AttributeValue& v) {
  switch (v.type()) {
    case AttributeType::kS: return "S:\"" + *v.as_s() + "\"";
    case AttributeType::kN: return "N:" + v.as_n()->to_string();
    case AttributeType::kB: return "B:" + std::to_string(v.as_b()->data.size()) + "bytes";
    case AttributeType::kBool: return *v.as_bool() ? "true" : "false";
    case AttributeType::kNull: return "NULL";
    case AttributeType::kM: return debug_string(*v.as_m());
    case AttributeType::kL: {
      std::string out = "[";
      for (const auto& e : *v.as_l()) out += debug_string(e) + ",";
      return out + "]";
    }
    case AttributeType::kSS: {
      std::string out = "SS{";
      for (const auto& e : v.as_ss()->values) out += e + ",";
      return out + "}";
    }
    case AttributeType::kNS: {
      std::string out = "NS{";
      for (const auto& e : v.as_ns()->values) out += e.to_string() + ",";
      return out + "}";
    }
    case AttributeType::kBS: return "BS{" + std::to_string(v.as_bs()->values.size()) + "}";
  }
  return "?";
}

std::string debug_string(const Item& item) {
  std::string out = "{";
  for (const auto& [k, v] : item) out += k + ":" + debug_string(v) + ",";
  return out + "}";
}

}  // namespace cartflow::model::testing
