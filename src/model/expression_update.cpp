// SPDX-License-Identifier: Apache-2.0
// Update application with DynamoDB's semantics: right-hand sides see the item as it was before
// the update, target paths may not overlap, and a failure leaves the item unchanged.

#include <algorithm>
#include <utility>

#include "model/expression.h"
#include "model/expression_internal.h"

namespace cartflow::model {
namespace {

constexpr const char* kMissingOperand =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr const char* kInvalidPath =
    "The document path provided in the update expression is invalid for update";
constexpr const char* kWrongType = "An operand in the update expression has an incorrect data type";

bool is_set(const AttributeValue& v) {
  auto t = v.type();
  return t == AttributeType::kSS || t == AttributeType::kNS || t == AttributeType::kBS;
}

std::string incorrect_operand(const char* op, const AttributeValue& v) {
  return std::string("Invalid UpdateExpression: Incorrect operand type for operator or "
                     "function; operator: ") +
         op + ", operand type: " + type_descriptor(v.type());
}

Result<AttributeValue> operand_value(const Operand& o, const Item& before) {
  if (const auto* p = std::get_if<Path>(&o.term)) {
    if (Status s = detail::check_path(*p, "UpdateExpression"); !s) return Error(s.error());
    const AttributeValue* v = resolve(before, *p);
    if (v == nullptr) return Error::invalid(kMissingOperand);
    return *v;
  }
  if (const auto* v = std::get_if<AttributeValue>(&o.term)) return *v;
  return Error::invalid(
      "Invalid UpdateExpression: The function is not allowed in an update expression; "
      "function: size");
}

Result<AttributeValue> set_value(const SetValue& sv, const Item& before) {
  if (const auto* o = std::get_if<Operand>(&sv.value)) return operand_value(*o, before);
  if (const auto* ine = std::get_if<IfNotExists>(&sv.value)) {
    if (Status s = detail::check_path(ine->path, "UpdateExpression"); !s) return Error(s.error());
    auto fallback = operand_value(ine->fallback, before);  // validated even when unused
    const AttributeValue* existing = resolve(before, ine->path);
    if (existing != nullptr) return *existing;
    return fallback;
  }
  if (const auto* la = std::get_if<ListAppend>(&sv.value)) {
    auto first = operand_value(la->first, before);
    if (!first) return first;
    auto second = operand_value(la->second, before);
    if (!second) return second;
    if (!first->is_l() || !second->is_l()) return Error::invalid(kWrongType);
    List joined = *first->as_l();
    joined.insert(joined.end(), second->as_l()->begin(), second->as_l()->end());
    return AttributeValue(std::move(joined));
  }
  bool plus = std::holds_alternative<SetValue::Plus>(sv.value);
  const Operand& lhs = plus ? std::get<SetValue::Plus>(sv.value).lhs
                            : std::get<SetValue::Minus>(sv.value).lhs;
  const Operand& rhs = plus ? std::get<SetValue::Plus>(sv.value).rhs
                            : std::get<SetValue::Minus>(sv.value).rhs;
  auto a = operand_value(lhs, before);
  if (!a) return a;
  auto b = operand_value(rhs, before);
  if (!b) return b;
  if (!a->is_n() || !b->is_n()) return Error::invalid(kWrongType);
  auto result = plus ? a->as_n()->plus(*b->as_n()) : a->as_n()->minus(*b->as_n());
  if (!result) return Error(std::move(result).error());
  return AttributeValue(std::move(*result));
}

Path parent_of(const Path& p) {
  Path parent = p;
  parent.elements.pop_back();
  return parent;
}

// Writes `value` at `p`; the parent must exist with the right type. A list index past the end
// appends.
Status assign(Item& item, const Path& p, AttributeValue value) {
  if (p.elements.size() == 1) {
    item.insert_or_assign(std::get<std::string>(p.elements[0].part), std::move(value));
    return {};
  }
  AttributeValue* parent = detail::resolve_mut(item, parent_of(p));
  if (parent == nullptr) return Error::invalid(kInvalidPath);
  const auto& last = p.elements.back().part;
  if (const auto* key = std::get_if<std::string>(&last)) {
    Map* m = parent->as_m();
    if (m == nullptr) return Error::invalid(kInvalidPath);
    m->insert_or_assign(*key, std::move(value));
    return {};
  }
  List* l = parent->as_l();
  if (l == nullptr) return Error::invalid(kInvalidPath);
  std::size_t index = std::get<std::size_t>(last);
  if (index < l->size()) {
    (*l)[index] = std::move(value);
  } else {
    l->push_back(std::move(value));
  }
  return {};
}

// Checks that the parent of `p` exists and can hold its last step (a map for a key, a list for
// an index); top-level paths always can.
Status check_parent(Item& item, const Path& p) {
  if (p.elements.size() == 1) return {};
  AttributeValue* parent = detail::resolve_mut(item, parent_of(p));
  bool key = std::holds_alternative<std::string>(p.elements.back().part);
  if (parent == nullptr || (key ? parent->as_m() == nullptr : parent->as_l() == nullptr)) {
    return Error::invalid(kInvalidPath);
  }
  return {};
}

// Removes the value at `p` if it is there; a missing value is not an error, but a missing
// parent or one of the wrong type (a map key in a list, an index in a map...) is, as in
// DynamoDB.
Status remove_at(Item& item, const Path& p) {
  if (p.elements.size() == 1) {
    item.erase(std::get<std::string>(p.elements[0].part));
    return {};
  }
  AttributeValue* parent = detail::resolve_mut(item, parent_of(p));
  if (parent == nullptr) return Error::invalid(kInvalidPath);
  const auto& last = p.elements.back().part;
  if (const auto* key = std::get_if<std::string>(&last)) {
    Map* m = parent->as_m();
    if (m == nullptr) return Error::invalid(kInvalidPath);
    m->erase(*key);
    return {};
  }
  List* l = parent->as_l();
  if (l == nullptr) return Error::invalid(kInvalidPath);
  std::size_t index = std::get<std::size_t>(last);
  if (index < l->size()) l->erase(l->begin() + static_cast<std::ptrdiff_t>(index));
  return {};
}

// Descending path order, so that removing list elements uses their indexes before the update.
bool path_greater(const Path* a, const Path* b) {
  const auto& x = a->elements;
  const auto& y = b->elements;
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
    if (x[i] == y[i]) continue;
    if (x[i].part.index() != y[i].part.index()) return x[i].part.index() > y[i].part.index();
    return x[i].part > y[i].part;
  }
  return x.size() > y.size();
}

template <typename SetT>
Result<AttributeValue> set_op(const SetT& a, const SetT& b, bool add) {
  SetT out = a;
  for (const auto& v : b.values) {
    if (add) {
      out.values.insert(v);
    } else {
      out.values.erase(v);
    }
  }
  return AttributeValue(std::move(out));
}

Result<AttributeValue> combine_sets(const AttributeValue& a, const AttributeValue& b, bool add) {
  if (a.type() != b.type()) return Error::invalid(kWrongType);
  if (const auto* s = a.as_ss()) return set_op(*s, *b.as_ss(), add);
  if (const auto* s = a.as_ns()) return set_op(*s, *b.as_ns(), add);
  if (const auto* s = a.as_bs()) return set_op(*s, *b.as_bs(), add);
  return Error::invalid(kWrongType);
}

// True when every SET and REMOVE names a top-level attribute (paths already checked).
bool all_top_level(const Update& update) {
  for (const auto& a : update.sets()) {
    if (a.path.elements.size() != 1) return false;
  }
  for (const auto& r : update.removes()) {
    if (r.path.elements.size() != 1) return false;
  }
  return true;
}

}  // namespace

