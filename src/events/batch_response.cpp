// SPDX-License-Identifier: Apache-2.0
#include "events/batch_response.h"

#include <simdjson.h>

#include "model/dynamo_json.h"

namespace cartflow::events {
namespace {

namespace od = simdjson::ondemand;
using model::Error;
using model::Result;

Error fail(std::string_view what) {
  return Error::invalid("batch response: " + std::string(what));
}

Result<BatchResponse> parse(std::string_view json) {
  BatchResponse response;
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return response;
  simdjson::padded_string padded(json);
  thread_local od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc); e) return fail(simdjson::error_message(e));
  od::json_type type;
  if (auto e = doc.type().get(type); e) return fail(simdjson::error_message(e));
  if (type == od::json_type::null) return response;
  od::object root;
  if (auto e = doc.get_object().get(root); e) return fail(simdjson::error_message(e));
  for (auto field : root) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key); e) return fail(simdjson::error_message(e));
    if (key != "batchItemFailures") continue;
    od::value value;
    if (auto e = field.value().get(value); e) return fail(simdjson::error_message(e));
    od::json_type value_type;
    if (auto e = value.type().get(value_type); e) return fail(simdjson::error_message(e));
    if (value_type == od::json_type::null) continue;
    od::array array;
    if (auto e = value.get_array().get(array); e) return fail("batchItemFailures is not an array");
    for (auto element : array) {
      od::object entry;
      if (auto e = element.get_object().get(entry); e) return fail("entry is not an object");
      std::string identifier;
      bool found = false;
      for (auto entry_field : entry) {
        std::string_view entry_key;
        if (auto e = entry_field.unescaped_key().get(entry_key); e) {
          return fail(simdjson::error_message(e));
        }
        if (entry_key != "itemIdentifier") continue;
        std::string_view text;
        if (auto e = entry_field.value().get_string().get(text); e) {
          return fail("itemIdentifier is not a string");
        }
        identifier.assign(text);
        found = true;
      }
      if (!found || identifier.empty()) return fail("itemIdentifier missing or empty");
      response.batch_item_failures.push_back({std::move(identifier)});
    }
  }
  return response;
}

}  // namespace

std::string to_json(const BatchResponse& response) {
  std::string out = "{\"batchItemFailures\":[";
  bool first = true;
  for (const auto& failure : response.batch_item_failures) {
    if (!first) out += ',';
    first = false;
    out += "{\"itemIdentifier\":";
    model::append_json_string(out, failure.item_identifier);
    out += '}';
  }
  out += "]}";
  return out;
}

Result<BatchResponse> parse_batch_response(std::string_view json) {
  try {
    return parse(json);
  } catch (const std::exception& e) {
    return Error::internal(std::string("batch response: ") + e.what());
  }
}

}  // namespace cartflow::events
