// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads a file of tests/data/events (AWS sample events and reference formats).

#include <fstream>
#include <sstream>
#include <string>

namespace cartflow::events::testing {

inline std::string read_event_file(const std::string& name) {
  std::ifstream in(std::string(CARTFLOW_SOURCE_DIR) + "/tests/data/events/" + name,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace cartflow::events::testing
