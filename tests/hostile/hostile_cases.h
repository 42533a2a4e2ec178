// SPDX-License-Identifier: Apache-2.0
#pragma once

// The catalogue of hostile HTTP requests: each is the exact bytes to send on a fresh connection
// and the status the server must answer with (always a JSON body with a "message"). None of them
// may write an item. Built from the keys and data of one test server.

#include <optional>
#include <string>
#include <vector>

namespace cartflow::testing {

struct HostileCase {
  std::string name;
  std::string request;                // bytes sent on a fresh connection
  int expected_status = 0;
  std::optional<std::string> prelude;  // sent (and answered) first on its own connection
  bool send_header_only = false;       // informational: the body is announced, never sent
};

struct CatalogueInputs {
  std::string key;            // an active key with a generous plan
  std::string revoked_key;    // a revoked key
  std::string throttled_key;  // rate 0.01/s, burst 1
  std::string quota_key;      // quota 1 per day
  std::string product_id;     // a product of the catalog
  std::string user_id;        // a user with one PENDING cart item (product_id, quantity 2)
};

std::vector<HostileCase> hostile_catalogue(const CatalogueInputs& in);

}  // namespace cartflow::testing
