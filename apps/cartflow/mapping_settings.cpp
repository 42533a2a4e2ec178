// SPDX-License-Identifier: Apache-2.0
#include "mapping_settings.h"

#include "model/attribute_value.h"
#include "model/dynamo_json.h"

namespace cartflow::app {

namespace {

using model::AttributeValue;
using model::Error;
using model::Map;

// Typed access to the settings document, with errors that name the property.
class Reader {
 public:
  Reader(const Map& map, std::string path) : map_(map), path_(std::move(path)) {}

  model::Result<const Map*> object(std::string_view key) const {
    auto v = find(key);
    if (!v.ok()) return std::move(v).error();
    if (const Map* m = (*v)->as_m()) return m;
    return wrong(key, "an object");
  }
  model::Result<int> integer(std::string_view key) const {
    auto v = find(key);
    if (!v.ok()) return std::move(v).error();
    if (const model::Number* n = (*v)->as_n()) {
      if (auto i = n->to_int64(); i.ok()) return static_cast<int>(*i);
    }
    return wrong(key, "an integer");
  }
  model::Result<bool> boolean(std::string_view key) const {
    auto v = find(key);
    if (!v.ok()) return std::move(v).error();
    if (const bool* b = (*v)->as_bool()) return *b;
    return wrong(key, "a boolean");
  }
  model::Result<std::string> string(std::string_view key) const {
    auto v = find(key);
    if (!v.ok()) return std::move(v).error();
    if (const std::string* s = (*v)->as_s()) return *s;
    return wrong(key, "a string");
  }
  // True when the list `key` holds the string `value`.
  bool list_contains(std::string_view key, std::string_view value) const {
    auto it = map_.find(key);
    if (it == map_.end() || it->second.as_l() == nullptr) return false;
    for (const AttributeValue& v : *it->second.as_l()) {
      if (v.as_s() != nullptr && *v.as_s() == value) return true;
    }
    return false;
  }
  std::string path(std::string_view key) const { return path_ + "." + std::string(key); }

 private:
  model::Result<const AttributeValue*> find(std::string_view key) const {
    auto it = map_.find(key);
    if (it == map_.end()) return Error::invalid(path(key) + " is missing");
    return &it->second;
  }
  Error wrong(std::string_view key, std::string_view what) const {
    return Error::invalid(path(key) + " must be " + std::string(what));
  }
  const Map& map_;
  std::string path_;
};

#define CARTFLOW_TRY(var, expr)                     \
  auto var##_result = (expr);                       \
  if (!var##_result.ok()) return std::move(var##_result).error(); \
  auto var = std::move(var##_result.value())

model::Status read_stream(const Reader& r, platform::StreamMappingConfig& c) {
  c.mapping_id = kOrderStreamMappingId;
  CARTFLOW_TRY(position, r.string("StartingPosition"));
  CARTFLOW_TRY(parsed_position, platform::parse_starting_position(position));
  c.starting_position = parsed_position;
  CARTFLOW_TRY(batch_size, r.integer("BatchSize"));
  c.batch_size = batch_size;
  CARTFLOW_TRY(window, r.integer("MaximumBatchingWindowInSeconds"));
  c.maximum_batching_window_seconds = window;
  CARTFLOW_TRY(bisect, r.boolean("BisectBatchOnFunctionError"));
  c.bisect_batch_on_function_error = bisect;
  CARTFLOW_TRY(retries, r.integer("MaximumRetryAttempts"));
  c.maximum_retry_attempts = retries;
  CARTFLOW_TRY(age, r.integer("MaximumRecordAgeInSeconds"));
  c.maximum_record_age_seconds = age;
  c.report_batch_item_failures = r.list_contains("FunctionResponseTypes", "ReportBatchItemFailures");
  CARTFLOW_TRY(criteria, r.object("FilterCriteria"));
  auto filters = criteria->find("Filters");
  if (filters == criteria->end() || filters->second.as_l() == nullptr) {
    return Error::invalid(r.path("FilterCriteria.Filters") + " must be a list");
  }
  for (const AttributeValue& f : *filters->second.as_l()) {
    const Map* filter = f.as_m();
    if (filter == nullptr) return Error::invalid(r.path("FilterCriteria.Filters") + " entry");
    CARTFLOW_TRY(pattern, Reader(*filter, r.path("FilterCriteria.Filters[]")).string("Pattern"));
    c.filter_patterns.push_back(pattern);
  }
  return {};
}

model::Status read_queue(const Reader& r, platform::QueueMappingConfig& c) {
  CARTFLOW_TRY(batch_size, r.integer("BatchSize"));
  c.batch_size = batch_size;
  CARTFLOW_TRY(window, r.integer("MaximumBatchingWindowInSeconds"));
  c.maximum_batching_window_seconds = window;
  c.report_batch_item_failures = r.list_contains("FunctionResponseTypes", "ReportBatchItemFailures");
  CARTFLOW_TRY(scaling, r.object("ScalingConfig"));
  CARTFLOW_TRY(concurrency, Reader(*scaling, r.path("ScalingConfig")).integer("MaximumConcurrency"));
  c.maximum_concurrency = concurrency;
  return {};
}

}  // namespace

model::Result<MappingSettings> parse_mapping_settings(std::string_view json) {
  auto doc = model::parse_plain_json(json);
  if (!doc.ok()) return Error::invalid("event source mapping settings: " + doc.error().message);
  const Map* root = doc->as_m();
  if (root == nullptr) return Error::invalid("event source mapping settings: not an object");
  Reader top(*root, "settings");
  MappingSettings s;
  CARTFLOW_TRY(stream, top.object("OrderStream"));
  if (auto st = read_stream(Reader(*stream, "OrderStream"), s.stream); !st.ok()) return st.error();
  CARTFLOW_TRY(queue, top.object("OrderQueue"));
  if (auto st = read_queue(Reader(*queue, "OrderQueue"), s.queue); !st.ok()) return st.error();
  CARTFLOW_TRY(q, top.object("Queue"));
  Reader qr(*q, "Queue");
  CARTFLOW_TRY(visibility, qr.integer("VisibilityTimeout"));
  s.queue_visibility_timeout_seconds = visibility;
  CARTFLOW_TRY(retention, qr.integer("MessageRetentionPeriod"));
  s.queue_retention_seconds = retention;
  CARTFLOW_TRY(receives, qr.integer("maxReceiveCount"));
  s.max_receive_count = receives;
  CARTFLOW_TRY(dlq, top.object("DeadLetterQueue"));
  CARTFLOW_TRY(dlq_retention, Reader(*dlq, "DeadLetterQueue").integer("MessageRetentionPeriod"));
  s.dead_letter_retention_seconds = dlq_retention;
  if (auto st = platform::validate(s.stream); !st.ok()) return st.error();
  if (auto st = platform::validate(s.queue); !st.ok()) return st.error();
  return s;
}

}  // namespace cartflow::app
