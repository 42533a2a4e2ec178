// SPDX-License-Identifier: Apache-2.0
// SqliteTable::query: key conditions become ranges over the encoded sort key, so SQLite walks
// the primary key (or the GSI entries) in DynamoDB order and stops at the page limits.
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <variant>
#include <string>
#include <utility>

#include "embedded/read_cache.h"
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

// The GSI the query names, or null when it queries the table. Fails with kInvalidArgument when
// the table has no such index or a consistent read of an index is asked for.
Result<const ports::IndexDescription*> queried_index(const ports::TableDescription& table,
                                                     const ports::QueryRequest& request) {
  const ports::IndexDescription* index = nullptr;
  if (request.index_name) {
    for (const auto& i : table.indexes) {
      if (i.name == *request.index_name) index = &i;
    }
    if (index == nullptr) {
      return Error::invalid("The table does not have the specified index: " + *request.index_name);
    }
    if (request.consistent_read) {
      return Error::invalid("Consistent reads are not supported on global secondary indexes");
    }
  }
  return index;
}

// Checks the key condition against the schema of what is queried and returns its sort-key range
// (everything when it has no range part). Fails with kInvalidArgument.
Result<Range> key_condition_range(const KeyCondition& kc, const ports::KeySchema& schema) {
  if (kc.hash_name != schema.hash_name) {
    return Error::invalid("Query condition missed key schema element: " + schema.hash_name);
  }
  if (!is_key_type(kc.hash_value)) {
    return Error::invalid("One or more parameter values were invalid: Condition parameter type "
                          "does not match schema type");
  }
  if (!kc.range) return Range{};
  if (!schema.range_name || kc.range->name != *schema.range_name) {
    return Error::invalid("Query key condition not supported");
  }
  return range_of(*kc.range);
}

// Checks the filter, projection and limit; done before reading anything, as DynamoDB rejects
// them even when no item is read. Fails with kInvalidArgument.
Status validate_query_options(const ports::QueryRequest& request, const ports::KeySchema& schema) {
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
  return {};
}

// Exclusive start: the (index sk, base pk, base sk) tuple of the last item of the previous page.
struct StartAfter {
  RowKey base;
  std::string sk;  // the index's sk on an index, else base.sk
};

// Decodes ExclusiveStartKey (nullopt when there is none). Fails with kInvalidArgument when it
// is not a key of the table and, on an index, of the index.
Result<std::optional<StartAfter>> start_after(const ports::TableDescription& table,
                                              const ports::IndexDescription* index,
                                              const std::optional<Item>& exclusive_start_key) {
  if (!exclusive_start_key) return std::optional<StartAfter>();
  const Item& esk = *exclusive_start_key;
  auto base = row_key(table.keys, esk, false);
  if (!base.ok()) {
    return Error::invalid("The provided starting key is invalid: " + base.error().message);
  }
  std::optional<StartAfter> start(std::in_place);
  if (index) {
    auto ik = index_key(*index, esk);
    if (!ik) return Error::invalid("The provided starting key is invalid");
    start->sk = ik->sk;
  } else {
    start->sk = base->sk;
  }
  start->base = std::move(*base);
  return start;
}

// The SELECT of one page, in the query's order. Parameters (bind_query): ?1 table, ?2 pk,
// ?3 / ?4 the sk range, ?5 the start's sk; on an index ?6 its name, ?7 / ?8 the start's base
// pk and sk.
std::string query_sql(bool on_index, const Range& range, bool has_start, bool forward) {
  std::string sql;
  if (!on_index) {
    sql = "SELECT item FROM items WHERE tbl = ?1 AND pk = ?2";
    sql += range.low_inclusive ? " AND sk >= ?3" : " AND sk > ?3";
    sql += range.high_inclusive ? " AND sk <= ?4" : " AND sk < ?4";
    if (has_start) sql += forward ? " AND sk > ?5" : " AND sk < ?5";
    sql += forward ? " ORDER BY sk" : " ORDER BY sk DESC";
  } else {
    sql = "SELECT i.item FROM gsi_entries g JOIN items i ON i.tbl = g.tbl AND i.pk = g.base_pk "
          "AND i.sk = g.base_sk WHERE g.tbl = ?1 AND g.idx = ?6 AND g.pk = ?2";
    sql += range.low_inclusive ? " AND g.sk >= ?3" : " AND g.sk > ?3";
    sql += range.high_inclusive ? " AND g.sk <= ?4" : " AND g.sk < ?4";
    if (has_start) {
      sql += forward ? " AND (g.sk, g.base_pk, g.base_sk) > (?5, ?7, ?8)"
                     : " AND (g.sk, g.base_pk, g.base_sk) < (?5, ?7, ?8)";
    }
    sql += forward ? " ORDER BY g.sk, g.base_pk, g.base_sk"
                   : " ORDER BY g.sk DESC, g.base_pk DESC, g.base_sk DESC";
  }
  return sql;
}

