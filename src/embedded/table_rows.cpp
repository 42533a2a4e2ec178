// SPDX-License-Identifier: Apache-2.0
#include <functional>
#include <string>

#include "embedded/sqlite_change_stream.h"
#include "embedded/table_codec.h"
#include "embedded/table_internal.h"

namespace cartflow::embedded {

using model::AttributeValue;
using model::Item;

namespace {

Status check_key_value(const std::string& name, const AttributeValue& value) {
  if (!is_key_type(value)) {
    return Error::invalid(std::string("One or more parameter values were invalid: Type mismatch "
                                      "for key ") +
                          name + ": key attributes must be S, N or B, got " +
                          model::type_descriptor(value.type()));
  }
  if ((value.as_s() != nullptr && value.as_s()->empty()) ||
      (value.as_b() != nullptr && value.as_b()->data.empty())) {
    return Error::invalid(
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: " +
        name);
  }
  return {};
}

}  // namespace

Result<RowKey> row_key(const ports::KeySchema& schema, const Item& item, bool exact) {
  RowKey key;
  std::size_t expected = schema.range_name ? 2 : 1;
  if (exact && item.size() != expected) {
    return Error::invalid("The provided key element does not match the schema");
  }
  auto hash = item.find(schema.hash_name);
  if (hash == item.end()) {
    return Error::invalid(exact ? std::string("The provided key element does not match the schema")
                                : "One or more parameter values were invalid: Missing the key " +
                                      schema.hash_name + " in the item");
  }
  if (auto s = check_key_value(schema.hash_name, hash->second); !s.ok()) return std::move(s).error();
  key.pk = encode_key(hash->second);
  key.attributes.emplace(hash->first, hash->second);
  if (schema.range_name) {
    auto range = item.find(*schema.range_name);
    if (range == item.end()) {
      return Error::invalid(exact ? std::string("The provided key element does not match the schema")
                                  : "One or more parameter values were invalid: Missing the key " +
                                        *schema.range_name + " in the item");
    }
    if (auto s = check_key_value(*schema.range_name, range->second); !s.ok()) {
      return std::move(s).error();
    }
    key.sk = encode_key(range->second);
    key.attributes.emplace(range->first, range->second);
  }
  return key;
}

std::optional<IndexKey> index_key(const ports::IndexDescription& index, const Item& item) {
  auto hash = item.find(index.keys.hash_name);
  if (hash == item.end() || !is_key_type(hash->second)) return std::nullopt;
  IndexKey key{encode_key(hash->second), {}};
  if (index.keys.range_name) {
    auto range = item.find(*index.keys.range_name);
    if (range == item.end() || !is_key_type(range->second)) return std::nullopt;
    key.sk = encode_key(range->second);
  }
  return key;
}

Status validate_item_for_write(const ports::TableDescription& table, const Item& item) {
  if (auto s = model::validate_item(item); !s.ok()) return s;
  if (model::item_size(item) > model::kMaxItemSize) {
    return Error::invalid("Item size has exceeded the maximum allowed size");
  }
  for (const auto& index : table.indexes) {
    const auto& keys = index.keys;
    for (const auto* name : {&keys.hash_name, keys.range_name ? &*keys.range_name : nullptr}) {
      if (name == nullptr) continue;
      auto it = item.find(*name);
      if (it == item.end()) continue;
      const auto* text = it->second.as_s();
      const auto* bytes = it->second.as_b();
      if ((text != nullptr && text->empty()) || (bytes != nullptr && bytes->data.empty())) {
        return Error::invalid(
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
            "string value. IndexName: " + index.name + ", IndexKey: " + *name);
      }
    }
  }
  return {};
}

Status check_update_keys(const ports::KeySchema& schema, const model::Update& update) {
  auto check = [&](const model::Path& p) -> Status {
    if (p.elements.empty()) return {};
    const auto* name = std::get_if<std::string>(&p.elements.front().part);
    if (name != nullptr && (*name == schema.hash_name || (schema.range_name && *name == *schema.range_name))) {
      return Error::invalid("One or more parameter values were invalid: Cannot update attribute " +
                            *name + ". This attribute is part of the key");
    }
    return {};
  };
  for (const auto& a : update.sets()) if (auto s = check(a.path); !s.ok()) return s;
  for (const auto& a : update.removes()) if (auto s = check(a.path); !s.ok()) return s;
  for (const auto& a : update.adds()) if (auto s = check(a.path); !s.ok()) return s;
  for (const auto& a : update.deletes()) if (auto s = check(a.path); !s.ok()) return s;
  return {};
}

Status visit_item_bytes(Connection& c, const std::string& table, const RowKey& key,
                        bool& found, const std::function<Status(std::string_view)>& use) {
  auto stmt = c.prepare("SELECT item FROM items WHERE tbl = ?1 AND pk = ?2 AND sk = ?3");
  if (!stmt.ok()) return std::move(stmt).error();
  Statement& s = **stmt;
  s.bind_text(1, table).bind_blob(2, key.pk).bind_blob(3, key.sk);
  auto row = s.step();
  if (!row.ok()) return std::move(row).error();
  found = *row;
  Status used = found ? use(s.column_view(0)) : Status{};
  s.reset();
  return used;
}

Result<std::optional<Item>> load_item(Connection& c, const std::string& table, const RowKey& key) {
  std::optional<Item> item;
  bool found = false;
  Status s = visit_item_bytes(c, table, key, found, [&](std::string_view bytes) -> Status {
    auto decoded = decode_item(bytes);
    if (!decoded.ok()) return std::move(decoded).error();
    item = std::move(*decoded);
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return item;
}

bool same_item(const std::optional<Item>& a, const std::optional<Item>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || *a == *b;
}

namespace {

Status update_indexes(Connection& c, const ports::TableDescription& table, const RowKey& key,
                      const Item* old_item, const Item* new_item) {
  for (const auto& index : table.indexes) {
    std::optional<IndexKey> before = old_item ? index_key(index, *old_item) : std::nullopt;
    std::optional<IndexKey> after = new_item ? index_key(index, *new_item) : std::nullopt;
    if (before && after && before->pk == after->pk && before->sk == after->sk) continue;
    if (before) {
      auto del = c.prepare(
          "DELETE FROM gsi_entries WHERE tbl = ?1 AND idx = ?2 AND pk = ?3 AND sk = ?4 "
          "AND base_pk = ?5 AND base_sk = ?6");
      if (!del.ok()) return std::move(del).error();
      (*del)->bind_text(1, table.name).bind_text(2, index.name).bind_blob(3, before->pk);
      (*del)->bind_blob(4, before->sk).bind_blob(5, key.pk).bind_blob(6, key.sk);
      if (auto s = (*del)->run(); !s.ok()) return s;
    }
    if (after) {
      auto ins = c.prepare("INSERT INTO gsi_entries(tbl, idx, pk, sk, base_pk, base_sk) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      if (!ins.ok()) return std::move(ins).error();
      (*ins)->bind_text(1, table.name).bind_text(2, index.name).bind_blob(3, after->pk);
      (*ins)->bind_blob(4, after->sk).bind_blob(5, key.pk).bind_blob(6, key.sk);
      if (auto s = (*ins)->run(); !s.ok()) return s;
    }
  }
  return {};
}

}  // namespace

Status store_change(Connection& c, const ports::TableDescription& table, const RowKey& key,
                    const Item* old_item, const Item* new_item, std::int64_t now_ms) {
  std::string encoded;  // the new item's bytes, for its row and its stream record's NewImage
  if (new_item) {
    auto stmt = c.prepare("INSERT OR REPLACE INTO items(tbl, pk, sk, item) VALUES (?1, ?2, ?3, ?4)");
    if (!stmt.ok()) return std::move(stmt).error();
    encoded = encode_item(*new_item);
    (*stmt)->bind_text(1, table.name).bind_blob(2, key.pk).bind_blob(3, key.sk).bind_blob(4, encoded);
    if (auto s = (*stmt)->run(); !s.ok()) return s;
  } else if (old_item) {
    auto stmt = c.prepare("DELETE FROM items WHERE tbl = ?1 AND pk = ?2 AND sk = ?3");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, table.name).bind_blob(2, key.pk).bind_blob(3, key.sk);
    if (auto s = (*stmt)->run(); !s.ok()) return s;
  }
  if (auto s = update_indexes(c, table, key, old_item, new_item); !s.ok()) return s;
  return append_stream_record(c, table.name, table.stream_view, key.attributes, old_item, new_item,
                              now_ms, new_item ? &encoded : nullptr);
}

}  // namespace cartflow::embedded
