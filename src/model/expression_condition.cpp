// SPDX-License-Identifier: Apache-2.0
// Condition evaluation with DynamoDB's semantics.
//
// Errors depend only on the expression, never on the item (DynamoDB validates expressions
// before it reads the item), so AND / OR evaluate both sides instead of short-circuiting.

#include <variant>

#include "model/expression.h"
#include "model/expression_internal.h"

namespace cartflow::model {
namespace {

constexpr std::size_t kMaxInCandidates = 100;

// size() of a missing attribute, or of one without a size (N, BOOL, NULL): every comparison
// with it is false, `<>` included (unlike a plain missing attribute, which `<>` finds unequal).
struct NoSize {};

// An operand's value: missing, borrowed from the item/expression, computed (size()), or NoSize.
using Val = std::variant<std::monostate, const AttributeValue*, AttributeValue, NoSize>;

bool no_size(const Val& v) { return std::holds_alternative<NoSize>(v); }

const AttributeValue* get(const Val& v) {
  if (const auto* p = std::get_if<const AttributeValue*>(&v)) return *p;
  if (const auto* owned = std::get_if<AttributeValue>(&v)) return owned;
  return nullptr;
}

std::string incorrect_operand(const char* function, const AttributeValue& v) {
  return std::string("Invalid ConditionExpression: Incorrect operand type for operator or "
                     "function; operator or function: ") +
         function + ", operand type: " + type_descriptor(v.type());
}

class Evaluator {
 public:
  explicit Evaluator(const Item& item) : item_(item) {}

  Result<bool> eval(const Condition& c) {
    return std::visit([this](const auto& node) { return eval_node(node); }, c.node);
  }

 private:
  Result<Val> value_of(const Operand& o) {
    if (const auto* p = std::get_if<Path>(&o.term)) {
      if (Status s = detail::check_path(*p, "ConditionExpression"); !s) return Error(s.error());
      return Val{resolve(item_, *p)};
    }
    if (const auto* v = std::get_if<AttributeValue>(&o.term)) return Val{v};
    const auto& size = std::get<SizeOf>(o.term);
    if (Status s = detail::check_path(size.path, "ConditionExpression"); !s) {
      return Error(s.error());
    }
    const AttributeValue* target = resolve(item_, size.path);
    if (target == nullptr) return Val{NoSize{}};
    auto n = detail::size_function(*target);
    if (!n) return Val{NoSize{}};
    return Val{AttributeValue::integer(static_cast<std::int64_t>(*n))};
  }

  static bool compare(Comparator op, const AttributeValue* a, const AttributeValue* b) {
    bool equal = a != nullptr && b != nullptr && *a == *b;
    if (op == Comparator::kEq) return equal;
    if (op == Comparator::kNe) return !equal;  // a missing or differently typed value is unequal
    if (a == nullptr || b == nullptr) return false;
    auto order = detail::compare_scalars(*a, *b);
    if (!order) return false;
    switch (op) {
      case Comparator::kLt: return *order < 0;
      case Comparator::kLe: return *order <= 0;
      case Comparator::kGt: return *order > 0;
      case Comparator::kGe: return *order >= 0;
      default: return false;
    }
  }

  // <, <=, >, >= and BETWEEN order only S, N and B: a literal of another type is a static
  // ValidationException, as in DynamoDB.
  static Status check_orderable(const char* op, const Operand& o) {
    const auto* literal = std::get_if<AttributeValue>(&o.term);
    if (literal == nullptr || literal->is_s() || literal->is_n() || literal->as_b() != nullptr) return {};
    return Error::invalid(incorrect_operand(op, *literal));
  }

  Result<bool> eval_node(const Comparison& c) {
    if (c.op != Comparator::kEq && c.op != Comparator::kNe) {
      static const char* const kOps[] = {"=", "<>", "<", "<=", ">", ">="};
      const char* name = kOps[static_cast<int>(c.op)];
      if (Status s = check_orderable(name, c.lhs); !s) return Error(s.error());
      if (Status s = check_orderable(name, c.rhs); !s) return Error(s.error());
    }
    auto l = value_of(c.lhs);
    if (!l) return Error(l.error());
    auto r = value_of(c.rhs);
    if (!r) return Error(r.error());
    if (no_size(*l) || no_size(*r)) return false;
    return compare(c.op, get(*l), get(*r));
  }

  Result<bool> eval_node(const Between& b) {
    auto v = value_of(b.value);
    if (!v) return Error(v.error());
    auto lo = value_of(b.low);
    if (!lo) return Error(lo.error());
    auto hi = value_of(b.high);
    if (!hi) return Error(hi.error());
    for (const Operand* o : {&b.value, &b.low, &b.high}) {
      if (Status s = check_orderable("BETWEEN", *o); !s) return Error(s.error());
    }
    const auto* low_literal = std::get_if<AttributeValue>(&b.low.term);
    const auto* high_literal = std::get_if<AttributeValue>(&b.high.term);
    if (low_literal != nullptr && high_literal != nullptr) {
      if (low_literal->type() != high_literal->type()) {
        return Error::invalid(
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for "
            "lower and upper bounds");
      }
      auto order = detail::compare_scalars(*low_literal, *high_literal);
      if (order && *order > 0) {
        return Error::invalid(
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be "
            "greater than or equal to lower bound");
      }
    }
    if (no_size(*v) || no_size(*lo) || no_size(*hi)) return false;
    const AttributeValue* value = get(*v);
    return compare(Comparator::kGe, value, get(*lo)) && compare(Comparator::kLe, value, get(*hi));
  }

