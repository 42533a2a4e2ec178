// SPDX-License-Identifier: Apache-2.0
#pragma once

// The real `cartflow` program (CARTFLOW_BINARY) as a child process, for end-to-end tests:
// `cartflow serve` on 127.0.0.1 with a free port (--port 0), its banner read from its stdout,
// stopped by SIGTERM or SIGKILL by pid; and one-shot commands (`catalog load`, `keys ...`).
// Every wait is bounded. A ServeProcess kills its child (SIGKILL) if it is still running when
// destroyed. Not thread-safe: one owner thread.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace cartflow::e2e {

using support::CommandResult;  // exit_code -1: did not finish in time (killed) or did not start
using support::read_file;
using support::TempDir;

// Runs `cartflow args...` to completion (killed after `timeout`), capturing stdout and stderr
// through files in `dir`.
CommandResult run_cartflow(const std::string& dir, const std::vector<std::string>& args,
                           std::chrono::seconds timeout = std::chrono::seconds(30));

// `cartflow keys create --db db args...`: the new key's id and secret; empty strings on failure.
struct CreatedKey {
  std::string id;
  std::string secret;
};
CreatedKey create_key(const std::string& dir, const std::string& db,
                      const std::vector<std::string>& args = {});

class ServeProcess {
 public:
  // Starts `cartflow serve --db db --port 0 extra...` and waits (up to `timeout`) for its banner.
  // On failure returns nullptr and puts the reason and the child's output in `error`.
  static std::unique_ptr<ServeProcess> start(const std::string& dir, const std::string& db,
                                             std::string& error,
                                             const std::vector<std::string>& extra = {},
                                             std::chrono::seconds timeout = std::chrono::seconds(30));
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  std::uint16_t port() const { return port_; }
  // The key printed by the banner (`  KEY=...`); "$KEY" when the database already had keys.
  const std::string& banner_key() const { return banner_key_; }
  const std::string& banner() const { return banner_; }
  pid_t pid() const { return pid_; }
  // Everything the child wrote to stderr so far (its JSON logs).
  std::string log() const;

  // Sends SIGTERM and waits up to `timeout` for the exit; returns the exit code, or -1 if it had
  // to be killed (SIGKILL) after the timeout or died of a signal.
  int terminate(std::chrono::seconds timeout = std::chrono::seconds(30));
  // SIGKILL, then reaps the child.
  void kill();
  bool running() const { return pid_ > 0; }

 private:
  ServeProcess() = default;
  // Waits for the child's exit up to `timeout`; its wait status, or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string banner_key_;
  std::string banner_;
  std::string out_path_;
  std::string err_path_;
};

}  // namespace cartflow::e2e
