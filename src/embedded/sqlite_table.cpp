// SPDX-License-Identifier: Apache-2.0
#include "embedded/sqlite_table.h"

#include <set>
#include <utility>

#include "embedded/read_cache.h"
#include "embedded/table_codec.h"
#include "embedded/table_internal.h"

namespace cartflow::embedded {

using model::Item;
using ports::ReturnValues;

SqliteTable::SqliteTable(Database& db, ports::TableDescription description,
                         const ports::Clock& clock, SqliteTableOptions options)
    : db_(db), description_(std::move(description)), clock_(clock) {
  // Only the writing process sees every commit; a reader beside it would keep stale answers.
  if (options.cached_partitions.empty() || !db_.writable()) return;
  std::vector<std::string> partitions;
  for (const std::string& value : options.cached_partitions) {
    partitions.push_back(encode_key(model::AttributeValue(value)));
  }
  cache_ = std::make_shared<ReadCache>(std::move(partitions));
  db_.add_commit_listener([cache = cache_] { cache->after_commit(); });
}

SqliteTable::SqliteTable(Database& db, ports::TableDescription description)
    : db_(db), description_(std::move(description)), clock_(system_clock_) {}

namespace {

const Item& or_empty(const std::optional<Item>& item) {
  static const Item kEmpty;
  return item ? *item : kEmpty;
}

// Evaluates an optional condition against the current item: kConditionFailed when false.
Status check_condition(const std::optional<model::Cond>& condition, const std::optional<Item>& old) {
  if (!condition) return {};
  auto ok = model::evaluate(*condition, or_empty(old));
  if (!ok.ok()) return std::move(ok).error();
  if (!*ok) return Error::condition_failed(kConditionFailedMessage);
  return {};
}

Status only_none_or_all_old(ReturnValues rv) {
  if (rv == ReturnValues::kNone || rv == ReturnValues::kAllOld) return {};
  return Error::invalid("ReturnValues can only be ALL_OLD or NONE");
}

// Projects `item` on the paths an update touched (UPDATED_OLD / UPDATED_NEW); nullopt when
// none of them is present, as DynamoDB then returns no Attributes.
std::optional<Item> updated_attributes(const model::Update& update, const std::optional<Item>& item) {
  if (!item) return std::nullopt;
  model::Projection projection;
  for (const auto& a : update.sets()) projection.paths.push_back(a.path);
  for (const auto& a : update.removes()) projection.paths.push_back(a.path);
  for (const auto& a : update.adds()) projection.paths.push_back(a.path);
  for (const auto& a : update.deletes()) projection.paths.push_back(a.path);
  Item projected = model::project(projection, *item);
  if (projected.empty()) return std::nullopt;
  return projected;
}

}  // namespace

Result<std::optional<Item>> SqliteTable::get(const ports::GetRequest& request) {
  auto key = row_key(description_.keys, request.key, true);
  if (!key.ok()) return std::move(key).error();
  if (request.projection) {
    if (auto s = model::validate_projection(*request.projection); !s.ok()) {
      return std::move(s).error();
    }
  }
  std::optional<Item> found;
  Status s = db_.read([&](Connection& c) -> Status {
    auto item = load_item(c, description_.name, *key);
    if (!item.ok()) return std::move(item).error();
    found = std::move(*item);
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  if (found && request.projection) found = model::project(*request.projection, *found);
  return found;
}

Result<bool> SqliteTable::get_plain(const ports::GetRequest& request, ports::AttributeNames drop,
                                    std::string& out) {
  if (request.projection) return ports::Table::get_plain(request, drop, out);
  auto key = row_key(description_.keys, request.key, true);
  if (!key.ok()) return std::move(key).error();
  if (cache_ && cache_->covers(key->pk)) return get_plain_cached(*key, drop, out);
  bool found = false;
  Status s = db_.read([&](Connection& c) -> Status {
    return visit_item_bytes(c, description_.name, *key, found, [&](std::string_view bytes) {
      auto size = append_plain_json(bytes, drop, out);
      return size.ok() ? Status{} : Status(std::move(size).error());
    });
  });
  if (!s.ok()) return std::move(s).error();
  return found;
}

Result<bool> SqliteTable::get_plain_cached(const RowKey& key, ports::AttributeNames drop,
                                           std::string& out) {
  // The answer depends on the key and on the attributes left out.
  std::string cache_key = "get";
  cache_key += '\0';
  cache_key += key.pk;
  cache_key += '\0';
  cache_key += key.sk;
  for (std::string_view name : drop) {
    cache_key += '\0';
    cache_key += name;
  }
  if (auto hit = cache_->lookup(cache_key)) {
    if (Status covered = db_.cover(hit->position); !covered.ok()) return std::move(covered).error();
    out += hit->json;
    return hit->found;
  }
  const std::uint64_t version = cache_->version();  // before the read's snapshot
  ReadCache::Answer answer;
  Status s = db_.read([&](Connection& c) -> Status {
    return visit_item_bytes(c, description_.name, key, answer.found, [&](std::string_view bytes) {
      auto size = append_plain_json(bytes, drop, answer.json);
      return size.ok() ? Status{} : Status(std::move(size).error());
    });
  });
  if (!s.ok()) return std::move(s).error();
  answer.position = db_.visible_position();
  out += answer.json;
  const bool found = answer.found;
  cache_->store(cache_key, version, std::move(answer));
  return found;
}

Result<ports::WriteResult> SqliteTable::put(const ports::PutRequest& request) {
  if (auto s = only_none_or_all_old(request.return_values); !s.ok()) return std::move(s).error();
  auto key = row_key(description_.keys, request.item, false);
  if (!key.ok()) return std::move(key).error();
  if (auto s = validate_item_for_write(description_, request.item); !s.ok()) {
    return std::move(s).error();
  }
  ports::WriteResult result;
  std::int64_t now = clock_.now_ms();
  Status s = db_.write([&](Connection& c) -> Status {
    auto old = load_item(c, description_.name, *key);
    if (!old.ok()) return std::move(old).error();
    if (auto st = check_condition(request.condition, *old); !st.ok()) return st;
    if (request.return_values == ReturnValues::kAllOld) result.attributes = *old;
    if (*old && **old == request.item) return {};  // unchanged: no stream record
    if (cache_) cache_->note_change(key->pk);
    return store_change(c, description_, *key, *old ? &**old : nullptr, &request.item, now);
  });
  if (!s.ok()) return std::move(s).error();
  return result;
}

Result<ports::WriteResult> SqliteTable::update(const ports::UpdateRequest& request) {
  auto key = row_key(description_.keys, request.key, true);
  if (!key.ok()) return std::move(key).error();
  // Static errors of the update come before the condition, as in DynamoDB; an update of a key
  // attribute is reported only when the condition holds (DynamoDB checks it with the item).
  if (auto s = model::validate_update(request.update); !s.ok()) return std::move(s).error();
  ports::WriteResult result;
  std::int64_t now = clock_.now_ms();
  Status s = db_.write([&](Connection& c) -> Status {
    auto old = load_item(c, description_.name, *key);
    if (!old.ok()) return std::move(old).error();
    if (auto st = check_condition(request.condition, *old); !st.ok()) return st;
    if (auto st = check_update_keys(description_.keys, request.update); !st.ok()) return st;
    Item next = *old ? **old : key->attributes;
    if (auto st = model::apply(request.update, next); !st.ok()) return st;
    if (auto st = validate_item_for_write(description_, next); !st.ok()) return st;
    switch (request.return_values) {
      case ReturnValues::kNone: break;
      case ReturnValues::kAllOld: result.attributes = *old; break;
      case ReturnValues::kAllNew: result.attributes = next; break;
      case ReturnValues::kUpdatedOld: result.attributes = updated_attributes(request.update, *old); break;
      case ReturnValues::kUpdatedNew: result.attributes = updated_attributes(request.update, next); break;
    }
    std::optional<Item> next_item(std::move(next));
    if (same_item(*old, next_item)) return {};
    if (cache_) cache_->note_change(key->pk);
    return store_change(c, description_, *key, *old, next_item, now);
  });
  if (!s.ok()) return std::move(s).error();
  return result;
}

Result<ports::WriteResult> SqliteTable::remove(const ports::DeleteRequest& request) {
  if (auto s = only_none_or_all_old(request.return_values); !s.ok()) return std::move(s).error();
  auto key = row_key(description_.keys, request.key, true);
  if (!key.ok()) return std::move(key).error();
  ports::WriteResult result;
  std::int64_t now = clock_.now_ms();
  Status s = db_.write([&](Connection& c) -> Status {
    auto old = load_item(c, description_.name, *key);
    if (!old.ok()) return std::move(old).error();
    if (auto st = check_condition(request.condition, *old); !st.ok()) return st;
    if (!*old) return {};
    if (request.return_values == ReturnValues::kAllOld) result.attributes = *old;
    if (cache_) cache_->note_change(key->pk);
    return store_change(c, description_, *key, *old, std::nullopt, now);
  });
  if (!s.ok()) return std::move(s).error();
  return result;
}

Result<ports::BatchGetResult> SqliteTable::batch_get(const std::vector<Item>& keys) {
  if (keys.empty() || keys.size() > kMaxBatchGet) {
    return Error::invalid("Too many items requested for the BatchGetItem call (1 to 100 keys)");
  }
  std::vector<RowKey> rows;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& k : keys) {
    auto key = row_key(description_.keys, k, true);
    if (!key.ok()) return std::move(key).error();
    if (!seen.emplace(key->pk, key->sk).second) {
      return Error::invalid("Provided list of item keys contains duplicates");
    }
    rows.push_back(std::move(*key));
  }
  ports::BatchGetResult result;
  Status s = db_.read([&](Connection& c) -> Status {
    for (const auto& key : rows) {
      auto item = load_item(c, description_.name, key);
      if (!item.ok()) return std::move(item).error();
      if (*item) result.items.push_back(std::move(**item));
    }
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return result;
}

Result<ports::BatchWriteResult> SqliteTable::batch_write(
    const std::vector<ports::WriteRequest>& requests) {
  if (requests.empty() || requests.size() > kMaxBatchWrite) {
    return Error::invalid("Too many items in the BatchWriteItem call (1 to 25 requests)");
  }
  struct Op {
    RowKey key;
    const Item* item;  // nullptr: delete
  };
  std::vector<Op> ops;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& r : requests) {
    Result<RowKey> key = Error::internal("unset");
    const Item* item = nullptr;
    if (const auto* put = std::get_if<ports::PutRequest>(&r.request)) {
      if (put->condition) return Error::invalid("Conditions are not allowed in BatchWriteItem");
      key = row_key(description_.keys, put->item, false);
      if (key.ok()) {
        if (auto s = validate_item_for_write(description_, put->item); !s.ok()) {
          return std::move(s).error();
        }
      }
      item = &put->item;
    } else {
      const auto& del = std::get<ports::DeleteRequest>(r.request);
      if (del.condition) return Error::invalid("Conditions are not allowed in BatchWriteItem");
      key = row_key(description_.keys, del.key, true);
    }
    if (!key.ok()) return std::move(key).error();
    if (!seen.emplace(key->pk, key->sk).second) {
      return Error::invalid("Provided list of item keys contains duplicates");
    }
    ops.push_back({std::move(*key), item});
  }
  std::int64_t now = clock_.now_ms();
  Status s = db_.write([&](Connection& c) -> Status {
    for (const auto& op : ops) {
      auto old = load_item(c, description_.name, op.key);
      if (!old.ok()) return std::move(old).error();
      std::optional<Item> next;
      if (op.item != nullptr) next = *op.item;
      if (same_item(*old, next)) continue;
      if (cache_) cache_->note_change(op.key.pk);
      if (auto st = store_change(c, description_, op.key, *old, next, now); !st.ok()) return st;
    }
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return ports::BatchWriteResult{};
}

}  // namespace cartflow::embedded
