// SPDX-License-Identifier: Apache-2.0
#pragma once

// Typed DynamoDB expressions over document paths: conditions (ConditionExpression and
// FilterExpression), updates (UpdateExpression), key conditions (KeyConditionExpression) and
// projections (ProjectionExpression). Each is evaluated in C++ against an item with DynamoDB's
// semantics (used by the embedded store) and rendered to DynamoDB expression text with
// generated #name / :value placeholders (used by the AWS backend).
// Expressions are immutable values once built; evaluation and rendering are thread-safe.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/attribute_value.h"

namespace cartflow::model {

// ---------------------------------------------------------------------------------------------
// Paths: a.b[3].c is {Key "a", Key "b", Index 3, Key "c"}. Names are literal (no placeholders).
struct PathElement {
  std::variant<std::string, std::size_t> part;  // map key or list index
  bool operator==(const PathElement&) const = default;
};
struct Path {
  std::vector<PathElement> elements;
  bool operator==(const Path&) const = default;
};
// Path of a top-level attribute, e.g. path("PK").
Path path(std::string name);
// Path from dotted text with [n] indexes, e.g. path_of("a.b[3].c"). Names may not contain '.'
// or '[' here; build such paths element by element.
Path path_of(std::string_view dotted);

// Resolves a path in an item; nullptr when any step is missing or has the wrong type.
const AttributeValue* resolve(const Item& item, const Path& path);

// ---------------------------------------------------------------------------------------------
// Conditions.
struct SizeOf {
  Path path;
  bool operator==(const SizeOf&) const = default;
};
// An operand of a comparison: an attribute path, a literal value, or size(path).
struct Operand {
  std::variant<Path, AttributeValue, SizeOf> term;
  bool operator==(const Operand&) const = default;
};
Operand operand(Path p);
Operand operand(AttributeValue v);
Operand size_of(Path p);

enum class Comparator { kEq, kNe, kLt, kLe, kGt, kGe };

struct Condition;
using ConditionPtr = std::shared_ptr<const Condition>;

struct Comparison { Comparator op; Operand lhs; Operand rhs; };
struct Between { Operand value; Operand low; Operand high; };
struct In { Operand value; std::vector<Operand> candidates; };  // 1..100 candidates
struct BeginsWith { Path path; Operand prefix; };
struct Contains { Path path; Operand operand; };
struct AttributeExists { Path path; };
struct AttributeNotExists { Path path; };
struct AttributeTypeIs { Path path; AttributeType type; };
struct And { ConditionPtr lhs; ConditionPtr rhs; };
struct Or { ConditionPtr lhs; ConditionPtr rhs; };
struct Not { ConditionPtr operand; };

struct Condition {
  std::variant<Comparison, Between, In, BeginsWith, Contains, AttributeExists, AttributeNotExists,
               AttributeTypeIs, And, Or, Not>
      node;
};

// Builders. Condition values are cheap to copy (shared immutable nodes).
class Cond {
 public:
  explicit Cond(Condition c);
  const Condition& node() const { return *node_; }
  const ConditionPtr& ptr() const { return node_; }

  static Cond compare(Comparator op, Operand lhs, Operand rhs);
  static Cond eq(Path p, AttributeValue v);
  static Cond ne(Path p, AttributeValue v);
  static Cond between(Operand v, Operand low, Operand high);
  static Cond in(Operand v, std::vector<Operand> candidates);
  static Cond begins_with(Path p, AttributeValue prefix);
  static Cond contains(Path p, AttributeValue v);
  static Cond exists(Path p);
  static Cond not_exists(Path p);
  static Cond type_is(Path p, AttributeType t);

  friend Cond operator&&(const Cond& a, const Cond& b);
  friend Cond operator||(const Cond& a, const Cond& b);
  friend Cond operator!(const Cond& a);

 private:
  ConditionPtr node_;
};

// Evaluates a condition against an item (an absent item is an empty item), as DynamoDB does:
// comparing values of different types is false (except <> which is true), a missing attribute
// makes a comparison false (except <> which is true, as DynamoDB does), size() of a missing
// attribute (or of an N, BOOL or NULL) makes its comparison false, <> included. <, <=, >, >=
// and BETWEEN order only S (unsigned UTF-8 bytes), N (numerically) and B (unsigned bytes).
// size() of an S counts UTF-16 code units, as DynamoDB does ("é𝄞" has size 3).
// Fails with kInvalidArgument only where DynamoDB raises a ValidationException (e.g.
// attribute_type with an unknown type, contains with a non-scalar operand).
Result<bool> evaluate(const Cond& condition, const Item& item);

// ---------------------------------------------------------------------------------------------
// Updates.
struct IfNotExists { Path path; Operand fallback; };
struct ListAppend { Operand first; Operand second; };
// The right-hand side of SET: an operand, a + b, a - b, if_not_exists(...), list_append(...).
struct SetValue {
  struct Plus { Operand lhs; Operand rhs; };
  struct Minus { Operand lhs; Operand rhs; };
  std::variant<Operand, Plus, Minus, IfNotExists, ListAppend> value;
};
struct SetAction { Path path; SetValue value; };
struct RemoveAction { Path path; };
struct AddAction { Path path; AttributeValue value; };     // number or set
struct DeleteAction { Path path; AttributeValue value; };  // set

// Update values are cheap to copy: copies share their actions until one of them adds an
// action (then it takes a copy of its own), so one update can serve many requests.
class Update {
 public:
  Update& set(Path p, AttributeValue v);
  Update& set(Path p, SetValue v);
  Update& remove(Path p);
  Update& add(Path p, AttributeValue v);
  Update& erase(Path p, AttributeValue set_value);  // DELETE

