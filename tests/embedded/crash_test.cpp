// SPDX-License-Identifier: Apache-2.0
// Kill -9 at random moments: a child process puts items from several threads and reports each
// put on a pipe only once it is acknowledged; the parent SIGKILLs it, reopens the database, and
// checks that every acknowledged put is there and that the stream holds exactly one INSERT per
// item, each writer's in order. Two ways to acknowledge: after put() returned (no scope: it
// returns once durable), or, as the HTTP layer does, from when_durable() of the ticket of a
// RequestScope around the put (put() returns once visible; the thread goes on at once).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using ports::ReturnValues;

constexpr int kRounds = 25;
constexpr int kChildThreads = 4;

enum class Ack { kAfterPut, kWhenDurable };

[[noreturn]] void run_child(const std::string& db_path, int round, int ack_fd, Ack ack) {
  auto db = Database::open({db_path, true, 1});
  if (!db.ok()) _exit(3);
  ports::SystemClock clock;
  SqliteTable table(**db, orders_description(), clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < kChildThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        std::string pk = "r" + std::to_string(round) + "t" + std::to_string(t);
        if (ack == Ack::kWhenDurable) (*db)->begin_scope();
        auto r = table.put({{{"PK", pk}, {"SK", std::to_string(i)}, {"pad", std::string(200, 'p')}},
                            std::nullopt, ReturnValues::kNone});
        if (!r.ok()) _exit(4);
        std::string line = pk + " " + std::to_string(i) + "\n";  // < PIPE_BUF: atomic
        auto send = [ack_fd, line](bool durable) {
          if (!durable) _exit(6);
          if (::write(ack_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
        };
        if (ack == Ack::kWhenDurable) {
          // A thread's tickets grow with its puts: an acknowledged index implies the earlier ones.
          (*db)->when_durable((*db)->end_scope(), send);
        } else {
          send(true);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  _exit(0);
}

void kill_and_verify(Ack ack) {
  support::TempDir dir;
  const std::string path = dir.file("crash.db");
  std::mt19937 rng(12345);
  std::map<std::string, int> acked;  // writer -> highest acknowledged index (+1)
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      run_child(path, round, fds[1], ack);
    }
    ::close(fds[1]);
    // Let the child acknowledge a random number of puts, then kill it mid-flight.
    std::size_t kill_after = std::uniform_int_distribution<std::size_t>(1, 400)(rng);
    std::string buffer;
    std::size_t lines = 0;
    bool killed = false;
    char chunk[4096];
    for (;;) {
      ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;  // EOF: the child died (all its acks are in the buffer)
      buffer.append(chunk, static_cast<std::size_t>(n));
      for (char ch : std::string_view(chunk, static_cast<std::size_t>(n))) lines += ch == '\n';
      if (!killed && lines >= kill_after) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
    }
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status) << " in round " << round;
    std::size_t pos = 0;
    while (pos < buffer.size()) {
      std::size_t end = buffer.find('\n', pos);
      ASSERT_NE(end, std::string::npos) << "torn ack line";
      std::string line = buffer.substr(pos, end - pos);
      std::size_t space = line.find(' ');
      std::string writer = line.substr(0, space);
      int i = std::stoi(line.substr(space + 1));
      acked[writer] = std::max(acked[writer], i + 1);
      pos = end + 1;
    }

    // Reopen (the lock was released by the kernel) and check.
    auto db = Database::open({path, true, 1});
    ASSERT_TRUE(db.ok()) << db.error().message;
    ports::ManualClock clock;
    SqliteTable table(**db, orders_description(), clock);
    SqliteChangeStream stream(**db, "orders", clock);
    for (const auto& [writer, count] : acked) {
      if (writer.rfind("r" + std::to_string(round) + "t", 0) != 0) continue;
      ports::QueryRequest q;
      q.key_condition = model::KeyCondition::hash("PK", writer);
      std::size_t found = 0;
      for (;;) {
        auto r = table.query(q);
        ASSERT_TRUE(r.ok());
        found += r->items.size();
        if (!r->last_evaluated_key) break;
        q.exclusive_start_key = r->last_evaluated_key;
      }
      EXPECT_GE(found, static_cast<std::size_t>(count)) << writer;
    }
    // The stream: one INSERT per stored item, each writer's indexes 0, 1, 2... in order.
    auto records = stream.read({}, 1000000, std::chrono::milliseconds(0));
    ASSERT_TRUE(records.ok());
    std::map<std::string, int> next;
    for (const auto& r : records->records) {
      ASSERT_EQ(r.event_name, ports::StreamEventName::kInsert);
      const std::string& writer = *r.keys.at("PK").as_s();
      int i = std::stoi(*r.keys.at("SK").as_s());
      ASSERT_EQ(i, next[writer]) << writer << " out of order or duplicated";
      next[writer] = i + 1;
    }
    std::size_t items = 0;
    for (const auto& [writer, n] : next) {
      items += static_cast<std::size_t>(n);
      EXPECT_GE(n, acked[writer]) << writer << " lost acknowledged puts";
      auto last = table.get({{{"PK", writer}, {"SK", std::to_string(n - 1)}}, true, std::nullopt});
      ASSERT_TRUE(last.ok() && *last) << writer;
      auto beyond = table.get({{{"PK", writer}, {"SK", std::to_string(n)}}, true, std::nullopt});
      ASSERT_TRUE(beyond.ok());
      EXPECT_FALSE(*beyond) << writer << " has an item without a stream record";
    }
    EXPECT_EQ(records->records.size(), items);
  }
  std::size_t total = 0;
  for (const auto& [w, n] : acked) total += static_cast<std::size_t>(n);
  std::printf("%d kills, %zu acknowledged puts verified\n", kRounds, total);
}

TEST(CrashTest, AcknowledgedPutsSurviveKillNineAndStreamMatches) { kill_and_verify(Ack::kAfterPut); }

TEST(CrashTest, PutsAcknowledgedWhenDurableSurviveKillNine) {
  kill_and_verify(Ack::kWhenDurable);
}

TEST(CrashTest, SecondProcessGetsAClearError) {
  support::TempDir dir;
  const std::string path = dir.file("locked.db");
  int ready[2];
  int release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto db = Database::open({path, true, 1});
    char c = db.ok() ? 'y' : 'n';
    if (::write(ready[1], &c, 1) != 1) _exit(2);
    (void)::read(release[0], &c, 1);  // hold the database until the parent is done
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto second = Database::open({path, true, 1});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, model::ErrorCode::kUnavailable);
  EXPECT_EQ(second.error().message, "database " + path + " is in use by another process");
  ASSERT_EQ(::write(release[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  auto after = Database::open({path, true, 1});
  EXPECT_TRUE(after.ok());
  for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
}

}  // namespace
}  // namespace cartflow::embedded::testing
