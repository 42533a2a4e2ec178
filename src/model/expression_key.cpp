// SPDX-License-Identifier: Apache-2.0
// Key conditions, key ordering and projections.

#include <map>
#include <utility>

#include "model/expression.h"
#include "model/expression_internal.h"

namespace cartflow::model {

KeyCondition KeyCondition::hash(std::string name, AttributeValue value) {
  KeyCondition kc;
  kc.hash_name = std::move(name);
  kc.hash_value = std::move(value);
  return kc;
}

KeyCondition& KeyCondition::range_is(std::string name, RangeOp op, AttributeValue v,
                                     std::optional<AttributeValue> high) {
  range = Range{std::move(name), op, std::move(v), std::move(high)};
  return *this;
}

std::strong_ordering compare_keys(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return a.type() <=> b.type();
  if (auto order = detail::compare_scalars(a, b)) return *order;
  if (const bool* x = a.as_bool()) return *x <=> *b.as_bool();
  // Non-key types have no DynamoDB order; equal values compare equal, others by their size.
  if (a == b) return std::strong_ordering::equal;
  auto sa = detail::size_function(a).value_or(0);
  auto sb = detail::size_function(b).value_or(0);
  if (sa != sb) return sa <=> sb;
  return value_size(a) <=> value_size(b);
}

bool matches(const KeyCondition& kc, const Item& item) {
  auto hash = item.find(kc.hash_name);
  if (hash == item.end() || !(hash->second == kc.hash_value)) return false;
  if (!kc.range) return true;
  const auto& r = *kc.range;
  auto found = item.find(r.name);
  if (found == item.end()) return false;
  const AttributeValue& v = found->second;
  if (r.op == KeyCondition::RangeOp::kBeginsWith) {
    if (v.is_s() && r.value.is_s()) return v.as_s()->starts_with(*r.value.as_s());
    if (v.as_b() != nullptr && r.value.as_b() != nullptr) {
      return v.as_b()->data.starts_with(r.value.as_b()->data);
    }
    return false;
  }
  auto order = detail::compare_scalars(v, r.value);
  if (!order) return false;
  switch (r.op) {
    case KeyCondition::RangeOp::kEq: return *order == 0;
    case KeyCondition::RangeOp::kLt: return *order < 0;
    case KeyCondition::RangeOp::kLe: return *order <= 0;
    case KeyCondition::RangeOp::kGt: return *order > 0;
    case KeyCondition::RangeOp::kGe: return *order >= 0;
    case KeyCondition::RangeOp::kBetween: {
      if (!r.high) return false;
      auto upper = detail::compare_scalars(v, *r.high);
      return *order >= 0 && upper && *upper <= 0;
    }
    default: return false;
  }
}

namespace {

// The projected paths merged into a tree; a node with `whole` keeps its entire value.
struct Selection {
  bool whole = false;
  std::map<std::string, Selection> keys;
  std::map<std::size_t, Selection> indexes;
};

void add_path(Selection& root, const Path& p) {
  Selection* node = &root;
  for (const auto& e : p.elements) {
    if (node->whole) return;  // an enclosing path already keeps everything
    if (const auto* key = std::get_if<std::string>(&e.part)) {
      node = &node->keys[*key];
    } else {
      node = &node->indexes[std::get<std::size_t>(e.part)];
    }
  }
  node->whole = true;
  node->keys.clear();
  node->indexes.clear();
}

// The part of `value` that `sel` keeps; nullopt when nothing of it is kept.
std::optional<AttributeValue> select(const Selection& sel, const AttributeValue& value) {
  if (sel.whole) return value;
  if (!sel.keys.empty()) {
    const Map* m = value.as_m();
    if (m == nullptr) return std::nullopt;
    Map out;
    for (const auto& [key, child] : sel.keys) {
      auto it = m->find(key);
      if (it == m->end()) continue;
      if (auto kept = select(child, it->second)) out.emplace(key, std::move(*kept));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue(std::move(out));
  }
  if (!sel.indexes.empty()) {
    const List* l = value.as_l();
    if (l == nullptr) return std::nullopt;
    List out;
    for (const auto& [index, child] : sel.indexes) {
      if (index >= l->size()) continue;
      if (auto kept = select(child, (*l)[index])) out.push_back(std::move(*kept));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

Item project(const Projection& projection, const Item& item) {
  Selection root;
  for (const auto& p : projection.paths) {
    if (p.elements.empty() || !std::holds_alternative<std::string>(p.elements[0].part)) continue;
    add_path(root, p);
  }
  Item out;
  for (const auto& [name, child] : root.keys) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto kept = select(child, it->second)) out.emplace(name, std::move(*kept));
  }
  return out;
}

}  // namespace cartflow::model
