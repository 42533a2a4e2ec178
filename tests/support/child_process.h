// SPDX-License-Identifier: Apache-2.0
#pragma once

// Child processes for tests: the `cartflow` binary (one-shot commands, `cartflow serve`) and the
// peers (DynamoDB Local, an SQS emulator). One way to start a child, wait for it with a bound,
// stop it, and read what it wrote. Every wait is bounded unless said otherwise. The caller owns
// each pid it gets and must stop or reap it. Functions are thread-safe; a pid has one owner.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cartflow::support {

// Where a child's stdout or stderr goes: "" inherits the test's, any other path is a file
// (created or truncated). An err path equal to the out path shares one file (2>&1).
struct ChildOutput {
  std::string out;
  std::string err;
};

// Starts argv[0] (searched in PATH when it has no '/') with argv, stdin from /dev/null, the
// environment of the test, SIGTERM/SIGINT/SIGPIPE at their defaults and no signal blocked. The
// child's pid, or -1 with the reason in `error`.
pid_t spawn_process(const std::vector<std::string>& argv, const ChildOutput& output,
                    std::string& error);

// The same for a child that sees only what it is given (a Lambda execution environment):
// exactly `env` as its environment and, when `root` is not empty, `root` as its "/" (chroot, then
// chdir "/"; needs root; argv[0] is then a path inside `root`, and a failed chroot exits the
// child with 126).
pid_t spawn_isolated(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env, const std::string& root,
                     const ChildOutput& output, std::string& error);

// waitpid with a deadline: the wait status, or -1 on timeout (the child still runs); 0 when the
// child was already reaped.
int wait_with_timeout(pid_t pid, std::chrono::milliseconds timeout);

// Sends `signal` to `pid` and reaps it (unbounded wait); the wait status. Nothing (returns -1)
// when pid <= 0.
int stop_process(pid_t pid, int signal);

struct CommandResult {
  bool started = false;  // false: could not be spawned (then `err` says why)
  int exit_code = -1;    // -1: did not finish within the timeout (then killed) or died of a signal
  std::string out;
  std::string err;  // empty when err went to the same file as out
};

// Runs argv to completion (SIGKILL after `timeout`), stdout and stderr through the files of
// `output` (which must name files), and returns their content.
CommandResult run_command(const std::vector<std::string>& argv, const ChildOutput& output,
                          std::chrono::seconds timeout = std::chrono::seconds(30));

// The content of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

// A TCP port on 127.0.0.1 free at the time of the call (for peers that want one on their command
// line).
int free_port();

// Waits until `probe` succeeds (every 100 ms, up to a minute on a busy machine) for the peer
// started as child `pid`. "" when it answers, else why not (`pid` becomes -1 when the child
// exited).
std::string wait_for_peer(pid_t& pid, const std::function<bool()>& probe, const std::string& what,
                          const std::string& url);

}  // namespace cartflow::support
