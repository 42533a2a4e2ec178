// SPDX-License-Identifier: Apache-2.0
#pragma once

// The sample catalog bundled into the binary (20 products, our own data, the reference's
// fields). Thread-safe; the returned text lives for the whole program.

#include <string_view>

namespace cartflow::domain {

// A JSON array of product objects (productId, name, category, description, price, package,
// pictures, tags, createdDate, modifiedDate).
std::string_view sample_catalog_json();

}  // namespace cartflow::domain
