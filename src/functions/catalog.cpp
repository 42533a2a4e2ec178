// SPDX-License-Identifier: Apache-2.0
#include "functions/catalog.h"

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "domain/product.h"
#include "model/dynamo_json.h"

namespace cartflow::functions {

namespace {
constexpr std::size_t kBatchWriteLimit = 25;
constexpr int kMaxUnprocessedRounds = 8;
}  // namespace

model::Result<std::size_t> load_catalog(ports::Table& table, std::string_view catalog_json) {
  auto catalog = model::parse_plain_json(catalog_json);
  if (!catalog.ok()) return model::Error::invalid("catalog: " + catalog.error().message);
  const model::List* list = catalog->as_l();
  if (list == nullptr) return model::Error::invalid("catalog: must be a JSON array of products");
  std::vector<ports::WriteRequest> writes;
  writes.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string field = "products[" + std::to_string(i) + "]";
    const model::Map* product = (*list)[i].as_m();
    if (product == nullptr) return model::Error::invalid(field + ": must be an object");
    auto item = domain::product_item(*product, field);
    if (auto* e = std::get_if<domain::FieldError>(&item)) {
      return model::Error::invalid(e->message);
    }
    writes.push_back(ports::WriteRequest{
        ports::PutRequest{std::move(std::get<model::Item>(item)), std::nullopt}});
  }
  for (std::size_t start = 0; start < writes.size(); start += kBatchWriteLimit) {
    const std::size_t end = std::min(writes.size(), start + kBatchWriteLimit);
    std::vector<ports::WriteRequest> batch(writes.begin() + static_cast<std::ptrdiff_t>(start),
                                           writes.begin() + static_cast<std::ptrdiff_t>(end));
    for (int round = 0; !batch.empty(); ++round) {
      if (round == kMaxUnprocessedRounds) {
        return model::Error::throttled("catalog: the table left items unprocessed");
      }
      auto result = table.batch_write(batch);
      if (!result.ok()) return std::move(result).error();
      batch = std::move(result->unprocessed);
    }
  }
  return writes.size();
}

}  // namespace cartflow::functions
