// SPDX-License-Identifier: Apache-2.0
// Rendering typed expressions to DynamoDB expression text with #n / :v placeholders.

#include <utility>

#include "model/expression.h"

namespace cartflow::model {
namespace {

const char* comparator_text(Comparator op) {
  switch (op) {
    case Comparator::kEq: return "=";
    case Comparator::kNe: return "<>";
    case Comparator::kLt: return "<";
    case Comparator::kLe: return "<=";
    case Comparator::kGt: return ">";
    case Comparator::kGe: return ">=";
  }
  return "=";
}

bool is_and(const ConditionPtr& c) { return c && std::holds_alternative<And>(c->node); }
bool is_or(const ConditionPtr& c) { return c && std::holds_alternative<Or>(c->node); }
bool is_not(const ConditionPtr& c) { return c && std::holds_alternative<Not>(c->node); }

std::string parenthesize(std::string text) { return "(" + std::move(text) + ")"; }

}  // namespace

std::string Renderer::name(const std::string& attribute) {
  auto it = name_index_.find(attribute);
  if (it != name_index_.end()) return it->second;
  std::string placeholder = "#n" + std::to_string(names_.size());
  names_.emplace(placeholder, attribute);
  name_index_.emplace(attribute, placeholder);
  return placeholder;
}

std::string Renderer::value(const AttributeValue& v) {
  std::string placeholder = ":v" + std::to_string(values_.size());
  values_.emplace(placeholder, v);
  return placeholder;
}

std::string Renderer::render_path(const Path& p) {
  std::string out;
  for (const auto& e : p.elements) {
    if (const auto* key = std::get_if<std::string>(&e.part)) {
      if (!out.empty()) out += '.';
      out += name(*key);
    } else {
      out += "[" + std::to_string(std::get<std::size_t>(e.part)) + "]";
    }
  }
  return out;
}

std::string Renderer::render_operand(const Operand& o) {
  if (const auto* p = std::get_if<Path>(&o.term)) return render_path(*p);
  if (const auto* v = std::get_if<AttributeValue>(&o.term)) return value(*v);
  return "size(" + render_path(std::get<SizeOf>(o.term).path) + ")";
}

// AND binds tighter than OR, NOT tighter than AND; both are rendered left-associative, so a
// right operand of the same operator keeps its parentheses and the tree survives a re-parse.
std::string Renderer::render_condition(const Condition& c) {
  if (const auto* x = std::get_if<Comparison>(&c.node)) {
    std::string lhs = render_operand(x->lhs);
    return lhs + " " + comparator_text(x->op) + " " + render_operand(x->rhs);
  }
  if (const auto* x = std::get_if<Between>(&c.node)) {
    std::string v = render_operand(x->value);
    std::string low = render_operand(x->low);
    return v + " BETWEEN " + low + " AND " + render_operand(x->high);
  }
  if (const auto* x = std::get_if<In>(&c.node)) {
    std::string out = render_operand(x->value) + " IN (";
    for (std::size_t i = 0; i < x->candidates.size(); ++i) {
      if (i > 0) out += ", ";
      out += render_operand(x->candidates[i]);
    }
    return out + ")";
  }
  if (const auto* x = std::get_if<BeginsWith>(&c.node)) {
    std::string p = render_path(x->path);
    return "begins_with(" + p + ", " + render_operand(x->prefix) + ")";
  }
  if (const auto* x = std::get_if<Contains>(&c.node)) {
    std::string p = render_path(x->path);
    return "contains(" + p + ", " + render_operand(x->operand) + ")";
  }
  if (const auto* x = std::get_if<AttributeExists>(&c.node)) {
    return "attribute_exists(" + render_path(x->path) + ")";
  }
  if (const auto* x = std::get_if<AttributeNotExists>(&c.node)) {
    return "attribute_not_exists(" + render_path(x->path) + ")";
  }
  if (const auto* x = std::get_if<AttributeTypeIs>(&c.node)) {
    std::string p = render_path(x->path);
    return "attribute_type(" + p + ", " + value(AttributeValue(type_descriptor(x->type))) + ")";
  }
  if (const auto* x = std::get_if<And>(&c.node)) {
    std::string lhs = x->lhs ? render_condition(*x->lhs) : "";
    if (is_or(x->lhs)) lhs = parenthesize(std::move(lhs));
    std::string rhs = x->rhs ? render_condition(*x->rhs) : "";
    if (is_or(x->rhs) || is_and(x->rhs)) rhs = parenthesize(std::move(rhs));
    return lhs + " AND " + rhs;
  }
  if (const auto* x = std::get_if<Or>(&c.node)) {
    std::string lhs = x->lhs ? render_condition(*x->lhs) : "";
    std::string rhs = x->rhs ? render_condition(*x->rhs) : "";
    if (is_or(x->rhs)) rhs = parenthesize(std::move(rhs));
    return lhs + " OR " + rhs;
  }
  const auto& n = std::get<Not>(c.node);
  std::string inner = n.operand ? render_condition(*n.operand) : "";
  if (is_and(n.operand) || is_or(n.operand) || is_not(n.operand)) {
    inner = parenthesize(std::move(inner));
  }
  return "NOT " + inner;
}

std::string Renderer::render_set_value(const SetValue& v) {
  if (const auto* o = std::get_if<Operand>(&v.value)) return render_operand(*o);
  if (const auto* x = std::get_if<SetValue::Plus>(&v.value)) {
    std::string lhs = render_operand(x->lhs);
    return lhs + " + " + render_operand(x->rhs);
  }
  if (const auto* x = std::get_if<SetValue::Minus>(&v.value)) {
    std::string lhs = render_operand(x->lhs);
    return lhs + " - " + render_operand(x->rhs);
  }
  if (const auto* x = std::get_if<IfNotExists>(&v.value)) {
    std::string p = render_path(x->path);
    return "if_not_exists(" + p + ", " + render_operand(x->fallback) + ")";
  }
  const auto& x = std::get<ListAppend>(v.value);
  std::string first = render_operand(x.first);
  return "list_append(" + first + ", " + render_operand(x.second) + ")";
}

std::string Renderer::condition(const Cond& condition) { return render_condition(condition.node()); }

std::string Renderer::update(const Update& update) {
  std::string out;
  auto clause = [&out](const char* keyword) {
    if (!out.empty()) out += ' ';
    out += keyword;
    out += ' ';
  };
  if (!update.sets().empty()) {
    clause("SET");
    for (std::size_t i = 0; i < update.sets().size(); ++i) {
      if (i > 0) out += ", ";
      out += render_path(update.sets()[i].path);
      out += " = ";
      out += render_set_value(update.sets()[i].value);
    }
  }
  if (!update.removes().empty()) {
    clause("REMOVE");
    for (std::size_t i = 0; i < update.removes().size(); ++i) {
      if (i > 0) out += ", ";
      out += render_path(update.removes()[i].path);
    }
  }
  auto path_value = [&](const Path& p, const AttributeValue& v, bool first) {
    if (!first) out += ", ";
    out += render_path(p);
    out += ' ';
    out += value(v);
  };
  if (!update.adds().empty()) {
    clause("ADD");
    for (std::size_t i = 0; i < update.adds().size(); ++i) {
      path_value(update.adds()[i].path, update.adds()[i].value, i == 0);
    }
  }
  if (!update.deletes().empty()) {
    clause("DELETE");
    for (std::size_t i = 0; i < update.deletes().size(); ++i) {
      path_value(update.deletes()[i].path, update.deletes()[i].value, i == 0);
    }
  }
  return out;
}

std::string Renderer::key_condition(const KeyCondition& kc) {
  std::string out = name(kc.hash_name);  // separate statements keep placeholder order fixed
  out += " = " + value(kc.hash_value);
  if (!kc.range) return out;
  const auto& r = *kc.range;
  std::string n = name(r.name);
  out += " AND ";
  switch (r.op) {
    case KeyCondition::RangeOp::kEq: return out + n + " = " + value(r.value);
    case KeyCondition::RangeOp::kLt: return out + n + " < " + value(r.value);
    case KeyCondition::RangeOp::kLe: return out + n + " <= " + value(r.value);
    case KeyCondition::RangeOp::kGt: return out + n + " > " + value(r.value);
    case KeyCondition::RangeOp::kGe: return out + n + " >= " + value(r.value);
    case KeyCondition::RangeOp::kBetween: {
      std::string low = value(r.value);
      return out + n + " BETWEEN " + low + " AND " + value(r.high.value_or(r.value));
    }
    case KeyCondition::RangeOp::kBeginsWith:
      return out + "begins_with(" + n + ", " + value(r.value) + ")";
  }
  return out;
}

std::string Renderer::projection(const Projection& projection) {
  std::string out;
  for (std::size_t i = 0; i < projection.paths.size(); ++i) {
    if (i > 0) out += ", ";
    out += render_path(projection.paths[i]);
  }
  return out;
}

}  // namespace cartflow::model
