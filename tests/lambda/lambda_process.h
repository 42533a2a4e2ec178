// SPDX-License-Identifier: Apache-2.0
#pragma once

// Starting `cartflow lambda` (or a package's bootstrap) as a child process for the tests, with
// an exact environment and optionally inside a chroot, through support/child_process.h. POSIX
// only.

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace cartflow::tests {

struct ChildProcess {
  pid_t pid = -1;
};

// Starts `argv[0]` with exactly `env`, stdout and stderr the test's; when `root` is set the child
// chroots there and changes to "/" first (argv[0] is then a path inside the root). pid -1 when
// it could not start.
ChildProcess spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                   const std::optional<std::string>& root = std::nullopt);

// Waits up to `timeout_ms` for the child to exit; its exit status (WEXITSTATUS, or 128+signal),
// or nullopt when it is still running.
std::optional<int> wait_exit(ChildProcess& child, int timeout_ms);

// SIGKILLs and reaps the child (no-op when already reaped).
void kill_child(ChildProcess& child);

// VmRSS of a running process in KiB (from /proc/PID/status); -1 when unreadable.
long rss_kib(pid_t pid);

using support::read_file;

}  // namespace cartflow::tests
