// SPDX-License-Identifier: Apache-2.0
// SqliteQueue: receiving (with long poll and redrive), deleting, changing visibility, peeking.
#include <algorithm>
#include <chrono>
#include <utility>

#include "embedded/queue_codec.h"
#include "embedded/queue_rules.h"
#include "embedded/sqlite_queue.h"
#include "util/random.h"

namespace cartflow::embedded {

namespace {

using queue_rules::to_error;

// Columns 0..7 of kSelectVisible and kSelectPeek.
constexpr const char* kMessageColumns =
    "id, message_id, body, md5_of_body, attributes, sent_ms, receive_count, first_receive_ms";

struct Row {
  std::int64_t id = 0;
  ports::Message message;
};

Result<Row> read_row(const Statement& s) {
  Row row;
  row.id = s.column_int(0);
  row.message.message_id = s.column_text(1);
  row.message.body = s.column_text(2);
  row.message.md5_of_body = s.column_text(3);
  if (!s.column_is_null(4)) {
    auto attributes = queue_codec::decode_attributes(s.column_view(4));
    if (!attributes) return Error::internal("corrupt attributes of queue message " + row.message.message_id);
    row.message.attributes = std::move(*attributes);
  }
  row.message.sent_timestamp_ms = s.column_int(5);
  row.message.receive_count = static_cast<int>(s.column_int(6));
  row.message.first_receive_timestamp_ms = s.column_int(7);
  return row;
}

// Steps `s` to the end, collecting rows; leaves it reset.
Result<std::vector<Row>> read_rows(Statement& s) {
  std::vector<Row> rows;
  for (;;) {
    auto more = s.step();
    if (!more.ok()) return std::move(more).error();
    if (!*more) break;
    auto row = read_row(s);
    if (!row.ok()) {
      s.reset();
      return std::move(row).error();
    }
    rows.push_back(std::move(*row));
  }
  s.reset();
  return rows;
}

Error invalid_handle(const std::string& handle) {
  return to_error({"ReceiptHandleIsInvalid",
                   "The input receipt handle \"" + handle + "\" is not a valid receipt handle."});
}

}  // namespace

Result<std::vector<ports::Message>> SqliteQueue::receive(const ports::ReceiveRequest& request) {
  if (auto e = queue_rules::check_receive(request)) return to_error(*e);
  const int visibility =
      request.visibility_timeout_seconds.value_or(config_.visibility_timeout_seconds);
  const auto deadline = std::chrono::steady_clock::now() + request.wait;
  for (;;) {
    // Taken before the look, so that a commit after it ends the wait at once.
    const std::uint64_t seen = db_.commit_count();
    auto earliest = earliest_visible_ms();
    if (!earliest.ok()) return std::move(earliest).error();
    const std::int64_t now = clock_.now_ms();
    if (*earliest && **earliest <= now) {
      // Something is visible (or expired, or due for the DLQ): a write settles it. Empty only
      // when another receiver won the race or nothing deliverable was left; look again then.
      auto got = receive_now(request.max_messages, visibility);
      if (!got.ok() || !got->empty() || request.wait.count() == 0) return got;
      continue;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::vector<ports::Message>{};
    auto timeout = left;
    if (*earliest) {
      // The next delay or visibility timeout to end, in Clock time (waited in real time).
      timeout = std::min(timeout, std::chrono::milliseconds(std::max<std::int64_t>(1, **earliest - now)));
    }
    db_.wait_for_commit(seen, timeout);
  }
}

Result<std::optional<std::int64_t>> SqliteQueue::earliest_visible_ms() {
  std::optional<std::int64_t> earliest;
  Status read = db_.read([&](Connection& c) -> Status {
    auto stmt = c.prepare("SELECT MIN(visible_at_ms) FROM queue_messages WHERE queue_id = ?1");
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& s = **stmt;
    s.bind(1, id_);
    auto row = s.step();
    if (!row.ok()) return std::move(row).error();
    if (*row && !s.column_is_null(0)) earliest = s.column_int(0);
    s.reset();
    return {};
  }, Database::Sync::kDeferred);  // scheduling only: no answer rests on it
  if (!read.ok()) return std::move(read).error();
  return earliest;
}

// Receive, delete and the DLQ moves are deferred writes (Database::Sync::kDeferred): visible at
// once, on disk with the next durable commit. Losing them to a power cut only redelivers
// messages, which at-least-once delivery allows; sends stay durable.
Result<std::vector<ports::Message>> SqliteQueue::receive_now(int max_messages, int visibility) {
  std::vector<ports::Message> out;
  const std::int64_t now = clock_.now_ms();
  const std::int64_t cutoff = now - std::int64_t{config_.message_retention_seconds} * 1000;
  const std::int64_t hidden_until = now + std::int64_t{visibility} * 1000;
  const int max_receives = config_.redrive_policy ? config_.redrive_policy->max_receive_count : 0;
  Status written = db_.write([&](Connection& c) -> Status {
    out.clear();
    auto expire = c.prepare("DELETE FROM queue_messages WHERE queue_id = ?1 AND sent_ms <= ?2");
    if (!expire.ok()) return std::move(expire).error();
    if (Status s = (*expire)->bind(1, id_).bind(2, cutoff).run(); !s.ok()) return s;

    auto select = c.prepare(std::string("SELECT ") + kMessageColumns +
                            " FROM queue_messages WHERE queue_id = ?1 AND visible_at_ms <= ?2 "
                            "ORDER BY visible_at_ms, id LIMIT ?3");
    if (!select.ok()) return std::move(select).error();
    auto to_dlq = c.prepare(
        "UPDATE queue_messages SET queue_id = ?2, visible_at_ms = ?3, receipt = NULL WHERE id = ?1");
    if (!to_dlq.ok()) return std::move(to_dlq).error();
    auto deliver = c.prepare(
        "UPDATE queue_messages SET receive_count = receive_count + 1, first_receive_ms = ?2, "
        "visible_at_ms = ?3, receipt = ?4 WHERE id = ?1");
    if (!deliver.ok()) return std::move(deliver).error();

    // Moves to the DLQ free places in the batch: select again until full or none moved.
    while (static_cast<int>(out.size()) < max_messages) {
      (*select)->bind(1, id_).bind(2, now).bind(3, max_messages - static_cast<int>(out.size()));
      auto rows = read_rows(**select);
      if (!rows.ok()) return std::move(rows).error();
      if (rows->empty()) break;
      bool moved = false;
      for (Row& row : *rows) {
        ports::Message& m = row.message;
        if (dlq_id_ != 0 && m.receive_count >= max_receives) {
          (*to_dlq)->bind(1, row.id).bind(2, dlq_id_).bind(3, now);
          if (Status s = (*to_dlq)->run(); !s.ok()) return s;
          (*to_dlq)->reset();
          moved = true;
          continue;
        }
        m.receive_count += 1;
        if (m.first_receive_timestamp_ms == 0) m.first_receive_timestamp_ms = now;
        (*deliver)->bind(1, row.id).bind(2, m.first_receive_timestamp_ms).bind(3, hidden_until);
        std::string nonce = util::random_hex(16);
        (*deliver)->bind_text(4, nonce);
        if (Status s = (*deliver)->run(); !s.ok()) return s;
        (*deliver)->reset();
        m.receipt_handle = queue_codec::format_receipt({id_, row.id, std::move(nonce)});
        out.push_back(std::move(m));
      }
      if (!moved) break;
    }
    return {};
  }, Database::Sync::kDeferred);
  if (!written.ok()) return std::move(written).error();
  return out;
}

Status SqliteQueue::remove(const std::string& receipt_handle) {
  auto handle = queue_codec::parse_receipt(receipt_handle);
  if (!handle || handle->queue_id != id_) return invalid_handle(receipt_handle);
  return db_.write([&](Connection& c) -> Status {
    auto stmt = c.prepare(
        "DELETE FROM queue_messages WHERE id = ?1 AND queue_id = ?2 AND receipt = ?3");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind(1, handle->row_id).bind(2, id_).bind_text(3, handle->nonce);
    if (Status s = (*stmt)->run(); !s.ok()) return s;
    if (c.changes() == 0) return invalid_handle(receipt_handle);
    return {};
  }, Database::Sync::kDeferred);
}

Result<ports::DeleteBatchResult> SqliteQueue::remove_batch(
    const std::vector<ports::DeleteEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(e.id);
  if (auto e = queue_rules::check_batch_ids(ids)) return to_error(*e);
  ports::DeleteBatchResult result;
  Status written = db_.write([&](Connection& c) -> Status {
    result = {};
    auto stmt = c.prepare(
        "DELETE FROM queue_messages WHERE id = ?1 AND queue_id = ?2 AND receipt = ?3");
    if (!stmt.ok()) return std::move(stmt).error();
    for (const auto& e : entries) {
      auto handle = queue_codec::parse_receipt(e.receipt_handle);
      bool deleted = false;
      if (handle && handle->queue_id == id_) {
        (*stmt)->bind(1, handle->row_id).bind(2, id_).bind_text(3, handle->nonce);
        if (Status s = (*stmt)->run(); !s.ok()) return s;
        deleted = c.changes() > 0;
        (*stmt)->reset();
      }
      if (deleted) {
        result.successful.push_back(e.id);
      } else {
        Error err = invalid_handle(e.receipt_handle);
        result.failed.push_back({e.id, "ReceiptHandleIsInvalid",
                                 err.message.substr(std::string("ReceiptHandleIsInvalid: ").size()),
                                 true});
      }
    }
    return {};
  }, Database::Sync::kDeferred);
  if (!written.ok()) return std::move(written).error();
  return result;
}

Status SqliteQueue::change_visibility(const std::string& receipt_handle, int timeout_seconds) {
  if (auto e = queue_rules::check_visibility(timeout_seconds)) return to_error(*e);
  auto handle = queue_codec::parse_receipt(receipt_handle);
  if (!handle || handle->queue_id != id_) return invalid_handle(receipt_handle);
  const std::int64_t now = clock_.now_ms();
  return db_.write([&](Connection& c) -> Status {
    auto select = c.prepare(
        "SELECT visible_at_ms FROM queue_messages WHERE id = ?1 AND queue_id = ?2 AND receipt = ?3");
    if (!select.ok()) return std::move(select).error();
    (*select)->bind(1, handle->row_id).bind(2, id_).bind_text(3, handle->nonce);
    auto row = (*select)->step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return invalid_handle(receipt_handle);
    const std::int64_t visible_at = (*select)->column_int(0);
    (*select)->reset();
    if (visible_at <= now) {
      return to_error({"MessageNotInflight", "The message referred to isn't in flight."});
    }
    auto update = c.prepare("UPDATE queue_messages SET visible_at_ms = ?2 WHERE id = ?1");
    if (!update.ok()) return std::move(update).error();
    return (*update)->bind(1, handle->row_id).bind(2, now + std::int64_t{timeout_seconds} * 1000).run();
  });
}

Result<std::vector<ports::Message>> SqliteQueue::list_messages(int limit) {
  if (limit < 1) return Error::invalid("InvalidParameterValue: limit must be at least 1");
  std::vector<ports::Message> out;
  const std::int64_t cutoff =
      clock_.now_ms() - std::int64_t{config_.message_retention_seconds} * 1000;
  Status read = db_.read([&](Connection& c) -> Status {
    out.clear();
    auto stmt = c.prepare(std::string("SELECT ") + kMessageColumns +
                          " FROM queue_messages WHERE queue_id = ?1 AND sent_ms > ?2 "
                          "ORDER BY id LIMIT ?3");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind(1, id_).bind(2, cutoff).bind(3, limit);
    auto rows = read_rows(**stmt);
    if (!rows.ok()) return std::move(rows).error();
    for (Row& row : *rows) out.push_back(std::move(row.message));
    return {};
  });
  if (!read.ok()) return std::move(read).error();
  return out;
}

}  // namespace cartflow::embedded
