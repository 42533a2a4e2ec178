// SPDX-License-Identifier: Apache-2.0
#pragma once

// DynamoDB JSON: attribute values as the wire protocol and stream events carry them
// ({"S":"x"}, {"N":"12.5"}, {"B":"<base64>"}, {"M":{...}}, ...), and conversion between plain
// JSON documents and items the way the AWS SDKs' document clients do it.
// All functions are pure and thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace cartflow::model {

// Parses one attribute value in DynamoDB JSON, e.g. {"N":"12.5"}. Fails with kInvalidArgument
// and a message naming the path and the problem (unknown type, wrong JSON type, bad number,
// bad base64, empty or duplicate set, more than one type key, nesting deeper than 32).
Result<AttributeValue> parse_attribute_value(std::string_view json);
// Parses an item: a JSON object of attribute names to DynamoDB JSON values.
Result<Item> parse_item(std::string_view json);

// Reads an item in DynamoDB JSON without building an Item, for hot paths that need a few
// attributes (the order message of update-cart-status). The scanner is told about:
//   - every top-level attribute: its name, type, and for S, N, BOOL and NULL its text (S
//     unescaped; N as written, validated; BOOL "true"/"false"; NULL "");
//   - every element of a top-level L (index and type);
//   - every member of a map that is an element of a top-level L, in the same form.
// Everything else (deeper values, B, sets) is parsed and validated as parse_item would, then
// dropped. The views are valid only during the call. A callback returning an error stops the
// scan with that error. Fails with kInvalidArgument as parse_item does (duplicate attribute
// names are not detected). Thread-safe (a per-thread parser).
class ItemScanner {
 public:
  virtual ~ItemScanner() = default;
  virtual Status attribute(std::string_view name, AttributeType type, std::string_view text) = 0;
  virtual Status list_element(std::string_view list, std::size_t index, AttributeType type) = 0;
  virtual Status element_member(std::string_view list, std::size_t index, std::string_view name,
                                AttributeType type, std::string_view text) = 0;
};
Status scan_item(std::string_view json, ItemScanner& scanner);

// Reads only the top-level attributes of an item, for text already checked (check_item_json):
// the scanner is told each attribute's name and type and a scalar's text as scan_item tells
// them; list_element and element_member are never called, and the values it does not read
// (anything but a scalar, and any type key after the first) are skipped, not validated. Fails
// with kInvalidArgument on what it reads that is not DynamoDB JSON, or with the scanner's
// error. Thread-safe (a per-thread parser).
Status scan_item_scalars(std::string_view json, ItemScanner& scanner);

// Checks that `json` is an item in DynamoDB JSON exactly as parse_item would (the same
// failures, duplicate attribute names included) without building it: for text that is kept
// and forwarded as it is. Thread-safe (a per-thread parser).
Status check_item_json(std::string_view json);

// Serializes to compact DynamoDB JSON (numbers as canonical strings, B/BS as base64).
std::string to_dynamo_json(const AttributeValue& value);
std::string to_dynamo_json(const Item& item);
// Appends to `out` (avoids a copy on hot paths).
void append_dynamo_json(std::string& out, const AttributeValue& value);
void append_dynamo_json(std::string& out, const Item& item);

// Plain JSON <-> attribute values, like the SDKs' document clients (marshall/unmarshall):
// string -> S, number -> N (exact text kept), bool -> BOOL, null -> NULL, array -> L,
// object -> M. Sets and binary have no plain-JSON form: to_plain_json writes SS/NS/BS as arrays
// and B as base64 strings.
Result<AttributeValue> parse_plain_json(std::string_view json);
Result<Item> parse_plain_item(std::string_view json);  // top level must be an object
std::string to_plain_json(const AttributeValue& value);
std::string to_plain_json(const Item& item);
void append_plain_json(std::string& out, const AttributeValue& value);
void append_plain_json(std::string& out, const Item& item);

// Base64 (RFC 4648, with padding), as DynamoDB JSON carries binary.
std::string base64_encode(std::string_view bytes);
Result<std::string> base64_decode(std::string_view text);

// Appends `text` as a JSON string literal (quotes included), escaping as RFC 8259 requires:
// '"', '\\' and control characters escaped (\n, \t, ... or \u00XX); valid UTF-8 passed through;
// each byte of an invalid UTF-8 sequence written as \ufffd, so the output is always valid JSON.
// Parsers reject invalid UTF-8 in their input with kInvalidArgument.
void append_json_string(std::string& out, std::string_view text);

}  // namespace cartflow::model
