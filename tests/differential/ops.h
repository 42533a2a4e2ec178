// SPDX-License-Identifier: Apache-2.0
#pragma once

// The operations of the differential test (one Table call each; a query is all of its pages),
// a seeded generator of operation sequences over a small key space, and running an operation
// against a Table into a comparable Outcome. Cases where DynamoDB Local knowingly differs from
// DynamoDB (or the embedded store differs on purpose) are left out of the generator; each such
// place points at docs/KNOWN_DIFFERENCES.md.

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "model/attribute_value.h"
#include "model/expression.h"
#include "model/result.h"
#include "ports/table.h"

namespace cartflow::differential {

using model::AttributeValue;
using model::Cond;
using model::Item;

struct BatchGet {
  std::vector<Item> keys;
};
struct Query {
  ports::QueryRequest request;
  int max_pages = 30;
};
using Transact = std::vector<ports::TransactAction>;
using BatchWrite = std::vector<ports::WriteRequest>;

struct Op {
  std::variant<ports::GetRequest, ports::PutRequest, ports::UpdateRequest, ports::DeleteRequest,
               Transact, BatchWrite, BatchGet, Query>
      body;
};

// The comparable result of an operation: the error code (never the message), the transaction's
// cancellation reason codes, and labelled items (returned attributes, query pages...).
struct Outcome {
  std::optional<model::ErrorCode> error;
  std::string message;  // for the report only
  std::vector<std::string> reasons;
  std::vector<std::pair<std::string, std::optional<Item>>> parts;

  bool operator==(const Outcome& o) const {
    return error == o.error && reasons == o.reasons && parts == o.parts;
  }
};

// Readable, reproducible text of an operation (expressions rendered as DynamoDB text with their
// names and values) and of an outcome.
std::string describe(const Op& op);
std::string describe(const Outcome& outcome);

// Runs `op` on `table`. Query pages follow each backend's own LastEvaluatedKey.
Outcome run(ports::Table& table, const Op& op);

// The table's contents over the whole key space (batch gets, sorted by key).
Outcome contents(ports::Table& table);

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}
  Op next();

  // Every primary key the generator uses.
  static std::vector<Item> all_keys();

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }
  template <typename T>
  const T& one_of(const std::vector<T>& v) {
    return v[pick(v.size())];
  }

  Item key();
  Item item();
  Item item_at(Item key);
  AttributeValue value(int depth);
  AttributeValue scalar();
  AttributeValue number();
  model::Path any_path();
  Cond condition(int depth);
  model::Update update(const Item& key);
  ports::ReturnValues return_values(bool update);
  model::Projection projection();
  Op put();
  Op update_op();
  Op remove();
  Op transact();
  Op batch_write();
  Op batch_get();
  Op get();
  Op query();

  std::mt19937_64 rng_;
};

}  // namespace cartflow::differential
