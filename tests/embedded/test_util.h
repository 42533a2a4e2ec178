// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the embedded store tests: a fresh temporary folder per test.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace cartflow::embedded::testing {

// A unique temporary directory, removed with its contents at destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "cartflow-XXXXXX").string();
    char* made = ::mkdtemp(templ.data());
    path_ = made != nullptr ? made : templ;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace cartflow::embedded::testing
