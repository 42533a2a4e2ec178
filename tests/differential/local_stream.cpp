// SPDX-License-Identifier: Apache-2.0
#include "local_stream.h"

#include <simdjson.h>

#include <algorithm>
#include <utility>

#include "model/dynamo_json.h"

namespace cartflow::differential {

using model::Error;
using model::Item;
using model::Result;

namespace {

std::string json_string(std::string_view text) {
  std::string out;
  model::append_json_string(out, text);
  return out;
}

// Parses the DynamoDB JSON item at record.dynamodb[name], if any.
Result<std::optional<Item>> image(simdjson::dom::element record, const char* name) {
  simdjson::dom::element e;
  if (record["dynamodb"][name].get(e) != simdjson::SUCCESS) return std::optional<Item>();
  // DynamoDB Local writes NULL values and empty maps as {} in stream records
  // (docs/KNOWN_DIFFERENCES.md, "NULL and empty maps in stream records"): read them as NULL.
  std::string text = simdjson::minify(e);
  for (std::size_t at = text.find("\":{}"); at != std::string::npos;
       at = text.find("\":{}", at + 1)) {
    if (at >= 2 && text.compare(at - 2, 3, "\"M\"") == 0) continue;
    text.replace(at + 2, 2, "{\"NULL\":true}");
  }
  auto item = model::parse_item(text);
  if (!item) return std::move(item).error();
  return std::optional<Item>(std::move(item).value());
}

// Sequence numbers are decimal strings of varying length: shorter is smaller.
bool before(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

void normalize(model::AttributeValue& v) {
  if (auto* m = v.as_m()) {
    if (m->empty()) {
      v = model::Null{};
      return;
    }
    for (auto& [name, inner] : *m) normalize(inner);
  } else if (auto* l = v.as_l()) {
    for (auto& inner : *l) normalize(inner);
  }
}

void normalize(std::optional<Item>& item) {
  if (!item) return;
  for (auto& [name, v] : *item) normalize(v);
}

}  // namespace

StreamEntry normalized(StreamEntry entry) {
  normalize(entry.new_image);
  normalize(entry.old_image);
  return entry;
}

StreamEntry entry_of(const ports::StreamRecord& r) {
  return {ports::stream_event_name(r.event_name), r.keys, r.new_image, r.old_image};
}

std::string describe(const StreamEntry& e) {
  return e.event_name + " keys " + model::to_dynamo_json(e.keys) + " new " +
         (e.new_image ? model::to_dynamo_json(*e.new_image) : "-") + " old " +
         (e.old_image ? model::to_dynamo_json(*e.old_image) : "-");
}

Result<std::vector<StreamEntry>> read_local_stream(aws::JsonClient& streams,
                                                   const std::string& table_name) {
  simdjson::dom::parser parser;
  auto listed = streams.call("ListStreams", "{\"TableName\":" + json_string(table_name) + "}");
  if (!listed) return std::move(listed).error();
  std::string_view arn_view;
  if (parser.parse(simdjson::padded_string(*listed))["Streams"].at(0)["StreamArn"].get(arn_view) !=
      simdjson::SUCCESS) {
    return Error::not_found("no stream for " + table_name + ": " + *listed);
  }
  std::string arn(arn_view);
  auto described = streams.call("DescribeStream", "{\"StreamArn\":" + json_string(arn) + "}");
  if (!described) return std::move(described).error();
  std::vector<std::string> shards;
  simdjson::dom::array shard_array;
  if (parser.parse(simdjson::padded_string(*described))["StreamDescription"]["Shards"].get(
          shard_array) == simdjson::SUCCESS) {
    for (simdjson::dom::element s : shard_array) {
      std::string_view id;
      if (s["ShardId"].get(id) == simdjson::SUCCESS) shards.emplace_back(id);
    }
  }
  std::vector<std::pair<std::string, StreamEntry>> records;  // sequence number, entry
  for (const auto& shard : shards) {
    auto it = streams.call("GetShardIterator", "{\"StreamArn\":" + json_string(arn) +
                                                   ",\"ShardId\":" + json_string(shard) +
                                                   ",\"ShardIteratorType\":\"TRIM_HORIZON\"}");
    if (!it) return std::move(it).error();
    std::string_view iterator_view;
    if (parser.parse(simdjson::padded_string(*it))["ShardIterator"].get(iterator_view) !=
        simdjson::SUCCESS) {
      return Error::internal("GetShardIterator answered " + *it);
    }
    std::string iterator(iterator_view);
    for (int empty = 0; empty < 2 && !iterator.empty();) {
      auto got = streams.call("GetRecords",
                              "{\"ShardIterator\":" + json_string(iterator) + ",\"Limit\":1000}");
      if (!got) return std::move(got).error();
      simdjson::dom::element doc;
      if (parser.parse(simdjson::padded_string(*got)).get(doc) != simdjson::SUCCESS) {
        return Error::internal("GetRecords answered invalid JSON");
      }
      simdjson::dom::array array;
      std::size_t n = 0;
      if (doc["Records"].get(array) == simdjson::SUCCESS) {
        for (simdjson::dom::element r : array) {
          ++n;
          std::string_view name, seq;
          if (r["eventName"].get(name) != simdjson::SUCCESS ||
              r["dynamodb"]["SequenceNumber"].get(seq) != simdjson::SUCCESS) {
            return Error::internal("GetRecords: record without eventName/SequenceNumber");
          }
          auto keys = image(r, "Keys");
          auto new_image = image(r, "NewImage");
          auto old_image = image(r, "OldImage");
          for (const auto* parsed : {&keys, &new_image, &old_image}) {
            if (!*parsed) {
              return Error::internal(parsed->error().message + " in " + simdjson::minify(r));
            }
          }
          records.emplace_back(
              std::string(seq),
              StreamEntry{std::string(name), keys->value_or(Item{}), *new_image, *old_image});
        }
      }
      empty = n == 0 ? empty + 1 : 0;
      std::string_view next;
      iterator = doc["NextShardIterator"].get(next) == simdjson::SUCCESS ? std::string(next) : "";
    }
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const auto& a, const auto& b) { return before(a.first, b.first); });
  std::vector<StreamEntry> out;
  for (auto& r : records) out.push_back(std::move(r.second));
  return out;
}

}  // namespace cartflow::differential
