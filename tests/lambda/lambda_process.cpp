// SPDX-License-Identifier: Apache-2.0
#include "lambda_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace cartflow::tests {

ChildProcess spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                   const std::optional<std::string>& root) {
  std::string error;
  return {support::spawn_isolated(argv, env, root.value_or(""), {}, error)};
}

std::optional<int> wait_exit(ChildProcess& child, int timeout_ms) {
  if (child.pid <= 0) return std::nullopt;
  const int status = support::wait_with_timeout(child.pid, std::chrono::milliseconds(timeout_ms));
  if (status == -1) return std::nullopt;
  child.pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void kill_child(ChildProcess& child) {
  support::stop_process(child.pid, SIGKILL);
  child.pid = -1;
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      long kib = -1;
      fields >> kib;
      return kib;
    }
  }
  return -1;
}

}  // namespace cartflow::tests
