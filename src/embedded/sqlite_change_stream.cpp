// SPDX-License-Identifier: Apache-2.0
#include "embedded/sqlite_change_stream.h"

#include <cstdio>
#include <string>

#include "embedded/table_codec.h"

namespace cartflow::embedded {

using model::Item;
using ports::StreamEventName;
using ports::StreamViewType;

namespace {

constexpr int kSequenceDigits = 21;

std::string sequence_number(std::int64_t seq) {
  std::string digits = std::to_string(seq);
  return std::string(kSequenceDigits - std::min<std::size_t>(digits.size(), kSequenceDigits), '0') +
         digits;
}

// Empty token: before everything retained (0). Otherwise the sequence number of the last
// record read.
Result<std::int64_t> parse_position(const ports::StreamPosition& p) {
  if (p.token.empty()) return std::int64_t{0};
  if (p.token.size() > kSequenceDigits) return Error::invalid("invalid stream position: " + p.token);
  std::int64_t v = 0;
  for (char ch : p.token) {
    if (ch < '0' || ch > '9') return Error::invalid("invalid stream position: " + p.token);
    v = v * 10 + (ch - '0');
  }
  return v;
}

// Stable per (table, sequence): 32 hex digits like DynamoDB's eventID, no storage needed.
std::string event_id(const std::string& table, std::int64_t seq) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char ch : table) h = (h ^ ch) * 1099511628211ULL;
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h),
                static_cast<unsigned long long>(seq));
  return buf;
}

Result<std::int64_t> trimmed_through(Connection& c, const std::string& table) {
  auto stmt = c.prepare("SELECT trimmed_through FROM stream_trim WHERE tbl = ?1");
  if (!stmt.ok()) return std::move(stmt).error();
  (*stmt)->bind_text(1, table);
  auto row = (*stmt)->step();
  if (!row.ok()) return std::move(row).error();
  std::int64_t v = *row ? (*stmt)->column_int(0) : 0;
  (*stmt)->reset();
  return v;
}

}  // namespace

Status append_stream_record(Connection& c, const std::string& table, StreamViewType view,
                            const Item& keys, const Item* old_item,
                            const Item* new_item, std::int64_t now_ms,
                            const std::string* new_encoded) {
  if (view == StreamViewType::kNone) return {};
  StreamEventName name = !old_item ? StreamEventName::kInsert
                         : !new_item ? StreamEventName::kRemove
                                     : StreamEventName::kModify;
  bool with_new = new_item && (view == StreamViewType::kNewImage ||
                               view == StreamViewType::kNewAndOldImages);
  bool with_old = old_item && (view == StreamViewType::kOldImage ||
                               view == StreamViewType::kNewAndOldImages);
  std::size_t size = model::item_size(keys);
  if (with_new) size += model::item_size(*new_item);
  if (with_old) size += model::item_size(*old_item);
  auto stmt = c.prepare(
      "INSERT INTO stream_records(tbl, event_name, created_ms, view_type, size_bytes, keys, "
      "new_image, old_image) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!stmt.ok()) return std::move(stmt).error();
  Statement& s = **stmt;
  s.bind_text(1, table).bind(2, static_cast<std::int64_t>(name)).bind(3, now_ms);
  s.bind(4, static_cast<std::int64_t>(view)).bind(5, static_cast<std::int64_t>(size));
  s.bind_blob(6, encode_item(keys));
  if (with_new) {
    s.bind_blob(7, new_encoded != nullptr ? *new_encoded : encode_item(*new_item));
  } else {
    s.bind_null(7);
  }
  if (with_old) s.bind_blob(8, encode_item(*old_item)); else s.bind_null(8);
  return s.run();
}

SqliteChangeStream::SqliteChangeStream(Database& db, std::string table_name,
                                       const ports::Clock& clock,
                                       std::chrono::milliseconds retention)
    : db_(db), table_(std::move(table_name)), clock_(clock), retention_(retention) {}

Result<ports::StreamPosition> SqliteChangeStream::latest() {
  std::int64_t newest = 0;
  Status s = db_.read([&](Connection& c) -> Status {
    auto stmt = c.prepare("SELECT max(seq) FROM stream_records WHERE tbl = ?1");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, table_);
    auto row = (*stmt)->step();
    if (!row.ok()) return std::move(row).error();
    if (*row && !(*stmt)->column_is_null(0)) newest = (*stmt)->column_int(0);
    (*stmt)->reset();
    auto trimmed = trimmed_through(c, table_);
    if (!trimmed.ok()) return std::move(trimmed).error();
    newest = std::max(newest, *trimmed);
    return {};
  }, Database::Sync::kDeferred);  // the stream's consumers only act by later commits
  if (!s.ok()) return std::move(s).error();
  return ports::StreamPosition{newest == 0 ? std::string() : sequence_number(newest)};
}

