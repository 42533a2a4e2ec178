// SPDX-License-Identifier: Apache-2.0
#pragma once

// Products of the catalog, stored with the reference's attribute names (productId, name,
// category, description, price in integer minor units, package, pictures, tags, createdDate,
// modifiedDate) under PK "PRODUCT", SK "PRODUCT#<productId>". Pure, thread-safe.

#include <cstdint>
#include <optional>

#include "domain/validation.h"
#include "model/attribute_value.h"

namespace cartflow::domain {

// Checks a catalog entry (a plain-JSON object: productId an id, name a non-empty string, price
// an integer 0..kMaxMoney, category a string if present) and returns it as a stored item with
// its keys. `field` prefixes error paths (e.g. "products[3]").
Validated<model::Item> product_item(const model::Item& product, std::string_view field);

// The unit price of a stored product; std::nullopt when it is missing or not a valid amount.
std::optional<std::int64_t> product_price(const model::Item& item);

// The item as clients see it: without the key attributes PK, SK, GSI1PK/SK, GSI2PK/SK.
model::Item public_view(model::Item item);

}  // namespace cartflow::domain
