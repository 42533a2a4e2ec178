// SPDX-License-Identifier: Apache-2.0
// The seeded operation generator. The key space is small (3 partitions x 8 sort keys, two
// partitions per GSI with few sort keys) so that conditions both hit and miss and queries with
// a small Limit span several pages.
#include <algorithm>

#include "ops.h"

namespace cartflow::differential {

using model::Path;
using model::PathElement;
using ports::ReturnValues;

namespace {

const std::vector<std::string> kPartitions = {"p0", "p1", "p2"};
// Byte order and UTF-16 order agree on these (see docs/KNOWN_DIFFERENCES.md, "Sort order of
// strings beyond U+FFFF").
const std::vector<std::string> kSortKeys = {"a", "b#1",        "b#10",         "b#2",
                                            "c", "Zo\xc3\xab", "\xe2\x82\xac", "z"};
const std::vector<std::string> kGsiPartitions = {"u1", "u2"};
const std::vector<std::string> kGsiSortKeys = {"o#1", "o#2", "o#3", "x", "o#10"};
const std::vector<std::string> kNames = {"a", "n", "s", "b", "l", "m", "ss", "ns", "bs", "f"};
const std::vector<std::string> kStrings = {"", "x", "ab", "abc", "Zo\xc3\xab", "o#1", "a b"};
const std::vector<std::string> kSetStrings = {"a", "b", "c", "x"};
const std::vector<std::string> kNumbers = {"0",
                                           "1",
                                           "-1",
                                           "2.5",
                                           "-0.001",
                                           "1e10",
                                           "100",
                                           "3",
                                           "12345678901234567890123456789012345678",
                                           "-9.9999999999999999999999999999999999999E+125",
                                           "1E-130",
                                           "0.1"};
// No empty binary in stored values: DynamoDB Local writes it as {} in stream records
// (docs/KNOWN_DIFFERENCES.md, "Empty binary values in stream records"); prefixes may be empty.
const std::vector<std::string> kBytes = {std::string(1, '\0'), "\xff\x01", "ab"};
const std::vector<std::string> kPrefixBytes = {"", std::string(1, '\0'), "\xff"};

AttributeValue num(const std::string& text) { return AttributeValue(*model::Number::parse(text)); }

// DynamoDB orders items with equal GSI keys arbitrarily (DynamoDB Local: not by base key, see
// docs/KNOWN_DIFFERENCES.md, "Order of items with equal index keys"), so GSI sort keys end with
// the item's own key and never tie.
std::string gsi_sort(const std::string& prefix, const Item& key) {
  return prefix + "|" + *key.at("PK").as_s() + "|" + *key.at("SK").as_s();
}

}  // namespace

std::vector<Item> Generator::all_keys() {
  std::vector<Item> keys;
  for (const auto& p : kPartitions) {
    for (const auto& s : kSortKeys) keys.push_back({{"PK", p}, {"SK", s}});
  }
  return keys;
}

Item Generator::key() { return {{"PK", one_of(kPartitions)}, {"SK", one_of(kSortKeys)}}; }

AttributeValue Generator::number() { return num(one_of(kNumbers)); }

AttributeValue Generator::scalar() {
  switch (pick(6)) {
    case 0:
    case 1:
      return one_of(kStrings);
    case 2:
    case 3:
      return number();
    case 4:
      return model::Bytes{one_of(kBytes)};
    default:
      return chance(50) ? AttributeValue(chance(50)) : AttributeValue(model::Null{});
  }
}

AttributeValue Generator::value(int depth) {
  switch (pick(depth > 0 ? 7 : 10)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
      return scalar();
    case 7: {
      if (chance(50)) {
        model::List l;
        for (std::size_t i = pick(4); i > 0; --i) l.push_back(value(depth + 1));
        return l;
      }
      model::Map m;
      for (std::size_t i = pick(4); i > 0; --i)
        m[one_of(std::vector<std::string>{"x", "y", "z"})] = value(depth + 1);
      return m;
    }
    case 8: {
      model::StringSet s;
      for (std::size_t i = pick(3) + 1; i > 0; --i) s.values.insert(one_of(kSetStrings));
      return s;
    }
    default: {
      if (chance(50)) {
        model::NumberSet s;
        for (std::size_t i = pick(3) + 1; i > 0; --i)
          s.values.insert(
              *model::Number::parse(one_of(std::vector<std::string>{"1", "2", "-3.5", "1e5"})));
        return s;
      }
      model::BinarySet s;
      for (std::size_t i = pick(2) + 1; i > 0; --i)
        s.values.insert(
            model::Bytes{one_of(std::vector<std::string>{std::string(1, '\0'), "\x01", "ab"})});
      return s;
    }
  }
}

Item Generator::item() { return item_at(key()); }

Item Generator::item_at(Item it) {
  if (chance(70)) it["GSI1PK"] = one_of(kGsiPartitions);
  if (chance(70)) it["GSI1SK"] = gsi_sort(one_of(kGsiSortKeys), it);
  if (chance(50)) it["GSI2PK"] = one_of(kGsiPartitions);
  if (chance(50)) it["GSI2SK"] = gsi_sort(one_of(kGsiSortKeys), it);
  for (std::size_t i = pick(5); i > 0; --i) it[one_of(kNames)] = value(0);
  if (chance(15)) it["m"] = model::Map{{"x", number()}, {"y", value(1)}};
  if (chance(15)) it["l"] = model::List{number(), value(1)};
  return it;
}

Path Generator::any_path() {
  switch (pick(10)) {
    case 0:
      return model::path_of("m.x");
    case 1:
      return model::path_of(chance(50) ? "l[0]" : "l[3]");
    case 2:
      return model::path(one_of(std::vector<std::string>{"PK", "SK", "GSI1SK", "missing"}));
    default:
      return model::path(one_of(kNames));
  }
}

Cond Generator::condition(int depth) {
  using model::Comparator;
  std::size_t kind = pick(depth < 2 ? 13 : 10);
  switch (kind) {
    case 0:
      return Cond::not_exists(model::path("PK"));
    case 1:
      return Cond::exists(any_path());
    case 2:
      return Cond::not_exists(any_path());
    case 3:
    case 4:
      return Cond::compare(static_cast<Comparator>(pick(6)), model::operand(any_path()),
                           model::operand(chance(85) ? scalar() : value(1)));
    case 5: {
      // Not <>: DynamoDB Local finds size() of a missing attribute unequal to anything, the
      // embedded store (like DynamoDB) finds no comparison with it true (docs/KNOWN_DIFFERENCES.md,
      // "size() <> of a missing attribute").
      auto op = one_of(std::vector<Comparator>{Comparator::kEq, Comparator::kLt, Comparator::kLe,
                                               Comparator::kGt, Comparator::kGe});
      return Cond::compare(
          op, model::size_of(any_path()),
          model::operand(AttributeValue::integer(static_cast<std::int64_t>(pick(4)))));
    }
    case 6: {
      AttributeValue low = number(), high = number();
      if (chance(50)) {
        low = AttributeValue(one_of(kStrings));
        high = AttributeValue(one_of(kStrings));
      }
      return Cond::between(model::operand(any_path()), model::operand(low), model::operand(high));
    }
    case 7: {
      std::vector<model::Operand> candidates;
      for (std::size_t i = pick(3) + 1; i > 0; --i) candidates.push_back(model::operand(scalar()));
      return Cond::in(model::operand(any_path()), std::move(candidates));
    }
    case 8:
      return Cond::begins_with(any_path(),
                               chance(80) ? AttributeValue(one_of(kStrings))
                                          : AttributeValue(model::Bytes{one_of(kPrefixBytes)}));
    case 9:
      if (chance(50)) return Cond::type_is(any_path(), static_cast<model::AttributeType>(pick(10)));
      return Cond::contains(
          any_path(),
          chance(50) ? AttributeValue(one_of(std::vector<std::string>{"a", "b", "x"})) : scalar());
    case 10:
      return condition(depth + 1) && condition(depth + 1);
    case 11:
      return condition(depth + 1) || condition(depth + 1);
    default:
      return !condition(depth + 1);
  }
}

model::Update Generator::update(const Item& key) {
  model::Update u;
  std::vector<std::string> names = kNames;
  std::shuffle(names.begin(), names.end(), rng_);
  std::size_t actions = pick(3) + 1;
  for (std::size_t i = 0; i < actions; ++i) {
    Path p = model::path(names[i]);
    if (names[i] == "m" && chance(50)) p = model::path_of("m.x");
    if (names[i] == "l" && chance(50)) p = model::path_of("l[1]");
    switch (pick(11)) {
      case 0:
      case 1:
        u.set(p, value(0));
        break;
      case 2:
        u.set(p, model::SetValue{model::IfNotExists{p, model::operand(value(1))}});
        break;
      case 3:
        u.set(p,
              model::SetValue{model::SetValue::Plus{model::operand(p), model::operand(number())}});
        break;
      case 4:
        u.set(p,
              model::SetValue{model::SetValue::Minus{model::operand(p), model::operand(number())}});
        break;
      case 5:
        u.set(p, model::SetValue{
                     model::ListAppend{model::operand(p), model::operand(model::List{scalar()})}});
        break;
      case 6:
        u.remove(p);
        break;
      case 7:
        u.add(p, chance(60) ? number() : value(1));
        break;
      case 8:
        u.add(p, model::StringSet{{one_of(std::vector<std::string>{"a", "b", "d"})}});
        break;
      case 9:
        u.erase(p, model::StringSet{{"a", "c"}});
        break;
      default:
        u.erase(p, chance(50) ? value(1)
                              : AttributeValue(model::NumberSet{{*model::Number::parse("1")}}));
        break;
    }
  }
  if (chance(10)) u.set(model::path("GSI1SK"), AttributeValue(gsi_sort(one_of(kGsiSortKeys), key)));
  if (chance(5)) u.remove(model::path("GSI2PK"));
  // Not a GSI key of the wrong type (N for S): the embedded store leaves such an item out of
  // the index (docs/KNOWN_DIFFERENCES.md, "GSI key attributes of the wrong type").
  if (chance(2)) u.set(model::path("SK"), AttributeValue("a"));  // a key attribute
  return u;
}

ReturnValues Generator::return_values(bool update) {
  if (update) return static_cast<ReturnValues>(pick(5));
  if (chance(3)) return ReturnValues::kAllNew;  // invalid for put/delete
  return chance(50) ? ReturnValues::kNone : ReturnValues::kAllOld;
}

model::Projection Generator::projection() {
  model::Projection p;
  std::vector<std::string> names = kNames;
  names.push_back("PK");
  names.push_back("GSI1SK");
  std::shuffle(names.begin(), names.end(), rng_);
  for (std::size_t i = pick(3) + 1; i > 0; --i) p.paths.push_back(model::path(names[i]));
  if (chance(30)) p.paths.push_back(model::path_of(chance(50) ? "l[0]" : "m.y"));
  return p;
}

Op Generator::put() {
  ports::PutRequest r{item(), std::nullopt, return_values(false)};
  if (chance(60)) r.condition = condition(0);
  if (chance(3)) r.item["GSI2SK"] = AttributeValue("");  // empty index key: rejected
  return {r};
}

Op Generator::update_op() {
  Item k = key();
  ports::UpdateRequest r{k, update(k), std::nullopt, return_values(true)};
  bool nested = false;
  for (const auto& a : r.update.sets()) nested = nested || a.path.elements.size() > 1;
  for (const auto& a : r.update.removes()) nested = nested || a.path.elements.size() > 1;
  if (nested && (r.return_values == ReturnValues::kUpdatedOld ||
                 r.return_values == ReturnValues::kUpdatedNew)) {
    // DynamoDB Local returns whole top-level attributes for UPDATED_* of nested paths
    // (docs/KNOWN_DIFFERENCES.md, "UPDATED_OLD / UPDATED_NEW of nested paths").
    r.return_values = ReturnValues::kAllNew;
  }
  if (chance(60)) r.condition = condition(0);
  return {r};
}

Op Generator::remove() {
  ports::DeleteRequest r{key(), std::nullopt, return_values(false)};
  if (chance(60)) r.condition = condition(0);
  return {r};
}

Op Generator::transact() {
  Transact actions;
  std::vector<Item> keys = all_keys();
  std::shuffle(keys.begin(), keys.end(), rng_);
  std::size_t n = pick(4) + 2;
  for (std::size_t i = 0; i < n; ++i) {
    // Never two actions on one item: DynamoDB Local accepts that (docs/KNOWN_DIFFERENCES.md,
    // "Several actions on one item in a transaction").
    Item k = keys[i];
    std::optional<Cond> c;
    if (chance(50)) c = condition(1);
    switch (pick(4)) {
      case 0: {
        actions.push_back({ports::PutRequest{item_at(k), c}});
        break;
      }
      case 1:
        actions.push_back({ports::UpdateRequest{k, update(k), c}});
        break;
      case 2:
        actions.push_back({ports::DeleteRequest{k, c}});
        break;
      default:
        actions.push_back({ports::ConditionCheck{k, c ? *c : condition(1)}});
        break;
    }
  }
  return {actions};
}

Op Generator::batch_write() {
  BatchWrite requests;
  std::vector<Item> keys = all_keys();
  std::shuffle(keys.begin(), keys.end(), rng_);
  for (std::size_t i = pick(6) + 1; i > 0; --i) {
    const Item& k = chance(3) ? keys[0] : keys[i];
    if (chance(65)) {
      requests.push_back({ports::PutRequest{item_at(k)}});
    } else {
      requests.push_back({ports::DeleteRequest{k}});
    }
  }
  return {requests};
}

Op Generator::batch_get() {
  std::vector<Item> keys = all_keys();
  std::shuffle(keys.begin(), keys.end(), rng_);
  keys.resize(pick(6) + 1);
  return {BatchGet{keys}};
}

Op Generator::get() {
  ports::GetRequest r{key(), chance(50), std::nullopt};
  if (chance(50)) r.projection = projection();
  return {r};
}

Op Generator::query() {
  using Op_ = model::KeyCondition::RangeOp;
  Query q;
  std::size_t target = pick(3);
  std::string hash = target == 0 ? "PK" : target == 1 ? "GSI1PK" : "GSI2PK";
  std::string range = target == 0 ? "SK" : target == 1 ? "GSI1SK" : "GSI2SK";
  if (target > 0) q.request.index_name = target == 1 ? "userOrders" : "orderProducts";
  const auto& sort_values = target == 0 ? kSortKeys : kGsiSortKeys;
  q.request.key_condition = model::KeyCondition::hash(
      hash, AttributeValue(one_of(target == 0 ? kPartitions : kGsiPartitions)));
  if (chance(70)) {
    auto op = static_cast<Op_>(pick(7));
    AttributeValue v = one_of(sort_values);
    if (target > 0 && op == Op_::kEq) v = AttributeValue(gsi_sort(one_of(kGsiSortKeys), key()));
    if (op == Op_::kBeginsWith)
      v = AttributeValue(one_of(std::vector<std::string>{"b", "o#1", "o", "z", ""}));
    std::optional<AttributeValue> high;
    if (op == Op_::kBetween) {
      AttributeValue w = one_of(sort_values);
      high = w;
      if (*w.as_s() < *v.as_s()) std::swap(*high, v);
    }
    if (!(op == Op_::kBeginsWith && v.as_s()->empty()))
      q.request.key_condition.range_is(range, op, v, high);
  }
  if (chance(30)) q.request.filter = condition(1);
  if (chance(25)) q.request.projection = projection();
  if (chance(70)) q.request.limit = pick(4) + 1;
  q.request.scan_forward = chance(50);
  q.request.consistent_read = target == 0 ? chance(50) : chance(3);
  return {q};
}

Op Generator::next() {
  switch (pick(20)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return put();
    case 4:
    case 5:
    case 6:
    case 7:
      return update_op();
    case 8:
    case 9:
      return remove();
    case 10:
    case 11:
      return transact();
    case 12:
      return batch_write();
    case 13:
      return batch_get();
    case 14:
    case 15:
      return get();
    default:
      return query();
  }
}

}  // namespace cartflow::differential
