// SPDX-License-Identifier: Apache-2.0
#pragma once

// Idempotency-Key for POST /order and POST /cart/{user_id}. The first successful response is
// stored as an item (PK = SK = "IDEMPOTENCY#<key>", see domain/keys.h) in the SAME transaction
// as the request's writes, with the SHA-256 of method, path and canonical body and an expiry
// (config.idempotency_ttl_s, 24 h). A retry with the same key and body gets that response back
// (header Idempotent-Replayed: true) and writes nothing; another body gets 422
// IDEMPOTENCY_KEY_REUSED; an expired record counts as absent. Failed requests write nothing
// and store nothing, so their retries run again.

#include <optional>
#include <string>

#include "functions/api_internal.h"

namespace cartflow::functions::api {

class Idempotency {
 public:
  // Reads the Idempotency-Key header and any live record. When `early()` is set afterwards,
  // send it (a replay, a 400 for a malformed key, a 422 for a reused key, or a store error).
  explicit Idempotency(RequestContext& ctx);

  const std::optional<ApiResponse>& early() const { return early_; }
  bool active() const { return key_.has_value(); }

  // The put of the record for `response`, conditional on no live record; add it as the last
  // action of the request's transaction. Only when active().
  ports::TransactAction record(const ApiResponse& response) const;

  // After the request's transaction failed on a condition: when a concurrent request with the
  // same key committed first, the response to send (its replay, or 422 for another body);
  // std::nullopt when no live record exists (the failure has another cause). Only when active().
  std::optional<ApiResponse> after_conflict();

 private:
  // The response for a live record, or std::nullopt when the record is absent or expired.
  std::optional<ApiResponse> check(const std::optional<model::Item>& record);

  RequestContext& ctx_;
  std::optional<std::string> key_;
  std::string hash_;
  std::optional<ApiResponse> early_;
};

}  // namespace cartflow::functions::api
