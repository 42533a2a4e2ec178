// SPDX-License-Identifier: Apache-2.0
#include "serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace cartflow::e2e {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<int> g_sequence{0};

// Spawns CARTFLOW_BINARY with `args`, stdout and stderr to the given files (truncated).
pid_t spawn_cartflow(const std::vector<std::string>& args, const std::string& out_path,
                     const std::string& err_path, std::string& error) {
  std::vector<std::string> all = {CARTFLOW_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
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
  const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    error = std::string("posix_spawn ") + CARTFLOW_BINARY + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

// waitpid with a deadline; the wait status, or -1 on timeout.
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

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CommandResult run_cartflow(const std::string& dir, const std::vector<std::string>& args,
                           std::chrono::seconds timeout) {
  CommandResult result;
  const std::string stem = dir + "/cmd-" + std::to_string(g_sequence++);
  std::string error;
  const pid_t pid = spawn_cartflow(args, stem + ".out", stem + ".err", error);
  if (pid < 0) {
    result.err = error;
    return result;
  }
  int status = wait_with_timeout(pid, timeout);
  if (status == -1) {
    ::kill(pid, SIGKILL);
    wait_with_timeout(pid, std::chrono::seconds(10));
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  result.out = read_file(stem + ".out");
  result.err = read_file(stem + ".err");
  return result;
}

CreatedKey create_key(const std::string& dir, const std::string& db,
                      const std::vector<std::string>& args) {
  std::vector<std::string> all = {"keys", "create", "--db", db};
  all.insert(all.end(), args.begin(), args.end());
  const CommandResult r = run_cartflow(dir, all);
  CreatedKey key;
  if (r.exit_code != 0) return key;
  // "created key <id> (<name>); its value, shown only now:\n<secret>\n"
  const std::string prefix = "created key ";
  const auto at = r.out.find(prefix);
  if (at == std::string::npos) return key;
  const auto id_end = r.out.find(' ', at + prefix.size());
  const auto nl = r.out.find('\n', at);
  if (id_end == std::string::npos || nl == std::string::npos) return key;
  key.id = r.out.substr(at + prefix.size(), id_end - at - prefix.size());
  std::string secret = r.out.substr(nl + 1);
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  key.secret = secret;
  return key;
}

std::unique_ptr<ServeProcess> ServeProcess::start(const std::string& dir, const std::string& db,
                                                  std::string& error,
                                                  const std::vector<std::string>& extra,
                                                  std::chrono::seconds timeout) {
  std::unique_ptr<ServeProcess> p(new ServeProcess());
  const std::string stem = dir + "/serve-" + std::to_string(g_sequence++);
  p->out_path_ = stem + ".out";
  p->err_path_ = stem + ".err";
  std::vector<std::string> args = {"serve", "--db", db, "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  p->pid_ = spawn_cartflow(args, p->out_path_, p->err_path_, error);
  if (p->pid_ < 0) return nullptr;

  // The banner ends with the "Metrics:" line; the port is on its first line.
  const auto deadline = Clock::now() + timeout;
  const std::string serving = "cartflow is serving on http://127.0.0.1:";
  for (;;) {
    const std::string out = read_file(p->out_path_);
    if (out.find("\nMetrics: ") != std::string::npos && out.find(serving) != std::string::npos) {
      p->banner_ = out;
      p->port_ = static_cast<std::uint16_t>(
          std::atoi(out.c_str() + out.find(serving) + serving.size()));
      const auto key_at = out.find("  KEY=");
      if (key_at != std::string::npos) {
        const auto end = out.find('\n', key_at);
        p->banner_key_ = out.substr(key_at + 6, end - key_at - 6);
      }
      return p;
    }
    int status = 0;
    if (::waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
      p->pid_ = -1;
      error = "cartflow serve exited before its banner (status " + std::to_string(status) +
              ")\nstdout:\n" + out + "\nstderr:\n" + read_file(p->err_path_);
      return nullptr;
    }
    if (Clock::now() >= deadline) {
      error = "no banner within the timeout\nstdout:\n" + out + "\nstderr:\n" +
              read_file(p->err_path_);
      return nullptr;  // the destructor kills the child
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServeProcess::~ServeProcess() {
  if (running()) kill();
}

std::string ServeProcess::log() const { return read_file(err_path_); }

int ServeProcess::wait_exit(std::chrono::milliseconds timeout) {
  const int status = wait_with_timeout(pid_, timeout);
  if (status != -1) pid_ = -1;
  return status;
}

int ServeProcess::terminate(std::chrono::seconds timeout) {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  const int status = wait_exit(timeout);
  if (status == -1) {
    kill();
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServeProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  wait_exit(std::chrono::seconds(30));
  pid_ = -1;
}

}  // namespace cartflow::e2e
