// SPDX-License-Identifier: Apache-2.0
// Running an operation against a Table into an Outcome, and printing both.
#include <algorithm>

#include "model/dynamo_json.h"
#include "ops.h"

namespace cartflow::differential {

namespace {

std::string json(const Item& item) { return model::to_dynamo_json(item); }

const char* return_values_name(ports::ReturnValues v) {
  static const char* kNames[] = {"NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"};
  return kNames[static_cast<int>(v)];
}

// "expression; names; values" of everything rendered so far.
std::string placeholders(const model::Renderer& r) {
  std::string out;
  for (const auto& [placeholder, name] : r.names()) out += " " + placeholder + "=" + name;
  for (const auto& [placeholder, value] : r.values())
    out += " " + placeholder + "=" + model::to_dynamo_json(value);
  return out;
}

std::string condition_text(model::Renderer& r, const std::optional<Cond>& c) {
  return c ? " if " + r.condition(*c) : "";
}

std::string action_text(const ports::TransactAction& a) {
  model::Renderer r;
  std::string out;
  if (const auto* put = std::get_if<ports::PutRequest>(&a.action)) {
    out = "Put " + json(put->item) + condition_text(r, put->condition);
  } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
    out = "Update " + json(upd->key) + " " + r.update(upd->update) +
          condition_text(r, upd->condition);
  } else if (const auto* del = std::get_if<ports::DeleteRequest>(&a.action)) {
    out = "Delete " + json(del->key) + condition_text(r, del->condition);
  } else {
    const auto& check = std::get<ports::ConditionCheck>(a.action);
    out = "ConditionCheck " + json(check.key) + " if " + r.condition(check.condition);
  }
  return out + placeholders(r);
}

// Items of a batch get in key order (DynamoDB returns them in no particular order).
void sort_by_key(std::vector<Item>& items) {
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::pair(*a.at("PK").as_s(), *a.at("SK").as_s()) <
           std::pair(*b.at("PK").as_s(), *b.at("SK").as_s());
  });
}

template <typename T>
bool failed(const model::Result<T>& r, Outcome& out) {
  if (r.ok()) return false;
  out.error = r.error().code;
  out.message = r.error().message;
  for (const auto& reason : r.error().cancellation_reasons) out.reasons.push_back(reason.code);
  return true;
}

Item count(std::size_t n) { return {{"n", AttributeValue::integer(static_cast<std::int64_t>(n))}}; }

}  // namespace

std::string describe(const Op& op) {
  model::Renderer r;
  std::string out;
  if (const auto* get = std::get_if<ports::GetRequest>(&op.body)) {
    out = "GetItem " + json(get->key) + (get->consistent_read ? " consistent" : "");
    if (get->projection) out += " project " + r.projection(*get->projection);
  } else if (const auto* put = std::get_if<ports::PutRequest>(&op.body)) {
    out = "PutItem " + json(put->item) + condition_text(r, put->condition) + " return " +
          return_values_name(put->return_values);
  } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&op.body)) {
    out = "UpdateItem " + json(upd->key) + " " + r.update(upd->update) +
          condition_text(r, upd->condition) + " return " + return_values_name(upd->return_values);
  } else if (const auto* del = std::get_if<ports::DeleteRequest>(&op.body)) {
    out = "DeleteItem " + json(del->key) + condition_text(r, del->condition) + " return " +
          return_values_name(del->return_values);
  } else if (const auto* t = std::get_if<Transact>(&op.body)) {
    out = "TransactWriteItems";
    for (const auto& a : *t) out += "\n    " + action_text(a);
    return out;
  } else if (const auto* bw = std::get_if<BatchWrite>(&op.body)) {
    out = "BatchWriteItem";
    for (const auto& w : *bw) {
      if (const auto* p = std::get_if<ports::PutRequest>(&w.request))
        out += "\n    Put " + json(p->item);
      else
        out += "\n    Delete " + json(std::get<ports::DeleteRequest>(w.request).key);
    }
    return out;
  } else if (const auto* bg = std::get_if<BatchGet>(&op.body)) {
    out = "BatchGetItem";
    for (const auto& k : bg->keys) out += " " + json(k);
    return out;
  } else {
    const auto& q = std::get<Query>(op.body).request;
    out = "Query " + q.index_name.value_or("(table)") + " " + r.key_condition(q.key_condition);
    if (q.filter) out += " filter " + r.condition(*q.filter);
    if (q.projection) out += " project " + r.projection(*q.projection);
    if (q.limit) out += " limit " + std::to_string(*q.limit);
    out += q.scan_forward ? " forward" : " backward";
    if (q.consistent_read) out += " consistent";
  }
  return out + placeholders(r);
}

