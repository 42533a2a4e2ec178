// SPDX-License-Identifier: Apache-2.0
// SqliteTable::query: key conditions become ranges over the encoded sort key, so SQLite walks
// the primary key (or the GSI entries) in DynamoDB order and stops at the page limits.
#include <limits>
#include <set>
#include <type_traits>
#include <variant>
#include <string>

#include "embedded/sqlite_table.h"
#include "embedded/table_codec.h"
#include "embedded/table_internal.h"

namespace cartflow::embedded {

using model::AttributeValue;
using model::Item;
using model::KeyCondition;

namespace {

// sk range: lower/upper bound with inclusiveness. Every encoded key starts with 'B', 'N' or
// 'S' (or is empty for tables without a sort key), so "\xff" bounds them all from above.
struct Range {
  std::string low;
  bool low_inclusive = true;
  std::string high = std::string(1, '\xff');
  bool high_inclusive = false;
};

Result<Range> range_of(const KeyCondition::Range& r) {
  using Op = KeyCondition::RangeOp;
  if (!is_key_type(r.value)) {
    return Error::invalid("One or more parameter values were invalid: Condition parameter type "
                          "does not match schema type");
  }
  std::string v = encode_key(r.value);
  std::string type_low(1, v[0]);
  std::string type_high = key_successor(type_low);
  Range out;
  switch (r.op) {
    case Op::kEq: out = {v, true, v, true}; break;
    case Op::kLt: out = {type_low, true, v, false}; break;
    case Op::kLe: out = {type_low, true, v, true}; break;
    case Op::kGt: out = {v, false, type_high, false}; break;
    case Op::kGe: out = {v, true, type_high, false}; break;
    case Op::kBetween: {
      if (!r.high || !is_key_type(*r.high) || r.high->type() != r.value.type()) {
        return Error::invalid("One or more parameter values were invalid: Condition parameter type "
                              "does not match schema type");
      }
      std::string h = encode_key(*r.high);
      if (h < v) {
        return Error::invalid("Invalid KeyConditionExpression: The BETWEEN operator requires upper "
                              "bound to be greater than or equal to lower bound");
      }
      out = {v, true, h, true};
      break;
    }
    case Op::kBeginsWith:
      if (r.value.is_n()) {
        return Error::invalid("Invalid KeyConditionExpression: Incorrect operand type for "
                              "operator or function; operator or function: begins_with, operand "
                              "type: N");
      }
      out = {v, true, key_successor(v), false};
      break;
  }
  return out;
}

void add_name(const model::Path& p, std::set<std::string>& out) {
  if (!p.elements.empty()) {
    if (const auto* name = std::get_if<std::string>(&p.elements.front().part)) out.insert(*name);
  }
}

void add_name(const model::Operand& o, std::set<std::string>& out) {
  if (const auto* p = std::get_if<model::Path>(&o.term)) add_name(*p, out);
  if (const auto* size = std::get_if<model::SizeOf>(&o.term)) add_name(size->path, out);
}

// The top-level attribute names a condition refers to.
void referenced_names(const model::Condition& c, std::set<std::string>& out) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, model::Comparison>) {
          add_name(n.lhs, out);
          add_name(n.rhs, out);
        } else if constexpr (std::is_same_v<T, model::Between>) {
          for (const auto* o : {&n.value, &n.low, &n.high}) add_name(*o, out);
        } else if constexpr (std::is_same_v<T, model::In>) {
          add_name(n.value, out);
          for (const auto& o : n.candidates) add_name(o, out);
        } else if constexpr (std::is_same_v<T, model::BeginsWith>) {
          add_name(n.path, out);
          add_name(n.prefix, out);
        } else if constexpr (std::is_same_v<T, model::Contains>) {
          add_name(n.path, out);
          add_name(n.operand, out);
        } else if constexpr (std::is_same_v<T, model::And> || std::is_same_v<T, model::Or>) {
          if (n.lhs) referenced_names(*n.lhs, out);
          if (n.rhs) referenced_names(*n.rhs, out);
        } else if constexpr (std::is_same_v<T, model::Not>) {
          if (n.operand) referenced_names(*n.operand, out);
        } else {
          add_name(n.path, out);  // attribute_exists, attribute_not_exists, attribute_type
        }
      },
      c.node);
}

// DynamoDB: "Filter Expression can only contain non-primary key attributes" (the keys of the
// table or index queried).
Status check_filter_names(const model::Cond& filter, const ports::KeySchema& schema) {
  std::set<std::string> names;
  referenced_names(filter.node(), names);
  for (const auto* key : {&schema.hash_name, schema.range_name ? &*schema.range_name : nullptr}) {
    if (key != nullptr && names.count(*key) != 0) {
      return Error::invalid("Filter Expression can only contain non-primary key attributes: "
                            "Primary key attribute: " + *key);
    }
  }
  return {};
}


void copy_attribute(const Item& from, const std::string& name, Item& to) {
  auto it = from.find(name);
  if (it != from.end()) to.emplace(it->first, it->second);
}

}  // namespace

