// SPDX-License-Identifier: Apache-2.0
// The deployment package (`make lambda`) in an otherwise empty root: the zip unpacked at
// /var/task, an empty /tmp, and a CA bundle at Amazon Linux's path, nothing else (no /lib, no
// /usr, no /etc/ld.so.cache). The bootstrap must serve all three handlers from the emulator
// with Lambda's own LD_LIBRARY_PATH set, and load only its own libraries when the root also
// holds the build machine's in /lib64, /usr/lib64 and /var/lang/lib (named first in
// LD_LIBRARY_PATH). Needs root (chroot) and the zips; the x86_64 zip is
// looked for at CARTFLOW_LAMBDA_ZIP_X86_64 or build/lambda/cartflow-x86_64.zip, the arm64 one
// (run under qemu-aarch64-static copied into the root) at CARTFLOW_LAMBDA_ZIP_ARM64 or
// build/lambda/cartflow-arm64.zip. Also prints the figures docs/DEPLOY.md quotes: median time
// from exec to the first /next over 20 starts (in the root with the system libraries), RSS after
// 1,000 invocations, zip sizes.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "lambda_events.h"
#include "lambda_process.h"
#include "package_root.h"
#include "runtime_emulator.h"

namespace cartflow::tests {
namespace {

// Serves a few invocations of each handler from a fresh process in `root`; `prefix` runs the
// bootstrap through an emulator (qemu) when not empty.
void serve_all_handlers(PackageRoot& root, const std::vector<std::string>& prefix) {
  for (const std::string name : {"api", "process-cart-products", "update-cart-status"}) {
    SCOPED_TRACE(name);
    RuntimeEmulator emulator;
    std::vector<std::string> argv = prefix;
    argv.push_back("/var/task/bootstrap");
    ChildProcess child = spawn(argv, lambda_env(emulator, name), root.path().string());
    ASSERT_GT(child.pid, 0);
    for (int i = 0; i < 3; ++i) {
      const std::string id = emulator.enqueue(event_for(name));
      auto out = emulator.wait_outcome(id, std::chrono::seconds(120));
      ASSERT_TRUE(out.has_value()) << "no answer; exit status " << wait_exit(child, 0).value_or(-1);
      EXPECT_FALSE(out->is_error) << out->body;
      EXPECT_NE(out->body.find(success_marker(name)), std::string::npos) << out->body;
    }
    EXPECT_EQ(emulator.connections_accepted(), 1);
    kill_child(child);
  }
  // The embedded store lived in the root's /tmp, the only writable place Lambda gives.
  EXPECT_TRUE(fs::exists(root.path() / "tmp/cartflow.db"));
}

TEST(LambdaPackage, X86_64ServesAllHandlersInAnEmptyRoot) {
  const std::string zip = zip_path("CARTFLOW_LAMBDA_ZIP_X86_64", "cartflow-x86_64.zip");
  if (!fs::exists(zip)) GTEST_SKIP() << zip << " missing: run `make lambda`";
  if (!can_chroot()) GTEST_SKIP() << "needs root for chroot";
  PackageRoot root(zip, "x86_64");
  ASSERT_TRUE(root.ok());
  // Nothing but the package: the loader is bundled, and the root has no /lib or /usr.
  EXPECT_TRUE(fs::exists(root.path() / "var/task/lib/ld-linux-x86-64.so.2"));
  EXPECT_FALSE(fs::exists(root.path() / "lib"));
  EXPECT_FALSE(fs::exists(root.path() / "usr"));
  serve_all_handlers(root, {});
}

// An execution environment has its own glibc, libstdc++, OpenSSL in /lib64 and /usr/lib64, and
// Lambda's LD_LIBRARY_PATH names them before /var/task/lib: the bootstrap must still map only
// the objects of its lib/ (DT_RPATH is searched before LD_LIBRARY_PATH) and work.
TEST(LambdaPackage, X86_64LoadsOnlyItsOwnLibrariesBesideSystemOnes) {
  const std::string zip = zip_path("CARTFLOW_LAMBDA_ZIP_X86_64", "cartflow-x86_64.zip");
  if (!fs::exists(zip)) GTEST_SKIP() << zip << " missing: run `make lambda`";
  if (!can_chroot()) GTEST_SKIP() << "needs root for chroot";
  PackageRoot root(zip, "system-libs");
  ASSERT_TRUE(root.ok());
  ASSERT_GE(root.add_system_libraries(), 9) << "the build machine's libraries could not be copied";
  ASSERT_TRUE(fs::exists(root.path() / "lib64/libc.so.6"));
  ASSERT_TRUE(fs::exists(root.path() / "usr/lib64/libstdc++.so.6"));

  for (const std::string name : {"api", "process-cart-products", "update-cart-status"}) {
    SCOPED_TRACE(name);
    RuntimeEmulator emulator;
    const auto env = lambda_env(emulator, name);
    ASSERT_EQ(env.at("LD_LIBRARY_PATH"), kLambdaLibraryPath);
    ChildProcess child = spawn({"/var/task/bootstrap"}, env, root.path().string());
    ASSERT_GT(child.pid, 0);
    const std::string id = emulator.enqueue(event_for(name));
    auto out = emulator.wait_outcome(id, std::chrono::seconds(120));
    ASSERT_TRUE(out.has_value()) << "no answer; exit status " << wait_exit(child, 0).value_or(-1);
    EXPECT_FALSE(out->is_error) << out->body;
    EXPECT_NE(out->body.find(success_marker(name)), std::string::npos) << out->body;
    std::vector<std::string> missing;
    const auto foreign = foreign_shared_objects(child.pid, root.path(), "ld-linux-x86-64.so.2", missing);
    EXPECT_TRUE(missing.empty()) << "not mapped: " << missing.front();
    for (const auto& path : foreign) ADD_FAILURE() << "loaded from outside the package: " << path;
    kill_child(child);
  }
}

TEST(LambdaPackage, Arm64ServesAllHandlersUnderQemu) {
  const std::string zip = zip_path("CARTFLOW_LAMBDA_ZIP_ARM64", "cartflow-arm64.zip");
  if (!fs::exists(zip)) GTEST_SKIP() << zip << " missing: run `make lambda`";
  if (!can_chroot()) GTEST_SKIP() << "needs root for chroot";
  if (!fs::exists("/usr/bin/qemu-aarch64-static")) GTEST_SKIP() << "qemu-user-static missing";
  PackageRoot root(zip, "arm64");
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(fs::exists(root.path() / "var/task/lib/ld-linux-aarch64.so.1"));
  // qemu-user is static; it is the only file besides the package.
  fs::copy_file("/usr/bin/qemu-aarch64-static", root.path() / "qemu-aarch64-static");
  fs::permissions(root.path() / "qemu-aarch64-static", fs::perms::owner_all);
  serve_all_handlers(root, {"/qemu-aarch64-static"});
}

// The figures of docs/DEPLOY.md. Asserts only that every start and invocation worked.
TEST(LambdaPackage, X86_64StartTimeAndMemory) {
  const std::string zip = zip_path("CARTFLOW_LAMBDA_ZIP_X86_64", "cartflow-x86_64.zip");
  if (!fs::exists(zip)) GTEST_SKIP() << zip << " missing: run `make lambda`";
  if (!can_chroot()) GTEST_SKIP() << "needs root for chroot";
  PackageRoot root(zip, "measure");
  ASSERT_TRUE(root.ok());
  // Measured as Lambda starts it: system libraries in /lib64 and /usr/lib64 (not loaded).
  ASSERT_GE(root.add_system_libraries(), 9);

  const StartTimes starts =
      measure_starts(root, [](const RuntimeEmulator& emulator) { return lambda_env(emulator, "api"); });
  ASSERT_TRUE(starts.error.empty()) << starts.error;
  root.clear_tmp();
  RuntimeEmulator emulator;
  ChildProcess child = spawn({"/var/task/bootstrap"}, lambda_env(emulator, "api"), root.path().string());
  const long rss_before = [&] {
    emulator.wait_first_next(std::chrono::seconds(60));
    return rss_kib(child.pid);
  }();
  std::vector<std::string> missing;
  EXPECT_TRUE(foreign_shared_objects(child.pid, root.path(), "ld-linux-x86-64.so.2", missing).empty());
  EXPECT_TRUE(missing.empty());
  std::string last;
  for (int i = 0; i < 1000; ++i) {
    last = emulator.enqueue(api_products_event());
    if (i % 100 == 99) {
      auto out = emulator.wait_outcome(last, std::chrono::seconds(120));
      ASSERT_TRUE(out.has_value());
      ASSERT_FALSE(out->is_error) << out->body;
    }
  }
  ASSERT_TRUE(emulator.wait_outcome(last, std::chrono::seconds(120)).has_value());
  const long rss_after = rss_kib(child.pid);
  kill_child(child);

  const auto size = [](const std::string& p) -> long long {
    std::error_code ec;
    auto s = fs::file_size(p, ec);
    return ec ? -1 : static_cast<long long>(s);
  };
  std::cout << "lambda-figures: exec-to-first-/next median of 20, system libraries in /lib64 (ms): " << starts.median_ms
            << " (min " << starts.min_ms << ", max " << starts.max_ms << ")"
            << "; exec-to-connect (before the store opens) median: " << starts.connect_median_ms << "\n"
            << "lambda-figures: RSS at first /next (KiB): " << rss_before
            << "; after 1000 api invocations (KiB): " << rss_after << "\n"
            << "lambda-figures: zip bytes x86_64: " << size(zip) << ", arm64: "
            << size(zip_path("CARTFLOW_LAMBDA_ZIP_ARM64", "cartflow-arm64.zip")) << "\n";
  ::testing::Test::RecordProperty("start_median_ms", std::to_string(starts.median_ms));
  ::testing::Test::RecordProperty("rss_after_1000_kib", std::to_string(rss_after));
  EXPECT_GT(rss_after, 0);
}

}  // namespace
}  // namespace cartflow::tests
