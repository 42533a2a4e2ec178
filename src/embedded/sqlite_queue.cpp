// SPDX-License-Identifier: Apache-2.0
// SqliteQueue: queues, sending, counts, purge and redrive. Receiving is in
// sqlite_queue_receive.cpp.
#include "embedded/sqlite_queue.h"

#include <utility>

#include "embedded/queue_codec.h"
#include "embedded/queue_rules.h"
#include "util/hash.h"
#include "util/random.h"

namespace cartflow::embedded {

namespace {

using queue_rules::QueueError;
using queue_rules::to_error;

constexpr const char* kUpsertQueue = R"sql(
INSERT INTO queues(name, visibility_timeout_s, retention_s, delay_s, max_message_bytes,
                   dead_letter_queue, max_receive_count, created_ms)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT(name) DO UPDATE SET
  visibility_timeout_s = excluded.visibility_timeout_s, retention_s = excluded.retention_s,
  delay_s = excluded.delay_s, max_message_bytes = excluded.max_message_bytes,
  dead_letter_queue = excluded.dead_letter_queue, max_receive_count = excluded.max_receive_count
RETURNING id)sql";

constexpr const char* kSelectQueue =
    "SELECT id, visibility_timeout_s, retention_s, delay_s, max_message_bytes, "
    "dead_letter_queue, max_receive_count FROM queues WHERE name = ?1";

constexpr const char* kInsertMessage =
    "INSERT INTO queue_messages(queue_id, message_id, body, md5_of_body, attributes, sent_ms, "
    "visible_at_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

// Finds a queue's id by name; 0 when there is none.
Result<std::int64_t> queue_id(Connection& c, const std::string& name) {
  auto stmt = c.prepare("SELECT id FROM queues WHERE name = ?1");
  if (!stmt.ok()) return std::move(stmt).error();
  (*stmt)->bind_text(1, name);
  auto row = (*stmt)->step();
  if (!row.ok()) return std::move(row).error();
  std::int64_t id = *row ? (*stmt)->column_int(0) : 0;
  (*stmt)->reset();
  return id;
}

Error missing_queue(const std::string& name) {
  return Error::not_found("AWS.SimpleQueueService.NonExistentQueue: queue " + name +
                          " does not exist");
}

struct PreparedMessage {
  const ports::SendEntry* entry;
  std::string message_id;
  std::string md5;
  std::string attributes;
};

}  // namespace

Result<std::unique_ptr<SqliteQueue>> SqliteQueue::open(Database& db, const ports::Clock& clock,
                                                       const QueueConfig& config) {
  if (auto e = queue_rules::check_config(config)) return to_error(*e);
  std::int64_t id = 0;
  std::int64_t dlq_id = 0;
  const std::int64_t now = clock.now_ms();
  Status written = db.write([&](Connection& c) -> Status {
    if (config.redrive_policy) {
      const std::string& dlq = config.redrive_policy->dead_letter_queue;
      auto found = queue_id(c, dlq);
      if (!found.ok()) return std::move(found).error();
      if (*found == 0 || dlq == config.name) return missing_queue(dlq);
      dlq_id = *found;
    }
    auto stmt = c.prepare(kUpsertQueue);
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& s = **stmt;
    s.bind_text(1, config.name)
        .bind(2, config.visibility_timeout_seconds)
        .bind(3, config.message_retention_seconds)
        .bind(4, config.delay_seconds)
        .bind(5, config.maximum_message_size)
        .bind(8, now);
    if (config.redrive_policy) {
      s.bind_text(6, config.redrive_policy->dead_letter_queue)
          .bind(7, config.redrive_policy->max_receive_count);
    } else {
      s.bind_null(6).bind_null(7);
    }
    auto row = s.step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return Error::internal("queue upsert returned no id");
    id = s.column_int(0);
    s.reset();
    return {};
  });
  if (!written.ok()) return std::move(written).error();
  return std::unique_ptr<SqliteQueue>(new SqliteQueue(db, clock, config, id, dlq_id));
}