  const std::vector<SetAction>& sets() const { return actions().sets; }
  const std::vector<RemoveAction>& removes() const { return actions().removes; }
  const std::vector<AddAction>& adds() const { return actions().adds; }
  const std::vector<DeleteAction>& deletes() const { return actions().deletes; }
  bool empty() const;

 private:
  struct Actions {
    std::vector<SetAction> sets;
    std::vector<RemoveAction> removes;
    std::vector<AddAction> adds;
    std::vector<DeleteAction> deletes;
  };
  const Actions& actions() const;
  Actions& own_actions();  // unshared, for a change

  std::shared_ptr<Actions> actions_;  // null: no actions
};

// Applies an update to `item` in place, as DynamoDB does: all right-hand sides are evaluated
// against the item as it was before the update. Fails with kInvalidArgument where DynamoDB
// raises a ValidationException (arithmetic on non-numbers, ADD/DELETE on the wrong type, a path
// through a missing map, overlapping paths, an update of a key attribute is checked by the
// caller). On failure `item` is left unchanged.
// Call it qualified (model::apply): Item is a std::map, so an unqualified call also finds
// std::apply by argument-dependent lookup and fails to compile.
Status apply(const Update& update, Item& item);

// ---------------------------------------------------------------------------------------------
// Key conditions: hash = v, optionally range (=, <, <=, >, >=, BETWEEN, begins_with).
struct KeyCondition {
  enum class RangeOp { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };
  struct Range {
    std::string name;
    RangeOp op;
    AttributeValue value;
    std::optional<AttributeValue> high;  // only for kBetween
  };
  std::string hash_name;
  AttributeValue hash_value;
  std::optional<Range> range;

  static KeyCondition hash(std::string name, AttributeValue value);
  KeyCondition& range_is(std::string name, RangeOp op, AttributeValue v,
                         std::optional<AttributeValue> high = std::nullopt);
};
// True when the item's key attributes satisfy the key condition (DynamoDB ordering for <, <=...:
// strings by UTF-8 bytes, numbers numerically, binary by unsigned bytes).
bool matches(const KeyCondition& key_condition, const Item& item);

// Projection: the paths to keep.
struct Projection {
  std::vector<Path> paths;
};
// Returns the item reduced to the projected paths (list elements keep their order, as DynamoDB
// returns them).
Item project(const Projection& projection, const Item& item);

// ---------------------------------------------------------------------------------------------
// Static validation: the checks DynamoDB makes on an expression before it reads any item, so
// that it answers ValidationException even when the item is absent, a condition is never
// evaluated (a filter over no items) or an earlier condition fails (a transaction fails with
// ValidationException, not TransactionCanceledException). kInvalidArgument or ok.
// validate_condition: the errors evaluate() can raise (BETWEEN bounds, begins_with/contains
// operand types, IN size, attribute_type names, paths). validate_update: target paths disjoint,
// ADD with a number or set, DELETE with a set. validate_projection: paths disjoint.
Status validate_condition(const Cond& condition);
Status validate_update(const Update& update);
Status validate_projection(const Projection& projection);

// DynamoDB's total order for key values of the same scalar type (S, N, B); values of different
// types order by type. Used for sort keys and query ordering.
std::strong_ordering compare_keys(const AttributeValue& a, const AttributeValue& b);

// ---------------------------------------------------------------------------------------------
// Rendering to DynamoDB expression text. One Renderer per request, shared by that request's
// expressions, so placeholders never collide: names become #n0, #n1..., values :v0, :v1...
class Renderer {
 public:
  std::string condition(const Cond& condition);
  std::string update(const Update& update);
  std::string key_condition(const KeyCondition& key_condition);
  std::string projection(const Projection& projection);

  // ExpressionAttributeNames / ExpressionAttributeValues for the request.
  const std::map<std::string, std::string>& names() const { return names_; }
  const std::map<std::string, AttributeValue>& values() const { return values_; }

 private:
  std::string name(const std::string& attribute);
  std::string value(const AttributeValue& v);
  std::string render_path(const Path& p);
  std::string render_operand(const Operand& o);
  std::string render_condition(const Condition& c);
  std::string render_set_value(const SetValue& v);

  std::map<std::string, std::string> names_;        // placeholder -> attribute name
  std::map<std::string, std::string> name_index_;   // attribute name -> placeholder
  std::map<std::string, AttributeValue> values_;    // placeholder -> value
};

}  // namespace cartflow::model