  Result<bool> eval_node(const In& in) {
    if (in.candidates.empty() || in.candidates.size() > kMaxInCandidates) {
      return Error::invalid(
          "Invalid ConditionExpression: The IN operator takes between 1 and 100 operands");
    }
    auto v = value_of(in.value);
    if (!v) return Error(v.error());
    bool found = false;
    for (const auto& candidate : in.candidates) {
      auto c = value_of(candidate);
      if (!c) return Error(c.error());
      found = found || (!no_size(*v) && !no_size(*c) && compare(Comparator::kEq, get(*v), get(*c)));
    }
    return found;
  }

  Result<bool> eval_node(const BeginsWith& b) {
    if (Status s = detail::check_path(b.path, "ConditionExpression"); !s) return Error(s.error());
    auto prefix = value_of(b.prefix);
    if (!prefix) return Error(prefix.error());
    if (const auto* literal = std::get_if<AttributeValue>(&b.prefix.term)) {
      if (!literal->is_s() && literal->as_b() == nullptr) {
        return Error::invalid(incorrect_operand("begins_with", *literal));
      }
    }
    const AttributeValue* target = resolve(item_, b.path);
    const AttributeValue* p = get(*prefix);
    if (target == nullptr || p == nullptr || target->type() != p->type()) return false;
    if (target->is_s()) return target->as_s()->starts_with(*p->as_s());
    if (target->as_b() != nullptr) return target->as_b()->data.starts_with(p->as_b()->data);
    return false;
  }

  Result<bool> eval_node(const Contains& c) {
    if (Status s = detail::check_path(c.path, "ConditionExpression"); !s) return Error(s.error());
    auto operand_value = value_of(c.operand);
    if (!operand_value) return Error(operand_value.error());
    if (const auto* literal = std::get_if<AttributeValue>(&c.operand.term)) {
      switch (literal->type()) {
        case AttributeType::kM: case AttributeType::kL: case AttributeType::kSS:
        case AttributeType::kNS: case AttributeType::kBS:
          return Error::invalid(incorrect_operand("contains", *literal));
        default: break;
      }
    }
    const AttributeValue* target = resolve(item_, c.path);
    const AttributeValue* needle = get(*operand_value);
    if (target == nullptr || needle == nullptr) return false;
    switch (target->type()) {
      case AttributeType::kS:
        return needle->is_s() && target->as_s()->find(*needle->as_s()) != std::string::npos;
      case AttributeType::kB:
        return needle->as_b() != nullptr &&
               target->as_b()->data.find(needle->as_b()->data) != std::string::npos;
      case AttributeType::kSS:
        return needle->is_s() && target->as_ss()->values.count(*needle->as_s()) > 0;
      case AttributeType::kNS:
        return needle->is_n() && target->as_ns()->values.count(*needle->as_n()) > 0;
      case AttributeType::kBS:
        return needle->as_b() != nullptr && target->as_bs()->values.count(*needle->as_b()) > 0;
      case AttributeType::kL:
        for (const auto& element : *target->as_l()) {
          if (element == *needle) return true;
        }
        return false;
      default: return false;
    }
  }

  Result<bool> eval_node(const AttributeExists& e) {
    if (Status s = detail::check_path(e.path, "ConditionExpression"); !s) return Error(s.error());
    return resolve(item_, e.path) != nullptr;
  }
  Result<bool> eval_node(const AttributeNotExists& e) {
    if (Status s = detail::check_path(e.path, "ConditionExpression"); !s) return Error(s.error());
    return resolve(item_, e.path) == nullptr;
  }
  Result<bool> eval_node(const AttributeTypeIs& t) {
    if (Status s = detail::check_path(t.path, "ConditionExpression"); !s) return Error(s.error());
    auto raw = static_cast<int>(t.type);
    if (raw < 0 || raw > static_cast<int>(AttributeType::kBS)) {
      return Error::invalid("Invalid ConditionExpression: Invalid attribute type name found");
    }
    const AttributeValue* target = resolve(item_, t.path);
    return target != nullptr && target->type() == t.type;
  }

  Result<bool> eval_node(const And& a) {
    if (!a.lhs || !a.rhs) return Error::invalid("Invalid ConditionExpression: empty operand");
    auto l = eval(*a.lhs);
    if (!l) return l;
    auto r = eval(*a.rhs);
    if (!r) return r;
    return *l && *r;
  }
  Result<bool> eval_node(const Or& o) {
    if (!o.lhs || !o.rhs) return Error::invalid("Invalid ConditionExpression: empty operand");
    auto l = eval(*o.lhs);
    if (!l) return l;
    auto r = eval(*o.rhs);
    if (!r) return r;
    return *l || *r;
  }
  Result<bool> eval_node(const Not& n) {
    if (!n.operand) return Error::invalid("Invalid ConditionExpression: empty operand");
    auto v = eval(*n.operand);
    if (!v) return v;
    return !*v;
  }

  const Item& item_;
};

}  // namespace

Result<bool> evaluate(const Cond& condition, const Item& item) {
  return Evaluator(item).eval(condition.node());
}

}  // namespace cartflow::model
