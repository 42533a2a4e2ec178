// SPDX-License-Identifier: Apache-2.0
#include "support/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace cartflow::support {

using Clock = std::chrono::steady_clock;

namespace {

// Runs in the forked child of a chrooted start: async-signal-safe calls only, then exec. The
// files are opened before the chroot, so their paths are the test's.
[[noreturn]] void exec_in_root(const char* root, char* const argv[], char* const envp[],
                               const ChildOutput& output) {
  const int flags = O_WRONLY | O_CREAT | O_TRUNC;
  const int in = ::open("/dev/null", O_RDONLY);
  const int out = output.out.empty() ? -1 : ::open(output.out.c_str(), flags, 0644);
  const bool shared = !output.err.empty() && output.err == output.out;
  const int err = output.err.empty() || shared ? -1 : ::open(output.err.c_str(), flags, 0644);
  if (::chroot(root) != 0 || ::chdir("/") != 0) ::_exit(126);
  if (in >= 0) ::dup2(in, 0);
  if (out >= 0) ::dup2(out, 1);
  if (shared) ::dup2(1, 2);
  if (err >= 0) ::dup2(err, 2);
  for (int signal : {SIGPIPE, SIGTERM, SIGINT}) ::signal(signal, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve(argv[0], argv, envp);
  ::_exit(127);
}

// Everything a child needs is built before it starts (a forked child may only make
// async-signal-safe calls). `envp` null: the test's environment.
pid_t spawn(const std::vector<std::string>& argv, char** envp, const std::string& root,
            const ChildOutput& output, std::string& error) {
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  if (envp == nullptr) envp = environ;

  if (!root.empty()) {  // posix_spawn cannot chroot
    const pid_t pid = ::fork();
    if (pid == 0) exec_in_root(root.c_str(), cargv.data(), envp, output);
    if (pid < 0) error = std::string("fork: ") + std::strerror(errno);
    return pid;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!output.out.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, output.out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!output.err.empty() && output.err == output.out) {
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  } else if (!output.err.empty()) {
    posix_spawn_file_actions_addopen(&actions, 2, output.err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  // The child must not inherit a blocked or ignored SIGTERM/SIGPIPE from the test process.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, cargv[0], &actions, &attr, cargv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    error = "posix_spawn " + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

}  // namespace

pid_t spawn_process(const std::vector<std::string>& argv, const ChildOutput& output,
                    std::string& error) {
  return spawn(argv, nullptr, "", output, error);
}

pid_t spawn_isolated(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env, const std::string& root,
                     const ChildOutput& output, std::string& error) {
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  return spawn(argv, envp.data(), root, output, error);
}

int wait_with_timeout(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;  // already reaped
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int stop_process(pid_t pid, int signal) {
  if (pid <= 0) return -1;
  ::kill(pid, signal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

CommandResult run_command(const std::vector<std::string>& argv, const ChildOutput& output,
                          std::chrono::seconds timeout) {
  CommandResult result;
  std::string error;
  const pid_t pid = spawn_process(argv, output, error);
  if (pid < 0) {
    result.err = error;
    return result;
  }
  result.started = true;
  const int status = wait_with_timeout(pid, timeout);
  if (status == -1) {
    ::kill(pid, SIGKILL);
    wait_with_timeout(pid, std::chrono::seconds(10));
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  result.out = read_file(output.out);
  if (output.err != output.out) result.err = read_file(output.err);
  return result;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string wait_for_peer(pid_t& pid, const std::function<bool()>& probe, const std::string& what,
                          const std::string& url) {
  for (int i = 0; i < 600; ++i) {
    if (probe()) return "";
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      pid = -1;
      return what + " exited at start";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return what + " did not answer on " + url;
}

}  // namespace cartflow::support