Result<std::unique_ptr<SqliteQueue>> SqliteQueue::open_existing(Database& db,
                                                                const ports::Clock& clock,
                                                                const std::string& name) {
  QueueConfig config;
  config.name = name;
  std::int64_t id = 0;
  std::int64_t dlq_id = 0;
  Status read = db.read([&](Connection& c) -> Status {
    auto stmt = c.prepare(kSelectQueue);
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& s = **stmt;
    s.bind_text(1, name);
    auto row = s.step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return missing_queue(name);
    id = s.column_int(0);
    config.visibility_timeout_seconds = static_cast<int>(s.column_int(1));
    config.message_retention_seconds = static_cast<int>(s.column_int(2));
    config.delay_seconds = static_cast<int>(s.column_int(3));
    config.maximum_message_size = static_cast<int>(s.column_int(4));
    if (!s.column_is_null(5)) {
      config.redrive_policy = RedrivePolicy{s.column_text(5), static_cast<int>(s.column_int(6))};
    }
    s.reset();
    if (config.redrive_policy) {
      auto found = queue_id(c, config.redrive_policy->dead_letter_queue);
      if (!found.ok()) return std::move(found).error();
      if (*found == 0) return missing_queue(config.redrive_policy->dead_letter_queue);
      dlq_id = *found;
    }
    return {};
  });
  if (!read.ok()) return std::move(read).error();
  return std::unique_ptr<SqliteQueue>(new SqliteQueue(db, clock, config, id, dlq_id));
}

Status SqliteQueue::insert_messages(const std::vector<const ports::SendEntry*>& entries,
                                    std::vector<ports::SendSuccess>& out) {
  std::vector<PreparedMessage> rows;
  rows.reserve(entries.size());
  for (const ports::SendEntry* e : entries) {
    rows.push_back({e, util::uuid_v4(), util::md5_hex(e->body),
                    queue_codec::encode_attributes(e->attributes)});
  }
  const std::int64_t now = clock_.now_ms();
  Status written = db_.write([&](Connection& c) -> Status {
    auto stmt = c.prepare(kInsertMessage);
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& s = **stmt;
    for (const PreparedMessage& m : rows) {
      const int delay = m.entry->delay_seconds.value_or(config_.delay_seconds);
      s.bind(1, id_)
          .bind_text(2, m.message_id)
          .bind_text(3, m.entry->body)
          .bind_text(4, m.md5)
          .bind(6, now)
          .bind(7, now + std::int64_t{delay} * 1000);
      if (m.attributes.empty()) {
        s.bind_null(5);
      } else {
        s.bind_blob(5, m.attributes);
      }
      if (Status r = s.run(); !r.ok()) return r;
      s.reset();
    }
    return {};
  });
  if (!written.ok()) return written;
  for (PreparedMessage& m : rows) out.push_back({m.entry->id, std::move(m.message_id), std::move(m.md5)});
  return {};
}

Result<ports::SendSuccess> SqliteQueue::send(const ports::SendEntry& entry) {
  if (auto e = queue_rules::check_entry(entry, config_.maximum_message_size)) return to_error(*e);
  std::vector<ports::SendSuccess> out;
  if (Status s = insert_messages({&entry}, out); !s.ok()) return std::move(s).error();
  return std::move(out.front());
}

Result<ports::SendBatchResult> SqliteQueue::send_batch(
    const std::vector<ports::SendEntry>& entries) {
  std::vector<std::string> ids;
  std::size_t total = 0;
  for (const auto& e : entries) {
    ids.push_back(e.id);
    total += queue_rules::message_size(e);
  }
  if (auto e = queue_rules::check_batch_ids(ids)) return to_error(*e);
  if (total > queue_rules::kMaxBatchBytes) {
    return to_error({"AWS.SimpleQueueService.BatchRequestTooLong",
                     "Batch requests cannot be longer than 262144 bytes. You have sent " +
                         std::to_string(total) + " bytes."});
  }
  ports::SendBatchResult result;
  std::vector<const ports::SendEntry*> valid;
  for (const auto& e : entries) {
    if (auto bad = queue_rules::check_entry(e, config_.maximum_message_size)) {
      result.failed.push_back({e.id, bad->code, bad->message, true});
    } else {
      valid.push_back(&e);
    }
  }
  if (!valid.empty()) {
    if (Status s = insert_messages(valid, result.successful); !s.ok()) return std::move(s).error();
  }
  return result;
}