Result<ports::StreamBatch> SqliteChangeStream::read(const ports::StreamPosition& after,
                                                    std::size_t limit,
                                                    std::chrono::milliseconds wait) {
  auto from = parse_position(after);
  if (!from.ok()) return std::move(from).error();
  if (limit == 0) return ports::StreamBatch{{}, after};
  auto deadline = std::chrono::steady_clock::now() + wait;
  ports::StreamBatch batch{{}, after};
  for (;;) {
    // Taken before the query: a commit after it wakes the wait below, so none is missed.
    std::uint64_t seen = db_.commit_count();
    Status s = db_.read([&](Connection& c) -> Status {
      auto trimmed = trimmed_through(c, table_);
      if (!trimmed.ok()) return std::move(trimmed).error();
      if (!after.token.empty() && *from < *trimmed) {
        return Error::not_found("TrimmedDataAccessException: the position " + after.token +
                                " is before records that were trimmed from the stream");
      }
      auto stmt = c.prepare(
          "SELECT seq, event_name, created_ms, view_type, size_bytes, keys, new_image, old_image "
          "FROM stream_records WHERE tbl = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
      if (!stmt.ok()) return std::move(stmt).error();
      Statement& st = **stmt;
      st.bind_text(1, table_).bind(2, *from).bind(3, static_cast<std::int64_t>(limit));
      for (;;) {
        auto row = st.step();
        if (!row.ok()) return std::move(row).error();
        if (!*row) break;
        ports::StreamRecord r;
        std::int64_t seq = st.column_int(0);
        r.event_id = event_id(table_, seq);
        r.event_name = static_cast<StreamEventName>(st.column_int(1));
        r.sequence_number = sequence_number(seq);
        r.approximate_creation_ms = st.column_int(2);
        r.view_type = static_cast<StreamViewType>(st.column_int(3));
        r.size_bytes = static_cast<std::size_t>(st.column_int(4));
        auto keys = decode_item(st.column_view(5));
        if (!keys.ok()) return std::move(keys).error();
        r.keys = std::move(*keys);
        if (!st.column_is_null(6)) {
          auto image = decode_item(st.column_view(6));
          if (!image.ok()) return std::move(image).error();
          r.new_image = std::move(*image);
        }
        if (!st.column_is_null(7)) {
          auto image = decode_item(st.column_view(7));
          if (!image.ok()) return std::move(image).error();
          r.old_image = std::move(*image);
        }
        batch.next.token = r.sequence_number;
        batch.records.push_back(std::move(r));
      }
      st.reset();
      return {};
    }, Database::Sync::kDeferred);  // as in latest()
    if (!s.ok()) return std::move(s).error();
    auto now = std::chrono::steady_clock::now();
    if (!batch.records.empty() || now >= deadline) return batch;
    db_.wait_for_commit(seen,
                        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                            std::chrono::milliseconds(1));
  }
}

Result<std::int64_t> SqliteChangeStream::trim() {
  std::int64_t cutoff = clock_.now_ms() - retention_.count();
  std::int64_t deleted = 0;
  Status s = db_.write([&](Connection& c) -> Status {
    auto max_stmt = c.prepare(
        "SELECT max(seq), count(*) FROM stream_records WHERE tbl = ?1 AND created_ms < ?2");
    if (!max_stmt.ok()) return std::move(max_stmt).error();
    (*max_stmt)->bind_text(1, table_).bind(2, cutoff);
    auto row = (*max_stmt)->step();
    if (!row.ok()) return std::move(row).error();
    std::int64_t max_seq = (*max_stmt)->column_is_null(0) ? 0 : (*max_stmt)->column_int(0);
    (*max_stmt)->reset();
    if (max_seq == 0) return {};
    // Records are trimmed as a prefix: everything up to the newest expired record goes.
    auto del = c.prepare("DELETE FROM stream_records WHERE tbl = ?1 AND seq <= ?2");
    if (!del.ok()) return std::move(del).error();
    (*del)->bind_text(1, table_).bind(2, max_seq);
    if (auto st = (*del)->run(); !st.ok()) return st;
    deleted = c.changes();
    auto mark = c.prepare(
        "INSERT INTO stream_trim(tbl, trimmed_through) VALUES (?1, ?2) ON CONFLICT(tbl) DO "
        "UPDATE SET trimmed_through = max(trimmed_through, excluded.trimmed_through)");
    if (!mark.ok()) return std::move(mark).error();
    (*mark)->bind_text(1, table_).bind(2, max_seq);
    return (*mark)->run();
  });
  if (!s.ok()) return std::move(s).error();
  return deleted;
}

}  // namespace cartflow::embedded
