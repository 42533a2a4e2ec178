// SPDX-License-Identifier: Apache-2.0
#include "serve_process.h"

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <thread>

namespace cartflow::e2e {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<int> g_sequence{0};

// Spawns CARTFLOW_BINARY with `args`, stdout and stderr to the given files (truncated).
pid_t spawn_cartflow(const std::vector<std::string>& args, const std::string& out_path,
                     const std::string& err_path, std::string& error) {
  std::vector<std::string> all = {CARTFLOW_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  return support::spawn_process(all, {out_path, err_path}, error);
}

}  // namespace

CommandResult run_cartflow(const std::string& dir, const std::vector<std::string>& args,
                           std::chrono::seconds timeout) {
  const std::string stem = dir + "/cmd-" + std::to_string(g_sequence++);
  std::vector<std::string> all = {CARTFLOW_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  return support::run_command(all, {stem + ".out", stem + ".err"}, timeout);
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
  const int status = support::wait_with_timeout(pid_, timeout);
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