Result<ports::QueueCounts> SqliteQueue::counts() {
  ports::QueueCounts counts;
  const std::int64_t now = clock_.now_ms();
  const std::int64_t cutoff = now - std::int64_t{config_.message_retention_seconds} * 1000;
  Status read = db_.read([&](Connection& c) -> Status {
    auto stmt = c.prepare(
        "SELECT TOTAL(visible_at_ms <= ?2), "
        "TOTAL(visible_at_ms > ?2 AND receipt IS NOT NULL), "
        "TOTAL(visible_at_ms > ?2 AND receipt IS NULL) "
        "FROM queue_messages WHERE queue_id = ?1 AND sent_ms > ?3");
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& s = **stmt;
    s.bind(1, id_).bind(2, now).bind(3, cutoff);
    auto row = s.step();
    if (!row.ok()) return std::move(row).error();
    if (*row) counts = {s.column_int(0), s.column_int(1), s.column_int(2)};
    s.reset();
    return {};
  });
  if (!read.ok()) return std::move(read).error();
  return counts;
}

Status SqliteQueue::purge() {
  return db_.write([&](Connection& c) -> Status {
    auto stmt = c.prepare("DELETE FROM queue_messages WHERE queue_id = ?1");
    if (!stmt.ok()) return std::move(stmt).error();
    return (*stmt)->bind(1, id_).run();
  });
}

Result<std::int64_t> SqliteQueue::redrive_all(const std::string& destination) {
  std::int64_t moved = 0;
  const std::int64_t now = clock_.now_ms();
  const std::int64_t cutoff = now - std::int64_t{config_.message_retention_seconds} * 1000;
  Status written = db_.write([&](Connection& c) -> Status {
    moved = 0;
    auto dest = c.prepare("SELECT id, delay_s FROM queues WHERE name = ?1");
    if (!dest.ok()) return std::move(dest).error();
    (*dest)->bind_text(1, destination);
    auto found = (*dest)->step();
    if (!found.ok()) return std::move(found).error();
    if (!*found) return missing_queue(destination);
    const std::int64_t dest_id = (*dest)->column_int(0);
    const std::int64_t dest_delay_ms = (*dest)->column_int(1) * 1000;
    (*dest)->reset();
    if (dest_id == id_) return Error::invalid("InvalidParameterValue: cannot redrive a queue to itself");

    auto expire = c.prepare("DELETE FROM queue_messages WHERE queue_id = ?1 AND sent_ms <= ?2");
    if (!expire.ok()) return std::move(expire).error();
    if (Status s = (*expire)->bind(1, id_).bind(2, cutoff).run(); !s.ok()) return s;

    std::vector<std::int64_t> rows;
    auto select = c.prepare("SELECT id FROM queue_messages WHERE queue_id = ?1 ORDER BY id");
    if (!select.ok()) return std::move(select).error();
    (*select)->bind(1, id_);
    for (;;) {
      auto row = (*select)->step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) break;
      rows.push_back((*select)->column_int(0));
    }
    (*select)->reset();

    auto update = c.prepare(
        "UPDATE queue_messages SET queue_id = ?2, message_id = ?3, sent_ms = ?4, "
        "visible_at_ms = ?5, receive_count = 0, first_receive_ms = 0, receipt = NULL "
        "WHERE id = ?1");
    if (!update.ok()) return std::move(update).error();
    for (std::int64_t row : rows) {
      (*update)->bind(1, row).bind(2, dest_id).bind_text(3, util::uuid_v4()).bind(4, now).bind(
          5, now + dest_delay_ms);
      if (Status s = (*update)->run(); !s.ok()) return s;
      (*update)->reset();
      ++moved;
    }
    return {};
  });
  if (!written.ok()) return std::move(written).error();
  return moved;
}

}  // namespace cartflow::embedded