std::string describe(const Outcome& o) {
  std::string out;
  if (o.error) {
    out = std::string("error ") + model::error_code_name(*o.error) + " (" + o.message + ")";
    for (const auto& reason : o.reasons) out += " " + reason;
  } else {
    out = "ok";
  }
  for (const auto& [label, item] : o.parts)
    out += "\n    " + label + ": " + (item ? json(*item) : "-");
  return out;
}

Outcome run(ports::Table& table, const Op& op) {
  Outcome out;
  if (const auto* get = std::get_if<ports::GetRequest>(&op.body)) {
    auto r = table.get(*get);
    if (!failed(r, out)) out.parts.emplace_back("item", *r);
  } else if (const auto* put = std::get_if<ports::PutRequest>(&op.body)) {
    auto r = table.put(*put);
    if (!failed(r, out)) out.parts.emplace_back("attributes", r->attributes);
  } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&op.body)) {
    auto r = table.update(*upd);
    if (!failed(r, out)) out.parts.emplace_back("attributes", r->attributes);
  } else if (const auto* del = std::get_if<ports::DeleteRequest>(&op.body)) {
    auto r = table.remove(*del);
    if (!failed(r, out)) out.parts.emplace_back("attributes", r->attributes);
  } else if (const auto* t = std::get_if<Transact>(&op.body)) {
    failed(table.transact_write(*t, std::nullopt), out);
  } else if (const auto* bw = std::get_if<BatchWrite>(&op.body)) {
    auto r = table.batch_write(*bw);
    if (!failed(r, out)) out.parts.emplace_back("unprocessed", count(r->unprocessed.size()));
  } else if (const auto* bg = std::get_if<BatchGet>(&op.body)) {
    auto r = table.batch_get(bg->keys);
    if (!failed(r, out)) {
      sort_by_key(r->items);
      for (auto& item : r->items) out.parts.emplace_back("item", std::move(item));
      out.parts.emplace_back("unprocessed", count(r->unprocessed_keys.size()));
    }
  } else {
    const auto& q = std::get<Query>(op.body);
    ports::QueryRequest request = q.request;
    for (int page = 0; page < q.max_pages; ++page) {
      auto r = table.query(request);
      if (failed(r, out)) break;
      if (page > 0 && r->scanned_count == 0 && !r->last_evaluated_key) {
        // An empty last page after a full one: the previous page ended the query. DynamoDB
        // Local sometimes knows that already (docs/KNOWN_DIFFERENCES.md, "LastEvaluatedKey of
        // a page that ends at the last item").
        out.parts.back().second.reset();
        break;
      }
      out.parts.emplace_back("page " + std::to_string(page) + " scanned/count",
                             Item{{"scanned", count(r->scanned_count).at("n")},
                                  {"count", count(r->items.size()).at("n")}});
      for (auto& item : r->items) out.parts.emplace_back("item", std::move(item));
      out.parts.emplace_back("last_evaluated_key", r->last_evaluated_key);
      if (!r->last_evaluated_key) break;
      request.exclusive_start_key = r->last_evaluated_key;
    }
  }
  return out;
}

Outcome contents(ports::Table& table) {
  Outcome out;
  std::vector<Item> keys = Generator::all_keys();
  auto r = table.batch_get(keys);
  if (failed(r, out)) return out;
  sort_by_key(r->items);
  for (auto& item : r->items) out.parts.emplace_back("item", std::move(item));
  return out;
}

}  // namespace cartflow::differential
