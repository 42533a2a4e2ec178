// SPDX-License-Identifier: Apache-2.0
#pragma once

// The deployment package of `make lambda` unpacked into an otherwise empty root (the zip at
// /var/task, an empty /tmp, a CA bundle at Amazon Linux's path; no /etc/ld.so.cache), optionally
// with unrelated system libraries in /lib64, /usr/lib64 and /var/lang/lib, and the environment
// Lambda gives a provided.al2023 function. Shared by the package tests on the embedded store and
// on DynamoDB Local + SQS.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lambda_process.h"
#include "runtime_emulator.h"
#include "support/temp_dir.h"

namespace cartflow::tests {

namespace fs = std::filesystem;

// The zip named by environment variable `env_name`, else build/lambda/`file`.
inline std::string zip_path(const char* env_name, const std::string& file) {
  if (const char* v = std::getenv(env_name); v != nullptr && *v != '\0') return v;
  return std::string(CARTFLOW_SOURCE_DIR) + "/build/lambda/" + file;
}

// An empty root holding only the unpacked package, /tmp and the CA bundle.
class PackageRoot {
 public:
  PackageRoot(const std::string& zip, const std::string& tag)
      : dir_("cartflow-lambda-root-" + tag), root_(dir_.path()) {
    if (root_.empty()) return;  // no temporary folder: ok() stays false
    fs::create_directories(root_ / "var/task");
    fs::create_directories(root_ / "tmp");
    fs::create_directories(root_ / "etc/pki/tls/certs");
    const std::string unzip = "unzip -q -o '" + zip + "' -d '" + (root_ / "var/task").string() + "'";
    ok_ = std::system(unzip.c_str()) == 0;
    std::error_code ec;
    fs::copy_file("/etc/ssl/certs/ca-certificates.crt", root_ / "etc/pki/tls/certs/ca-bundle.crt", ec);
  }
  // Copies the build machine's own shared libraries (its glibc, loader, libstdc++, libssl, ...)
  // into the root's /lib64, /usr/lib64 and /var/lang/lib: what an execution environment holds
  // and names in LD_LIBRARY_PATH ahead of /var/task/lib. The package must load none of them.
  // Returns how many files were copied.
  int add_system_libraries() {
    static const char* const kNames[] = {"ld-linux-x86-64.so.2", "libc.so.6",       "libm.so.6",
                                         "libstdc++.so.6",       "libgcc_s.so.1",   "libssl.so.3",
                                         "libcrypto.so.3",       "libsimdjson.so.14", "libsqlite3.so.0"};
    int copied = 0;
    for (const char* dir : {"lib64", "usr/lib64", "var/lang/lib"}) {
      fs::create_directories(root_ / dir);
      for (const char* name : kNames) {
        std::error_code ec;
        const fs::path from = fs::canonical(fs::path("/lib/x86_64-linux-gnu") / name, ec);
        if (ec) continue;
        fs::copy_file(from, root_ / dir / name, fs::copy_options::overwrite_existing, ec);
        if (!ec) ++copied;
      }
    }
    return copied;
  }
  bool ok() const { return ok_; }
  const fs::path& path() const { return root_; }
  // Empties /tmp (a fresh execution environment).
  void clear_tmp() {
    for (const auto& entry : fs::directory_iterator(root_ / "tmp")) fs::remove_all(entry.path());
  }

 private:
  support::TempDir dir_;  // removed with its content at the end
  fs::path root_;
  bool ok_ = false;
};

// LD_LIBRARY_PATH as Lambda sets it on provided.al2023: the system's directories come before
// /var/task/lib, so only DT_RPATH (searched before it) keeps the package's libraries first.
inline constexpr const char* kLambdaLibraryPath =
    "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib";

// The files mapped by process `pid` that are shared objects (the ELF loader included), as
// /proc/PID/maps names them: for a chrooted process seen from outside, the full path on the
// host (root + /var/task/lib/...).
inline std::set<std::string> mapped_shared_objects(pid_t pid) {
  std::set<std::string> paths;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    if (path.find(".so") != std::string::npos) paths.insert(path);
  }
  return paths;
}

// The shared objects process `pid` maps that are not the package's own (not in `root`'s
// /var/task/lib); empty when the package loads only what it bundles. `missing` gets the bundled
// loader or libc when they are not mapped (a sign the maps were not read).
inline std::vector<std::string> foreign_shared_objects(pid_t pid, const fs::path& root, const std::string& loader,
                                                       std::vector<std::string>& missing) {
  const std::string lib = (fs::canonical(root) / "var/task/lib").string() + "/";
  const auto objects = mapped_shared_objects(pid);
  for (const std::string& name : {loader, std::string("libc.so.6")}) {
    if (objects.count(lib + name) == 0) missing.push_back(lib + name);
  }
  std::vector<std::string> foreign;
  for (const auto& path : objects) {
    if (path.rfind(lib, 0) != 0) foreign.push_back(path);
  }
  return foreign;
}

inline std::map<std::string, std::string> lambda_env(const RuntimeEmulator& emulator, const std::string& handler) {
  // What Lambda sets on provided.al2023 (CARTFLOW_BACKEND=embedded: the store in /tmp; callers
  // replace it for the AWS backend), LD_LIBRARY_PATH included: DT_RPATH must beat it.
  return {{"AWS_LAMBDA_RUNTIME_API", emulator.address()},
          {"_HANDLER", handler},
          {"LAMBDA_TASK_ROOT", "/var/task"},
          {"LAMBDA_RUNTIME_DIR", "/var/runtime"},
          {"LD_LIBRARY_PATH", kLambdaLibraryPath},
          {"PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin"},
          {"TABLE_NAME", "EcommerceAppTable"},
          {"CARTFLOW_BACKEND", "embedded"},
          {"AWS_REGION", "us-east-1"},
          {"TZ", ":UTC"},
          {"LANG", "en_US.UTF-8"}};
}

// Exec-to-first-/next over fresh starts (each with an empty /tmp), in milliseconds; and exec to
// the first connection to the Runtime API (opened at the start of init). `error` says which
// start failed, if one did.
struct StartTimes {
  double median_ms = 0, min_ms = 0, max_ms = 0, connect_median_ms = 0;
  std::string error;
};

using EnvironmentFor = std::function<std::map<std::string, std::string>(const RuntimeEmulator&)>;

inline StartTimes measure_starts(PackageRoot& root, const EnvironmentFor& env, int count = 20) {
  using Clock = std::chrono::steady_clock;
  using Ms = std::chrono::duration<double, std::milli>;
  std::vector<double> start_ms, connect_ms;
  for (int i = 0; i < count; ++i) {
    root.clear_tmp();
    RuntimeEmulator emulator;
    const auto t0 = Clock::now();
    ChildProcess child = spawn({"/var/task/bootstrap"}, env(emulator), root.path().string());
    auto first = emulator.wait_first_next(std::chrono::seconds(60));
    kill_child(child);
    if (!first) return {.error = "start " + std::to_string(i) + " never reached /next"};
    start_ms.push_back(Ms(*first - t0).count());
    connect_ms.push_back(Ms(emulator.first_connection().value_or(*first) - t0).count());
  }
  std::sort(start_ms.begin(), start_ms.end());
  std::sort(connect_ms.begin(), connect_ms.end());
  const auto median = [](const std::vector<double>& v) {
    return (v[(v.size() - 1) / 2] + v[v.size() / 2]) / 2;
  };
  return {median(start_ms), start_ms.front(), start_ms.back(), median(connect_ms), ""};
}

// chroot needs root.
inline bool can_chroot() { return ::geteuid() == 0; }

}  // namespace cartflow::tests