// Binds the parameters of query_sql.
void bind_query(Statement& st, const std::string& table, const AttributeValue& hash_value,
                const Range& range, const std::optional<StartAfter>& start,
                const ports::IndexDescription* index) {
  st.bind_text(1, table).bind_blob(2, encode_key(hash_value));
  st.bind_blob(3, range.low).bind_blob(4, range.high);
  if (start) st.bind_blob(5, start->sk);
  if (index) {
    st.bind_text(6, index->name);
    if (start) st.bind_blob(7, start->base.pk).bind_blob(8, start->base.sk);
  }
}

// The LastEvaluatedKey of a page that ends at `item`: its table key and, on an index, its index
// key attributes.
Item last_evaluated_key(const Item& item, const ports::KeySchema& table_keys,
                        const ports::IndexDescription* index) {
  Item key;
  copy_attribute(item, table_keys.hash_name, key);
  if (table_keys.range_name) copy_attribute(item, *table_keys.range_name, key);
  if (index) {
    copy_attribute(item, index->keys.hash_name, key);
    if (index->keys.range_name) copy_attribute(item, *index->keys.range_name, key);
  }
  return key;
}

// Steps `st` (bound by bind_query) through one page: calls `take(stored)` for each row in
// order (it returns the item's model::item_size, or an error that stops the page) and counts it
// in `scanned`; stops when the rows end or the page is full (the limit scanned or kMaxPageBytes
// read). Like DynamoDB, a page that reaches its limit has a LastEvaluatedKey even when no item
// follows (the next page is then empty): it does not look ahead; it is the table key (and, on
// an index, the index key) of the row that filled the page.
template <typename Take>
Status read_page_rows(Statement& st, const ports::QueryRequest& request,
                      const ports::KeySchema& table_keys, const ports::IndexDescription* index,
                      std::size_t& scanned, std::optional<Item>& last_key, Take take) {
  const std::size_t limit = request.limit.value_or(std::numeric_limits<std::size_t>::max());
  std::size_t bytes = 0;
  for (;;) {
    auto row = st.step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) break;
    const std::string_view stored = st.column_view(0);
    Result<std::size_t> size = take(stored);
    if (!size.ok()) return std::move(size).error();
    ++scanned;
    bytes += *size;
    if (scanned >= limit || bytes >= SqliteTable::kMaxPageBytes) {
      auto item = decode_item(stored);
      if (!item.ok()) return std::move(item).error();
      last_key = last_evaluated_key(*item, table_keys, index);
      break;
    }
  }
  return {};
}

// Reads one page into `page`: every row decoded, kept (projected) when it passes the filter.
// Fails with the error of a step, a decode or the filter's evaluation.
Status read_page(Statement& st, const ports::QueryRequest& request,
                 const ports::KeySchema& table_keys, const ports::IndexDescription* index,
                 ports::QueryResult& page) {
  return read_page_rows(
      st, request, table_keys, index, page.scanned_count, page.last_evaluated_key,
      [&](std::string_view stored) -> Result<std::size_t> {
        auto item = decode_item(stored);
        if (!item.ok()) return std::move(item).error();
        const std::size_t size = model::item_size(*item);
        if (request.filter) {
          auto passes = model::evaluate(*request.filter, *item);
          if (!passes.ok()) return std::move(passes).error();
          if (!*passes) return size;
        }
        page.items.push_back(request.projection ? model::project(*request.projection, *item)
                                                : std::move(*item));
        return size;
      });
}

// Reads one page into `out` as query_plain does: every row is an item (no filter, no
// projection), written straight from its stored bytes.
Status read_plain_page(Statement& st, const ports::QueryRequest& request,
                       const ports::KeySchema& table_keys, const ports::IndexDescription* index,
                       ports::AttributeNames drop, std::string& out,
                       ports::PlainQueryResult& page) {
  Status s = read_page_rows(st, request, table_keys, index, page.scanned_count,
                            page.last_evaluated_key, [&](std::string_view stored) {
                              if (!out.empty() && out.back() != '[') out.push_back(',');
                              return append_plain_json(stored, drop, out);
                            });
  page.count = page.scanned_count;
  return s;
}

// A query checked and planned before anything is read: the index, the sk range, where the
// page starts and its SELECT.
struct QueryPlan {
  const ports::IndexDescription* index = nullptr;
  Range range;
  std::optional<StartAfter> start;
  std::string sql;
};

Result<QueryPlan> plan_query(const ports::TableDescription& table,
                             const ports::QueryRequest& request) {
  QueryPlan plan;
  auto index = queried_index(table, request);
  if (!index.ok()) return std::move(index).error();
  plan.index = *index;
  const ports::KeySchema& schema = plan.index ? plan.index->keys : table.keys;
  auto range = key_condition_range(request.key_condition, schema);
  if (!range.ok()) return std::move(range).error();
  plan.range = std::move(*range);
  if (Status s = validate_query_options(request, schema); !s.ok()) return std::move(s).error();
  auto start = start_after(table, plan.index, request.exclusive_start_key);
  if (!start.ok()) return std::move(start).error();
  plan.start = std::move(*start);
  plan.sql = query_sql(plan.index != nullptr, plan.range, plan.start.has_value(),
                       request.scan_forward);
  return plan;
}

