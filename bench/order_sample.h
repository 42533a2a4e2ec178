// SPDX-License-Identifier: Apache-2.0
#pragma once

// A typical order item as DynamoDB JSON (about 1.5 KB, 5 order_items), shared by the model
// benchmarks.

#include <string>

namespace cartflow::bench {

inline std::string order_item_json() {
  std::string items;
  const char* names[] = {"Espresso beans 1kg", "Ceramic mug \\u00e9dition", "Milk frother",
                         "Paper filters (100)", "Gift card"};
  for (int i = 0; i < 5; ++i) {
    if (i) items += ",";
    items += R"({"M":{"product_id":{"S":"PROD#00)" + std::to_string(1000 + i) +
             R"("},"name":{"S":")" + names[i] + R"("},"quantity":{"N":")" + std::to_string(i + 1) +
             R"("},"unit_price":{"N":")" + std::to_string(9 + i * 7) + R"(.95"},"cart_item_sk":{"S":"CART#2024-05-0)" +
             std::to_string(i + 1) + R"(T10:00:00Z#PROD#00)" + std::to_string(1000 + i) +
             R"("},"gift":{"BOOL":)" + (i % 2 ? "true" : "false") + R"(}}})";
  }
  return R"({"PK":{"S":"USER#6f1c2a9e-8d3b-4c55-9a7e-0b6f2d7c1e42"},)"
         R"("SK":{"S":"ORDER#2024-05-01T10:15:30.123Z#01HX3K9V6Q"},)"
         R"("order_status":{"S":"ORDERED"},"total":{"N":"214.75"},"currency":{"S":"EUR"},)"
         R"("created_at":{"S":"2024-05-01T10:15:30.123Z"},"version":{"N":"1"},)"
         R"("shipping_address":{"M":{"name":{"S":"Jane Doe"},"line1":{"S":"12 Rue de la Paix"},)"
         R"("city":{"S":"Paris"},"postcode":{"S":"75002"},"country":{"S":"FR"}}},)"
         R"("tags":{"SS":["first-order","promo-spring"]},"note":{"NULL":true},)"
         R"("order_items":{"L":[)" + items + "]}}";
}

}  // namespace cartflow::bench
