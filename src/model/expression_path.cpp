// SPDX-License-Identifier: Apache-2.0
// Paths, operands, and the Cond / Update builders.

#include <algorithm>
#include <cstdint>
#include <utility>

#include "model/expression.h"
#include "model/expression_internal.h"

namespace cartflow::model {

Path path(std::string name) { return Path{{PathElement{std::move(name)}}}; }

Path path_of(std::string_view dotted) {
  Path p;
  std::size_t i = 0;
  std::string name;
  bool have_name = false;
  auto flush = [&] {
    if (have_name) p.elements.push_back(PathElement{std::move(name)});
    name.clear();
    have_name = false;
  };
  while (i < dotted.size()) {
    char c = dotted[i];
    if (c == '.') {
      flush();
      ++i;
    } else if (c == '[') {
      flush();
      std::size_t index = 0;
      ++i;
      while (i < dotted.size() && dotted[i] >= '0' && dotted[i] <= '9') {
        index = index * 10 + static_cast<std::size_t>(dotted[i] - '0');
        ++i;
      }
      if (i < dotted.size() && dotted[i] == ']') ++i;
      p.elements.push_back(PathElement{index});
    } else {
      name.push_back(c);
      have_name = true;
      ++i;
    }
  }
  flush();
  return p;
}

const AttributeValue* resolve(const Item& item, const Path& path) {
  if (path.elements.empty()) return nullptr;
  const auto* first = std::get_if<std::string>(&path.elements.front().part);
  if (first == nullptr) return nullptr;
  auto it = item.find(*first);
  if (it == item.end()) return nullptr;
  const AttributeValue* current = &it->second;
  for (std::size_t i = 1; i < path.elements.size(); ++i) {
    const auto& part = path.elements[i].part;
    if (const auto* key = std::get_if<std::string>(&part)) {
      const Map* m = current->as_m();
      if (m == nullptr) return nullptr;
      auto found = m->find(*key);
      if (found == m->end()) return nullptr;
      current = &found->second;
    } else {
      const List* l = current->as_l();
      std::size_t index = std::get<std::size_t>(part);
      if (l == nullptr || index >= l->size()) return nullptr;
      current = &(*l)[index];
    }
  }
  return current;
}

namespace detail {

AttributeValue* resolve_mut(Item& item, const Path& path) {
  return const_cast<AttributeValue*>(resolve(item, path));  // same structure, mutable access
}

std::optional<std::size_t> size_function(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS: {
      // UTF-16 code units: one per code point, two for code points above U+FFFF (4-byte UTF-8).
      std::size_t units = 0;
      for (unsigned char c : *value.as_s()) {
        if ((c & 0xC0) != 0x80) units += (c >= 0xF0) ? 2 : 1;
      }
      return units;
    }
    case AttributeType::kB: return value.as_b()->data.size();
    case AttributeType::kSS: return value.as_ss()->values.size();
    case AttributeType::kNS: return value.as_ns()->values.size();
    case AttributeType::kBS: return value.as_bs()->values.size();
    case AttributeType::kL: return value.as_l()->size();
    case AttributeType::kM: return value.as_m()->size();
    default: return std::nullopt;
  }
}

std::optional<std::strong_ordering> compare_scalars(const AttributeValue& a,
                                                    const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case AttributeType::kS: {
      int c = a.as_s()->compare(*b.as_s());  // char_traits<char> compares as unsigned char
      return c < 0 ? std::strong_ordering::less
                   : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
    }
    case AttributeType::kN: return *a.as_n() <=> *b.as_n();
    case AttributeType::kB: {
      int c = a.as_b()->data.compare(b.as_b()->data);
      return c < 0 ? std::strong_ordering::less
                   : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
    }
    default: return std::nullopt;
  }
}

std::string describe_path(const Path& path) {
  std::string out = "[";
  for (std::size_t i = 0; i < path.elements.size(); ++i) {
    if (i > 0) out += ", ";
    if (const auto* key = std::get_if<std::string>(&path.elements[i].part)) {
      out += *key;
    } else {
      out += "[" + std::to_string(std::get<std::size_t>(path.elements[i].part)) + "]";
    }
  }
  return out + "]";
}

Status check_path(const Path& path, const char* where) {
  if (path.elements.empty()) {
    return Error::invalid(std::string("Invalid ") + where + ": an empty document path");
  }
  if (!std::holds_alternative<std::string>(path.elements.front().part)) {
    return Error::invalid(std::string("Invalid ") + where +
                          ": a document path must start with an attribute name; path: " +
                          describe_path(path));
  }
  for (const auto& e : path.elements) {
    if (const auto* key = std::get_if<std::string>(&e.part); key != nullptr && key->empty()) {
      return Error::invalid(std::string("Invalid ") + where +
                            ": an attribute name is empty; path: " + describe_path(path));
    }
  }
  return {};
}

