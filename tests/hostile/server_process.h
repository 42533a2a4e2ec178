// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test support: runs the real `cartflow` binary (CARTFLOW_BINARY) as a child process. One-shot
// commands (`catalog load`, `keys create`, ...) run to completion with their output captured;
// `cartflow serve --port 0` runs in the background with stdout/stderr in files, and start()
// waits for its banner to learn the port. Not thread-safe; the owner stops the child by its pid.

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace cartflow::testing {

struct CommandOutput {
  int exit_code = -1;
  std::string out;
};

// Runs `binary args...` to completion; stdout and stderr together in `out`.
inline CommandOutput run_command(const std::vector<std::string>& args) {
  static const support::TempDir dir("cartflow-cmd");
  static std::atomic<int> sequence{0};
  const std::string file = dir.file("cmd-" + std::to_string(sequence++) + ".out");
  std::vector<std::string> argv = {CARTFLOW_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  support::CommandResult r = support::run_command(argv, {file, file}, std::chrono::seconds(300));
  return {r.exit_code, r.out};
}

using support::read_file;

// The last non-empty line of `text`.
inline std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  auto pos = t.rfind('\n');
  return pos == std::string::npos ? t : t.substr(pos + 1);
}

class ServerProcess {
 public:
  ServerProcess(std::string db_path, std::string log_prefix)
      : db_path_(std::move(db_path)), log_prefix_(std::move(log_prefix)) {}
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { kill_now(); }

  // Starts `cartflow serve --db D --port 0` and waits (up to 60 s) for its banner. Returns false
  // when the child exited or never printed it. `first_key` gets the KEY= value when the server
  // created a first key.
  bool start(std::vector<std::string> extra_args = {}) {
    ++starts_;
    const std::string out_path = log_prefix_ + ".out" + std::to_string(starts_);
    const std::string err_path = log_prefix_ + ".err" + std::to_string(starts_);
    std::vector<std::string> args = {CARTFLOW_BINARY, "serve", "--db", db_path_, "--port", "0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::string error;
    pid_ = support::spawn_process(args, {out_path, err_path}, error);
    if (pid_ < 0) return false;
    const std::regex serving(R"(cartflow is serving on http://127\.0\.0\.1:(\d+))");
    const std::regex key_line(R"(\n  KEY=([A-Za-z0-9_\-]+)\n)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      const std::string text = read_file(out_path);
      std::smatch m;
      if (std::regex_search(text, m, serving)) {
        port_ = std::stoi(m[1].str());
        std::smatch k;
        if (std::regex_search(text, k, key_line)) first_key_ = k[1].str();
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_now();
    return false;
  }

  // SIGKILL and reap; no-op when not running.
  void kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // SIGTERM, then waits for the exit; returns the exit code (-1 when killed by a signal).
  int stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // True while the child has not exited.
  bool alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }

  int port() const { return port_; }
  const std::optional<std::string>& first_key() const { return first_key_; }
  std::string stderr_text() const {
    return read_file(log_prefix_ + ".err" + std::to_string(starts_));
  }

 private:
  std::string db_path_;
  std::string log_prefix_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
  std::optional<std::string> first_key_;
};

}  // namespace cartflow::testing