Status validate_update(const Update& update) {
  std::vector<const Path*> targets;
  for (const auto& a : update.sets()) targets.push_back(&a.path);
  for (const auto& a : update.removes()) targets.push_back(&a.path);
  for (const auto& a : update.adds()) targets.push_back(&a.path);
  for (const auto& a : update.deletes()) targets.push_back(&a.path);
  if (Status s = detail::check_disjoint(targets, "UpdateExpression"); !s) return s;

  for (const auto& a : update.adds()) {
    if (!a.value.is_n() && !is_set(a.value)) {
      return Error::invalid(incorrect_operand("ADD", a.value));
    }
  }
  for (const auto& d : update.deletes()) {
    if (!is_set(d.value)) return Error::invalid(incorrect_operand("DELETE", d.value));
  }
  return {};
}

Status apply(const Update& update, Item& item) {
  if (Status s = validate_update(update); !s) return s;

  // Every right-hand side is computed from the item before the update.
  std::vector<AttributeValue> set_values;
  set_values.reserve(update.sets().size());
  for (const auto& a : update.sets()) {
    auto v = set_value(a.value, item);
    if (!v) return Error(std::move(v).error());
    set_values.push_back(std::move(*v));
  }

  // Top-level SET and REMOVE cannot fail once the values are known: apply them in place,
  // without the copy that keeps the item unchanged when a later step fails.
  if (update.adds().empty() && update.deletes().empty() && all_top_level(update)) {
    for (std::size_t i = 0; i < update.sets().size(); ++i) {
      item.insert_or_assign(std::get<std::string>(update.sets()[i].path.elements[0].part),
                            std::move(set_values[i]));
    }
    for (const auto& r : update.removes()) {
      item.erase(std::get<std::string>(r.path.elements[0].part));
    }
    return {};
  }

  Item work = item;
  for (std::size_t i = 0; i < update.sets().size(); ++i) {
    if (Status s = assign(work, update.sets()[i].path, std::move(set_values[i])); !s) return s;
  }

  std::vector<const Path*> removes;
  for (const auto& r : update.removes()) removes.push_back(&r.path);
  std::sort(removes.begin(), removes.end(), path_greater);
  for (const Path* p : removes) {
    if (Status s = remove_at(work, *p); !s) return s;
  }

  for (const auto& a : update.adds()) {
    const AttributeValue* existing = resolve(item, a.path);
    if (existing == nullptr) {
      if (Status s = assign(work, a.path, a.value); !s) return s;
      continue;
    }
    AttributeValue next;
    if (a.value.is_n()) {
      if (!existing->is_n()) return Error::invalid(kWrongType);
      auto sum = existing->as_n()->plus(*a.value.as_n());
      if (!sum) return Error(std::move(sum).error());
      next = AttributeValue(std::move(*sum));
    } else {
      auto joined = combine_sets(*existing, a.value, true);
      if (!joined) return Error(std::move(joined).error());
      next = std::move(*joined);
    }
    if (Status s = assign(work, a.path, std::move(next)); !s) return s;
  }

  for (const auto& d : update.deletes()) {
    const AttributeValue* existing = resolve(item, d.path);
    if (existing == nullptr) {
      if (Status s = check_parent(work, d.path); !s) return s;
      continue;
    }
    auto rest = combine_sets(*existing, d.value, false);
    if (!rest) return Error(std::move(rest).error());
    if (detail::size_function(*rest).value_or(0) == 0) {
      (void)remove_at(work, d.path);  // DynamoDB removes a set that becomes empty (it exists)
    } else if (Status s = assign(work, d.path, std::move(*rest)); !s) {
      return s;
    }
  }

  item = std::move(work);
  return {};
}

}  // namespace cartflow::model