Status check_disjoint(const std::vector<const Path*>& paths, const char* where) {
  for (const Path* p : paths) {
    if (Status s = check_path(*p, where); !s) return s;
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t j = i + 1; j < paths.size(); ++j) {
      const auto& a = paths[i]->elements;
      const auto& b = paths[j]->elements;
      std::size_t n = std::min(a.size(), b.size());
      std::size_t k = 0;
      while (k < n && a[k] == b[k]) ++k;
      const char* problem = k == n                                    ? "overlap"
                            : a[k].part.index() != b[k].part.index() ? "conflict"
                                                                      : nullptr;
      if (problem == nullptr) continue;
      // The message is built only on failure: updates are checked on every write.
      return Error::invalid(std::string("Invalid ") + where + ": Two document paths " + problem +
                            " with each other; must remove or rewrite one of these paths; " +
                            "path one: " + describe_path(*paths[i]) +
                            ", path two: " + describe_path(*paths[j]));
    }
  }
  return {};
}

}  // namespace detail

Status validate_projection(const Projection& projection) {
  std::vector<const Path*> paths;
  for (const auto& p : projection.paths) paths.push_back(&p);
  return detail::check_disjoint(paths, "ProjectionExpression");
}

Status validate_condition(const Cond& condition) {
  // The evaluator's errors depend only on the expression (see expression_condition.cpp), so
  // evaluating against an empty item finds exactly the static ones.
  auto r = evaluate(condition, Item{});
  if (!r) return Error(std::move(r).error());
  return {};
}

Operand operand(Path p) { return Operand{std::move(p)}; }
Operand operand(AttributeValue v) { return Operand{std::move(v)}; }
Operand size_of(Path p) { return Operand{SizeOf{std::move(p)}}; }

Cond::Cond(Condition c) : node_(std::make_shared<const Condition>(std::move(c))) {}

Cond Cond::compare(Comparator op, Operand lhs, Operand rhs) {
  return Cond(Condition{Comparison{op, std::move(lhs), std::move(rhs)}});
}
Cond Cond::eq(Path p, AttributeValue v) {
  return compare(Comparator::kEq, operand(std::move(p)), operand(std::move(v)));
}
Cond Cond::ne(Path p, AttributeValue v) {
  return compare(Comparator::kNe, operand(std::move(p)), operand(std::move(v)));
}
Cond Cond::between(Operand v, Operand low, Operand high) {
  return Cond(Condition{Between{std::move(v), std::move(low), std::move(high)}});
}
Cond Cond::in(Operand v, std::vector<Operand> candidates) {
  return Cond(Condition{In{std::move(v), std::move(candidates)}});
}
Cond Cond::begins_with(Path p, AttributeValue prefix) {
  return Cond(Condition{BeginsWith{std::move(p), operand(std::move(prefix))}});
}
Cond Cond::contains(Path p, AttributeValue v) {
  return Cond(Condition{Contains{std::move(p), operand(std::move(v))}});
}
Cond Cond::exists(Path p) { return Cond(Condition{AttributeExists{std::move(p)}}); }
Cond Cond::not_exists(Path p) { return Cond(Condition{AttributeNotExists{std::move(p)}}); }
Cond Cond::type_is(Path p, AttributeType t) {
  return Cond(Condition{AttributeTypeIs{std::move(p), t}});
}

Cond operator&&(const Cond& a, const Cond& b) { return Cond(Condition{And{a.ptr(), b.ptr()}}); }
Cond operator||(const Cond& a, const Cond& b) { return Cond(Condition{Or{a.ptr(), b.ptr()}}); }
Cond operator!(const Cond& a) { return Cond(Condition{Not{a.ptr()}}); }

const Update::Actions& Update::actions() const {
  static const Actions kNone;
  return actions_ ? *actions_ : kNone;
}
Update::Actions& Update::own_actions() {
  if (!actions_) actions_ = std::make_shared<Actions>();
  else if (actions_.use_count() > 1) actions_ = std::make_shared<Actions>(*actions_);
  return *actions_;
}

Update& Update::set(Path p, AttributeValue v) {
  own_actions().sets.push_back(SetAction{std::move(p), SetValue{Operand{std::move(v)}}});
  return *this;
}
Update& Update::set(Path p, SetValue v) {
  own_actions().sets.push_back(SetAction{std::move(p), std::move(v)});
  return *this;
}
Update& Update::remove(Path p) {
  own_actions().removes.push_back(RemoveAction{std::move(p)});
  return *this;
}
Update& Update::add(Path p, AttributeValue v) {
  own_actions().adds.push_back(AddAction{std::move(p), std::move(v)});
  return *this;
}
Update& Update::erase(Path p, AttributeValue set_value) {
  own_actions().deletes.push_back(DeleteAction{std::move(p), std::move(set_value)});
  return *this;
}
bool Update::empty() const {
  const Actions& a = actions();
  return a.sets.empty() && a.removes.empty() && a.adds.empty() && a.deletes.empty();
}

}  // namespace cartflow::model
