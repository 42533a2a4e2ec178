// SPDX-License-Identifier: Apache-2.0
#pragma once

// A fresh temporary folder per test (or per benchmark), removed with its content on destruction.

#include <string>
#include <string_view>

namespace cartflow::support {

// Creates `$TMPDIR/<prefix>-XXXXXX` (or under /tmp) with mkdtemp. path() is empty when it could
// not be created (callers that care assert on it; file() then names a path that fails to open).
// Not thread-safe; one owner.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "cartflow");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // `path()/name`.
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Leaves the folder and its content in place at destruction (a failed test's evidence).
  void keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

}  // namespace cartflow::support