Result<ports::QueryResult> SqliteTable::query(const ports::QueryRequest& request) {
  const ports::IndexDescription* index = nullptr;
  if (request.index_name) {
    for (const auto& i : description_.indexes) {
      if (i.name == *request.index_name) index = &i;
    }
    if (index == nullptr) {
      return Error::invalid("The table does not have the specified index: " + *request.index_name);
    }
    if (request.consistent_read) {
      return Error::invalid("Consistent reads are not supported on global secondary indexes");
    }
  }
  const ports::KeySchema& schema = index ? index->keys : description_.keys;
  const KeyCondition& kc = request.key_condition;
  if (kc.hash_name != schema.hash_name) {
    return Error::invalid("Query condition missed key schema element: " + schema.hash_name);
  }
  if (!is_key_type(kc.hash_value)) {
    return Error::invalid("One or more parameter values were invalid: Condition parameter type "
                          "does not match schema type");
  }
  Range range;
  if (kc.range) {
    if (!schema.range_name || kc.range->name != *schema.range_name) {
      return Error::invalid("Query key condition not supported");
    }
    auto r = range_of(*kc.range);
    if (!r.ok()) return std::move(r).error();
    range = std::move(*r);
  }
  // Checked before reading anything: DynamoDB rejects them even when no item is read.
  if (request.filter) {
    Status s = model::validate_condition(*request.filter);
    if (s.ok()) s = check_filter_names(*request.filter, schema);
    if (!s.ok()) return std::move(s).error();
  }
  if (request.projection) {
    if (auto s = model::validate_projection(*request.projection); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (request.limit && *request.limit == 0) {
    return Error::invalid("1 validation error detected: Value '0' at 'limit' failed to satisfy "
                          "constraint: Member must have value greater than or equal to 1");
  }
  std::size_t limit = request.limit.value_or(std::numeric_limits<std::size_t>::max());

  // Exclusive start: the (index sk, base pk, base sk) tuple of the last item of the previous page.
  std::optional<RowKey> start_base;
  std::string start_sk;
  if (request.exclusive_start_key) {
    const Item& esk = *request.exclusive_start_key;
    auto base = row_key(description_.keys, esk, false);
    if (!base.ok()) return Error::invalid("The provided starting key is invalid: " + base.error().message);
    if (index) {
      auto ik = index_key(*index, esk);
      if (!ik) return Error::invalid("The provided starting key is invalid");
      start_sk = ik->sk;
    } else {
      start_sk = base->sk;
    }
    start_base = std::move(*base);
  }

  const bool fwd = request.scan_forward;
  std::string sql;
  if (index == nullptr) {
    sql = "SELECT item FROM items WHERE tbl = ?1 AND pk = ?2";
    sql += range.low_inclusive ? " AND sk >= ?3" : " AND sk > ?3";
    sql += range.high_inclusive ? " AND sk <= ?4" : " AND sk < ?4";
    if (start_base) sql += fwd ? " AND sk > ?5" : " AND sk < ?5";
    sql += fwd ? " ORDER BY sk" : " ORDER BY sk DESC";
  } else {
    sql = "SELECT i.item FROM gsi_entries g JOIN items i ON i.tbl = g.tbl AND i.pk = g.base_pk "
          "AND i.sk = g.base_sk WHERE g.tbl = ?1 AND g.idx = ?6 AND g.pk = ?2";
    sql += range.low_inclusive ? " AND g.sk >= ?3" : " AND g.sk > ?3";
    sql += range.high_inclusive ? " AND g.sk <= ?4" : " AND g.sk < ?4";
    if (start_base) {
      sql += fwd ? " AND (g.sk, g.base_pk, g.base_sk) > (?5, ?7, ?8)"
                 : " AND (g.sk, g.base_pk, g.base_sk) < (?5, ?7, ?8)";
    }
    sql += fwd ? " ORDER BY g.sk, g.base_pk, g.base_sk"
               : " ORDER BY g.sk DESC, g.base_pk DESC, g.base_sk DESC";
  }

  ports::QueryResult result;
  std::optional<Item> lek;  // the page's LastEvaluatedKey, when it is full
  Status s = db_.read([&](Connection& c) -> Status {
    auto stmt = c.prepare(sql);
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& st = **stmt;
    st.bind_text(1, description_.name).bind_blob(2, encode_key(kc.hash_value));
    st.bind_blob(3, range.low).bind_blob(4, range.high);
    if (start_base) st.bind_blob(5, start_sk);
    if (index) {
      st.bind_text(6, index->name);
      if (start_base) st.bind_blob(7, start_base->pk).bind_blob(8, start_base->sk);
    }
    std::size_t bytes = 0;
    for (;;) {
      auto row = st.step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) break;
      auto item = decode_item(st.column_view(0));
      if (!item.ok()) return std::move(item).error();
      ++result.scanned_count;
      bytes += model::item_size(*item);
      bool keep = true;
      if (request.filter) {
        auto passes = model::evaluate(*request.filter, *item);
        if (!passes.ok()) return std::move(passes).error();
        keep = *passes;
      }
      // Like DynamoDB, a page that reaches its limit has a LastEvaluatedKey even when no item
      // follows (the next page is then empty): it does not look ahead.
      const bool full = result.scanned_count >= limit || bytes >= kMaxPageBytes;
      if (full) {
        // Taken before the item moves into the page (its keys, not the projection's).
        lek.emplace();
        copy_attribute(*item, description_.keys.hash_name, *lek);
        if (description_.keys.range_name) copy_attribute(*item, *description_.keys.range_name, *lek);
        if (index) {
          copy_attribute(*item, index->keys.hash_name, *lek);
          if (index->keys.range_name) copy_attribute(*item, *index->keys.range_name, *lek);
        }
      }
      if (keep) {
        result.items.push_back(request.projection ? model::project(*request.projection, *item)
                                                  : std::move(*item));
      }
      if (full) break;
    }
    st.reset();
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  if (lek) result.last_evaluated_key = std::move(*lek);
  return result;
}

}  // namespace cartflow::embedded
