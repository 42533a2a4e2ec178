// SPDX-License-Identifier: Apache-2.0
#include "functions/api_idempotency.h"

#include "domain/keys.h"
#include "domain/time.h"
#include "model/dynamo_json.h"
#include "model/expression.h"
#include "util/hash.h"

namespace cartflow::functions::api {

namespace {

constexpr std::string_view kHeader = "Idempotency-Key";

model::Item record_key(const std::string& key) {
  std::string pk = domain::idempotency_pk(key);
  return model::Item{{std::string(domain::kPk), pk}, {std::string(domain::kSk), pk}};
}

std::int64_t integer_at(const model::Item& item, std::string_view name) {
  auto it = item.find(name);
  if (it == item.end() || it->second.as_n() == nullptr) return 0;
  auto v = it->second.as_n()->to_int64();
  return v.ok() ? *v : 0;
}

std::string string_at(const model::Item& item, std::string_view name) {
  auto it = item.find(name);
  return it == item.end() || it->second.as_s() == nullptr ? std::string() : *it->second.as_s();
}

}  // namespace

Idempotency::Idempotency(RequestContext& ctx) : ctx_(ctx) {
  auto key = ctx.request.header(kHeader);
  if (!key) return;
  if (!domain::is_valid_idempotency_key(*key)) {
    early_ = error_response(ctx, 400, "INVALID_HEADER",
                            "Idempotency-Key must be 1 to 255 printable ASCII characters",
                            kHeader);
    return;
  }
  key_ = *key;
  // The same JSON with other spacing or member order is the same request.
  std::string canonical(ctx.body);
  if (auto parsed = model::parse_plain_json(ctx.body); parsed.ok()) {
    canonical = model::to_plain_json(*parsed);
  }
  hash_ = util::sha256_hex(std::string(ctx.request.method) + "\n" + std::string(ctx.request.path) + "\n" +
                     canonical);
  auto record = ctx.table.get(ports::GetRequest{record_key(*key_), true, std::nullopt});
  if (!record.ok()) {
    early_ = store_error(ctx, record.error());
    return;
  }
  early_ = check(*record);
}

std::optional<ApiResponse> Idempotency::check(const std::optional<model::Item>& record) {
  if (!record) return std::nullopt;
  std::int64_t now_s = ctx_.clock.now_ms() / 1000;
  if (integer_at(*record, "expires_at") <= now_s) return std::nullopt;
  if (string_at(*record, "request_hash") != hash_) {
    return error_response(ctx_, 422, "IDEMPOTENCY_KEY_REUSED",
                          "Idempotency-Key was already used with another request", kHeader);
  }
  ApiResponse replay =
      json_response(ctx_, static_cast<int>(integer_at(*record, "status_code")),
                    string_at(*record, "response_body"));
  replay.headers.emplace_back("Idempotent-Replayed", "true");
  return replay;
}

ports::TransactAction Idempotency::record(const ApiResponse& response) const {
  std::int64_t now_ms = ctx_.clock.now_ms();
  model::Item item = record_key(*key_);
  item["request_hash"] = hash_;
  item["status_code"] = model::AttributeValue::integer(response.status);
  item["response_body"] = response.body;
  item["expires_at"] = model::AttributeValue::integer(now_ms / 1000 + ctx_.config.idempotency_ttl_s);
  item["created_at"] = domain::iso8601_ms(now_ms);
  model::Cond absent_or_expired =
      model::Cond::not_exists(model::path(std::string(domain::kPk))) ||
      model::Cond::compare(model::Comparator::kLe, model::operand(model::path("expires_at")),
                           model::operand(model::AttributeValue::integer(now_ms / 1000)));
  return ports::TransactAction{ports::PutRequest{std::move(item), absent_or_expired}};
}

std::optional<ApiResponse> Idempotency::after_conflict() {
  auto record = ctx_.table.get(ports::GetRequest{record_key(*key_), true, std::nullopt});
  if (!record.ok()) return store_error(ctx_, record.error());
  return check(*record);
}

}  // namespace cartflow::functions::api
