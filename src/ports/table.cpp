// SPDX-License-Identifier: Apache-2.0
// The default plain-JSON reads of ports::Table: through query() and get().
#include "ports/table.h"

#include <algorithm>

#include "model/dynamo_json.h"

namespace cartflow::ports {
namespace {

void append_without(std::string& out, Item item, AttributeNames drop) {
  for (std::string_view name : drop) {
    if (auto it = item.find(name); it != item.end()) item.erase(it);
  }
  model::append_plain_json(out, item);
}

}  // namespace

Result<PlainQueryResult> Table::query_plain(const QueryRequest& request, AttributeNames drop,
                                            std::string& out) {
  auto page = query(request);
  if (!page.ok()) return std::move(page).error();
  PlainQueryResult result;
  for (Item& item : page->items) {
    if (!out.empty() && out.back() != '[') out.push_back(',');
    append_without(out, std::move(item), drop);
  }
  result.count = page->items.size();
  result.last_evaluated_key = std::move(page->last_evaluated_key);
  result.scanned_count = page->scanned_count;
  return result;
}

Result<bool> Table::get_plain(const GetRequest& request, AttributeNames drop, std::string& out) {
  auto item = get(request);
  if (!item.ok()) return std::move(item).error();
  if (!*item) return false;
  append_without(out, std::move(**item), drop);
  return true;
}

Result<std::vector<Item>> query_all(Table& table, QueryRequest request) {
  std::vector<Item> items;
  for (int page = 0; page < 10'000; ++page) {
    auto result = table.query(request);
    if (!result.ok()) return std::move(result).error();
    for (auto& item : result->items) items.push_back(std::move(item));
    if (!result->last_evaluated_key) return items;
    request.exclusive_start_key = std::move(result->last_evaluated_key);
  }
  return model::Error::internal("query did not finish after 10000 pages");
}

}  // namespace cartflow::ports
