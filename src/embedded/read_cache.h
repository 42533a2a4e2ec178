// SPDX-License-Identifier: Apache-2.0
#pragma once

// ReadCache: the answers of plain reads (SqliteTable::get_plain, and query_plain pages of the
// table itself) in a few read-mostly partitions (the catalog), kept in memory so that such a
// read skips SQLite. An answer stays valid until a commit changes an item of those partitions;
// then every answer is dropped at once (such commits are rare: the catalog changes seldom).
//
// Protocol. Writer thread: note_change(pk) for each item a write changes, after_commit() after
// the group's COMMIT returned (Database::add_commit_listener); a change is thus dropped before
// the write that made it is acknowledged. Readers (any thread): version() before the read's
// snapshot, then store() with it: an answer read from a snapshot that a later commit of those
// partitions made stale is refused, as the version moved. lookup() returns only answers stored
// under the current version. Thread-safe as said.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/attribute_value.h"

namespace cartflow::embedded {

class ReadCache {
 public:
  // `partitions`: the encoded partition keys (RowKey::pk) whose items are cached.
  explicit ReadCache(std::vector<std::string> partitions);

  bool covers(std::string_view encoded_pk) const;

  // An answer: whether the item exists (a query page: the page's counts and where the next
  // page starts), its plain JSON, and the commit position it rests on.
  struct Answer {
    bool found = false;
    std::string json;
    std::uint64_t position = 0;
    std::size_t count = 0;
    std::size_t scanned_count = 0;
    std::optional<model::Item> last_evaluated_key;
  };
  // A copy of the answer stored for `key` under the current version, if any.
  std::optional<Answer> lookup(const std::string& key) const;
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
  // Keeps `answer` for `key` unless the version is no longer `version_before_read`.
  void store(const std::string& key, std::uint64_t version_before_read, Answer answer);

  // Writer thread only.
  void note_change(std::string_view encoded_pk);
  void after_commit();

  // Most answers kept; past it the cache starts over.
  static constexpr std::size_t kMaxAnswers = 16384;

 private:
  struct Stored {
    Answer answer;
    std::uint64_t version = 0;
  };
  const std::vector<std::string> partitions_;
  std::atomic<std::uint64_t> version_{1};
  bool changed_ = false;  // writer thread only: the open group changed a cached item
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Stored> answers_;  // GUARDED_BY(mutex_)
};

}  // namespace cartflow::embedded
