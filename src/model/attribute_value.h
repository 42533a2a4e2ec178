// SPDX-License-Identifier: Apache-2.0
#pragma once

// AttributeValue: one DynamoDB attribute value of any type (S, N, B, BOOL, NULL, M, L, SS, NS,
// BS), and Item, a map of attribute names to values. Values are plain data: copyable,
// comparable, not thread-safe to mutate concurrently.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/number.h"

namespace cartflow::model {

class AttributeValue;

// Bytes of a B value (raw bytes, not base64).
struct Bytes {
  std::string data;
  auto operator<=>(const Bytes&) const = default;
};
struct Null {
  auto operator<=>(const Null&) const = default;
};
// Sets keep DynamoDB's rule "non-empty, no duplicates"; the factories below enforce it.
struct StringSet {
  std::set<std::string> values;
  auto operator<=>(const StringSet&) const = default;
};
struct NumberSet {
  std::set<Number> values;
  bool operator==(const NumberSet&) const = default;
};
struct BinarySet {
  std::set<Bytes> values;
  auto operator<=>(const BinarySet&) const = default;
};
using Map = std::map<std::string, AttributeValue, std::less<>>;
using List = std::vector<AttributeValue>;
using Item = Map;

enum class AttributeType { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

// Returns DynamoDB's type descriptor: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
const char* type_descriptor(AttributeType type);
// Parses a type descriptor; fails with kInvalidArgument for anything else.
Result<AttributeType> parse_type_descriptor(std::string_view text);

class AttributeValue {
 public:
  using Variant =
      std::variant<std::string, Number, Bytes, bool, Null, Map, List, StringSet, NumberSet, BinarySet>;

  AttributeValue() : v_(Null{}) {}
  AttributeValue(std::string s) : v_(std::move(s)) {}      // NOLINT: S
  AttributeValue(const char* s) : v_(std::string(s)) {}    // NOLINT: S
  AttributeValue(Number n) : v_(std::move(n)) {}           // NOLINT: N
  AttributeValue(Bytes b) : v_(std::move(b)) {}            // NOLINT: B
  AttributeValue(bool b) : v_(b) {}                        // NOLINT: BOOL
  AttributeValue(Null n) : v_(n) {}                        // NOLINT: NULL
  AttributeValue(Map m) : v_(std::move(m)) {}              // NOLINT: M
  AttributeValue(List l) : v_(std::move(l)) {}             // NOLINT: L
  AttributeValue(StringSet s) : v_(std::move(s)) {}        // NOLINT: SS (must be non-empty)
  AttributeValue(NumberSet s) : v_(std::move(s)) {}        // NOLINT: NS (must be non-empty)
  AttributeValue(BinarySet s) : v_(std::move(s)) {}        // NOLINT: BS (must be non-empty)

  static AttributeValue integer(std::int64_t n) { return AttributeValue(Number::from_int(n)); }

  AttributeType type() const { return static_cast<AttributeType>(v_.index()); }
  const Variant& variant() const { return v_; }
  Variant& variant() { return v_; }

  bool is_s() const { return type() == AttributeType::kS; }
  bool is_n() const { return type() == AttributeType::kN; }
  bool is_m() const { return type() == AttributeType::kM; }
  bool is_l() const { return type() == AttributeType::kL; }

  // Typed access; return nullptr when the value has another type.
  const std::string* as_s() const { return std::get_if<std::string>(&v_); }
  const Number* as_n() const { return std::get_if<Number>(&v_); }
  const Bytes* as_b() const { return std::get_if<Bytes>(&v_); }
  const bool* as_bool() const { return std::get_if<bool>(&v_); }
  const Map* as_m() const { return std::get_if<Map>(&v_); }
  Map* as_m() { return std::get_if<Map>(&v_); }
  const List* as_l() const { return std::get_if<List>(&v_); }
  List* as_l() { return std::get_if<List>(&v_); }
  const StringSet* as_ss() const { return std::get_if<StringSet>(&v_); }
  const NumberSet* as_ns() const { return std::get_if<NumberSet>(&v_); }
  const BinarySet* as_bs() const { return std::get_if<BinarySet>(&v_); }

  // Deep equality as DynamoDB compares values (numbers numerically, sets as sets).
  bool operator==(const AttributeValue& other) const;

 private:
  Variant v_;
};

// Checks DynamoDB's structural rules recursively: sets non-empty, nesting depth at most 32,
// numbers already valid by construction. Fails with kInvalidArgument naming the offending path.
Status validate(const AttributeValue& value);
Status validate_item(const Item& item);

// Size in bytes as DynamoDB counts it toward the 400 KB item limit and capacity units:
// attribute name lengths (UTF-8) plus value sizes (strings: UTF-8 bytes; numbers: about 1 byte
// per 2 significant digits + 1; binary: bytes; BOOL/NULL: 1; M/L: 3 + contents + 1 per element).
std::size_t item_size(const Item& item);
std::size_t value_size(const AttributeValue& value);
// The size of a number given as its canonical text (Number::to_string()).
std::size_t number_text_size(std::string_view canonical_text);

inline constexpr std::size_t kMaxItemSize = 400 * 1024;
inline constexpr int kMaxNestingDepth = 32;

}  // namespace cartflow::model