// Runs the plan's SELECT on a read connection and hands the stepping statement to `read`.
Status run_query(Database& db, const std::string& table, const ports::QueryRequest& request,
                 const QueryPlan& plan, const std::function<Status(Statement&)>& read) {
  return db.read([&](Connection& c) -> Status {
    auto stmt = c.prepare(plan.sql);
    if (!stmt.ok()) return std::move(stmt).error();
    Statement& st = **stmt;
    bind_query(st, table, request.key_condition.hash_value, plan.range, plan.start, plan.index);
    if (Status read_status = read(st); !read_status.ok()) return read_status;
    st.reset();
    return {};
  });
}

// What a plain page's answer depends on: the partition, the sort key range, where the page
// starts, the direction, the limit and the attributes left out.
std::string page_cache_key(const ports::QueryRequest& request, const QueryPlan& plan,
                           ports::AttributeNames drop) {
  std::string key = "query";
  auto part = [&key](std::string_view text) {
    key += '\0';
    key += text;
  };
  part(encode_key(request.key_condition.hash_value));
  part(plan.range.low);
  part(plan.range.low_inclusive ? "[" : "(");
  part(plan.range.high);
  part(plan.range.high_inclusive ? "]" : ")");
  part(plan.start ? plan.start->base.pk : "-");
  part(plan.start ? plan.start->base.sk : "-");
  part(plan.start ? plan.start->sk : "-");
  part(request.scan_forward ? "forward" : "backward");
  part(request.limit ? std::to_string(*request.limit) : "-");
  for (std::string_view name : drop) part(name);
  return key;
}

// Appends a page's items (`items`: comma-separated, no brackets) as read_plain_page would have.
void append_page(std::string& out, std::string_view items) {
  if (items.empty()) return;
  if (!out.empty() && out.back() != '[') out.push_back(',');
  out += items;
}

// query_plain through `cache`: a page read before is appended from memory (its commit covered
// as a read would be), else read and kept.
Result<ports::PlainQueryResult> query_plain_cached(Database& db, ReadCache& cache,
                                                   const ports::TableDescription& table,
                                                   const ports::QueryRequest& request,
                                                   const QueryPlan& plan,
                                                   ports::AttributeNames drop, std::string& out) {
  const std::string cache_key = page_cache_key(request, plan, drop);
  if (auto hit = cache.lookup(cache_key)) {
    if (Status covered = db.cover(hit->position); !covered.ok()) return std::move(covered).error();
    append_page(out, hit->json);
    return ports::PlainQueryResult{hit->count, std::move(hit->last_evaluated_key),
                                   hit->scanned_count};
  }
  const std::uint64_t version = cache.version();  // before the read's snapshot
  ports::PlainQueryResult result;
  std::string page = "[";  // read_plain_page puts no comma before the first item then
  Status s = run_query(db, table.name, request, plan, [&](Statement& st) {
    return read_plain_page(st, request, table.keys, plan.index, drop, page, result);
  });
  if (!s.ok()) return std::move(s).error();
  ReadCache::Answer answer{true, page.substr(1), db.visible_position(), result.count,
                           result.scanned_count, result.last_evaluated_key};
  append_page(out, answer.json);
  cache.store(cache_key, version, std::move(answer));
  return result;
}

}  // namespace

Result<ports::QueryResult> SqliteTable::query(const ports::QueryRequest& request) {
  auto plan = plan_query(description_, request);
  if (!plan.ok()) return std::move(plan).error();
  ports::QueryResult result;
  Status s = run_query(db_, description_.name, request, *plan, [&](Statement& st) {
    return read_page(st, request, description_.keys, plan->index, result);
  });
  if (!s.ok()) return std::move(s).error();
  return result;
}

Result<ports::PlainQueryResult> SqliteTable::query_plain(const ports::QueryRequest& request,
                                                         ports::AttributeNames drop,
                                                         std::string& out) {
  if (request.filter || request.projection) return ports::Table::query_plain(request, drop, out);
  auto plan = plan_query(description_, request);
  if (!plan.ok()) return std::move(plan).error();
  if (cache_ && plan->index == nullptr &&
      cache_->covers(encode_key(request.key_condition.hash_value))) {
    return query_plain_cached(db_, *cache_, description_, request, *plan, drop, out);
  }
  ports::PlainQueryResult result;
  Status s = run_query(db_, description_.name, request, *plan, [&](Statement& st) {
    return read_plain_page(st, request, description_.keys, plan->index, drop, out, result);
  });
  if (!s.ok()) return std::move(s).error();
  return result;
}


}  // namespace cartflow::embedded
