// SPDX-License-Identifier: Apache-2.0
#include "support/temp_dir.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace cartflow::support {

TempDir::TempDir(std::string_view prefix) {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  if (path_.empty() || keep_) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace cartflow::support
