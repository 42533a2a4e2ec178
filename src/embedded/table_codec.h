// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the embedded layer: how items and keys are stored.
//
// Keys: a type byte ('B', 'N', 'S') followed by the value's bytes (UTF-8 for S,
// Number::sortable_bytes() for N, raw bytes for B), so that SQLite's BLOB order (memcmp, then
// length) is DynamoDB's key order within a type. A table without a sort key stores an empty sk.
//
// Items: a compact binary encoding (one tag byte per value, varint lengths), about 2x faster
// to decode than DynamoDB JSON and free of base64. Pure functions, thread-safe.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace cartflow::embedded {

using model::AttributeValue;
using model::Item;

// True for the key types DynamoDB allows (S, N, B).
bool is_key_type(const AttributeValue& value);
// Encodes a key value (S, N or B) as above; other types give an empty string.
std::string encode_key(const AttributeValue& value);
// Smallest encoded key strictly greater than every key starting with `prefix` (for
// begins_with and type ranges). `prefix` must not be all 0xff bytes (type bytes never are).
std::string key_successor(std::string prefix);

// Appends the item's binary encoding to `out`.
void encode_item(const Item& item, std::string& out);
std::string encode_item(const Item& item);
// Decodes an item; fails with kInternal on corrupt data.
model::Result<Item> decode_item(std::string_view bytes);
// Appends the stored item as a plain JSON object, byte for byte what model::to_plain_json
// writes for decode_item's result, leaving out the top-level attributes named in `drop`; no
// Item is built. Returns the item's model::item_size (dropped attributes included). Fails with
// kInternal on corrupt data, leaving `out` as it was.
model::Result<std::size_t> append_plain_json(std::string_view bytes,
                                             std::span<const std::string_view> drop,
                                             std::string& out);

}  // namespace cartflow::embedded
