// SPDX-License-Identifier: Apache-2.0
#pragma once

// Loading a product catalog into the table: shared by `POST /loadProducts` (the bundled sample)
// and `cartflow catalog load [FILE]`. Loading is idempotent: products are put by key, so loading
// the same catalog twice leaves the same items.

#include <cstddef>
#include <string_view>

#include "model/result.h"
#include "ports/table.h"

namespace cartflow::functions {

// Validates every entry of `catalog_json` (a JSON array of product objects with the reference's
// fields) before writing any, then writes them with batch writes (retrying unprocessed items).
// Returns the number of products. Fails with kInvalidArgument naming the entry
// ("products[3].price: ...") for bad input, or the table's error.
model::Result<std::size_t> load_catalog(ports::Table& table, std::string_view catalog_json);

}  // namespace cartflow::functions
