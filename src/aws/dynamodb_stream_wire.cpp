// SPDX-License-Identifier: Apache-2.0
// DynamoDB Streams: position tokens, request bodies, response parsing, LatestStreamArn.
#include <simdjson.h>

#include <cmath>

#include "aws/dynamodb_internal.h"
#include "aws/dynamodb_stream.h"
#include "model/dynamo_json.h"

namespace cartflow::aws {

using model::Error;
using model::Result;

namespace {

Error bad_answer() { return Error::internal("DynamoDB Streams answered invalid JSON"); }

Result<simdjson::dom::element> parse(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(json)).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return bad_answer();
  }
  return doc;
}

std::string text(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

// The DynamoDB JSON item at `key`; std::nullopt when absent.
Result<std::optional<model::Item>> item_at(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::element x;
  if (e[key].get(x) != simdjson::SUCCESS) return std::optional<model::Item>();
  auto item = model::parse_item(simdjson::minify(x));
  if (!item) return std::move(item).error();
  return std::optional<model::Item>(std::move(item).value());
}

Result<ports::StreamRecord> record_of(simdjson::dom::element r, ports::StreamViewType default_view) {
  ports::StreamRecord out;
  out.event_id = text(r, "eventID");
  std::string name = text(r, "eventName");
  if (name == "INSERT") out.event_name = ports::StreamEventName::kInsert;
  else if (name == "MODIFY") out.event_name = ports::StreamEventName::kModify;
  else if (name == "REMOVE") out.event_name = ports::StreamEventName::kRemove;
  else return Error::internal("DynamoDB Streams: unknown eventName '" + name + "'");
  simdjson::dom::element d;
  if (r["dynamodb"].get(d) != simdjson::SUCCESS) return Error::internal("DynamoDB Streams: record without dynamodb");
  out.sequence_number = text(d, "SequenceNumber");
  if (out.sequence_number.empty()) return Error::internal("DynamoDB Streams: record without SequenceNumber");
  double seconds = 0;
  if (d["ApproximateCreationDateTime"].get_double().get(seconds) == simdjson::SUCCESS) {
    out.approximate_creation_ms = std::llround(seconds * 1000.0);
  }
  std::uint64_t size = 0;
  if (d["SizeBytes"].get_uint64().get(size) == simdjson::SUCCESS) out.size_bytes = size;
  std::string view = text(d, "StreamViewType");
  out.view_type = view.empty() ? default_view : detail::parse_stream_view_type(view);
  auto keys = item_at(d, "Keys");
  if (!keys) return std::move(keys).error();
  if (*keys) out.keys = std::move(**keys);
  auto new_image = item_at(d, "NewImage");
  if (!new_image) return std::move(new_image).error();
  out.new_image = std::move(new_image).value();
  auto old_image = item_at(d, "OldImage");
  if (!old_image) return std::move(old_image).error();
  out.old_image = std::move(old_image).value();
  return out;
}

}  // namespace

JsonProtocol dynamodb_streams_protocol() {
  return {"DynamoDBStreams_20120810", "application/x-amz-json-1.0"};
}

Result<std::string> latest_stream_arn(JsonClient& dynamodb, const std::string& table_name) {
  std::string body = "{";
  detail::member(body, "TableName", table_name);
  body += "}";
  auto response = dynamodb.call("DescribeTable", body);
  if (!response) return std::move(response).error();
  simdjson::dom::parser parser;
  auto doc = parse(parser, *response);
  if (!doc) return std::move(doc).error();
  simdjson::dom::element table;
  if ((*doc)["Table"].get(table) != simdjson::SUCCESS) return bad_answer();
  bool enabled = false;
  std::string arn = text(table, "LatestStreamArn");
  if (table["StreamSpecification"]["StreamEnabled"].get(enabled) != simdjson::SUCCESS || !enabled ||
      arn.empty()) {
    return Error::not_found("table " + table_name + " has no stream");
  }
  return arn;
}

namespace detail {

std::string encode_cursor(const StreamCursor& c) {
  if (c.sequences.empty() && c.finished.empty()) return {};
  std::string out = "{";
  if (!c.current.empty()) {
    out += "\"c\":";
    model::append_json_string(out, c.current);
  }
  if (!c.finished.empty()) {
    out += out.size() > 1 ? ",\"d\":[" : "\"d\":[";
    bool first = true;
    for (const auto& id : c.finished) {
      if (!first) out += ",";
      first = false;
      model::append_json_string(out, id);
    }
    out += "]";
  }
  if (!c.sequences.empty()) {
    out += out.size() > 1 ? ",\"s\":{" : "\"s\":{";
    bool first = true;
    for (const auto& [id, seq] : c.sequences) {
      if (!first) out += ",";
      first = false;
      model::append_json_string(out, id);
      out += ":";
      model::append_json_string(out, seq);
    }
    out += "}";
  }
  return out + "}";
}

Result<StreamCursor> decode_cursor(const std::string& token) {
  StreamCursor c;
  if (token.empty()) return c;
  auto invalid = [&] { return Error::invalid("invalid stream position: " + token); };
  simdjson::dom::parser parser;
  simdjson::dom::object doc;
  if (parser.parse(simdjson::padded_string(token)).get(doc) != simdjson::SUCCESS) return invalid();
  for (auto [key, value] : doc) {
    if (key == "c") {
      std::string_view v;
      if (value.get(v) != simdjson::SUCCESS) return invalid();
      c.current = v;
    } else if (key == "d") {
      simdjson::dom::array a;
      if (value.get(a) != simdjson::SUCCESS) return invalid();
      for (simdjson::dom::element e : a) {
        std::string_view v;
        if (e.get(v) != simdjson::SUCCESS) return invalid();
        c.finished.emplace(v);
      }
    } else if (key == "s") {
      simdjson::dom::object o;
      if (value.get(o) != simdjson::SUCCESS) return invalid();
      for (auto [shard, seq] : o) {
        std::string_view v;
        if (seq.get(v) != simdjson::SUCCESS || v.empty()) return invalid();
        c.sequences.emplace(std::string(shard), std::string(v));
      }
    } else {
      return invalid();
    }
  }
  return c;
}

Result<ShardPage> parse_describe_stream(std::string_view json) {
  simdjson::dom::parser parser;
  auto doc = parse(parser, json);
  if (!doc) return std::move(doc).error();
  simdjson::dom::element description;
  if ((*doc)["StreamDescription"].get(description) != simdjson::SUCCESS) return bad_answer();
  ShardPage page;
  page.last_evaluated = text(description, "LastEvaluatedShardId");
  simdjson::dom::array shards;
  if (description["Shards"].get(shards) != simdjson::SUCCESS) return page;
  for (simdjson::dom::element s : shards) {
    ShardInfo info;
    info.id = text(s, "ShardId");
    if (info.id.empty()) return bad_answer();
    info.parent = text(s, "ParentShardId");
    std::string_view end;
    info.closed = s["SequenceNumberRange"]["EndingSequenceNumber"].get(end) == simdjson::SUCCESS;
    page.shards.push_back(std::move(info));
  }
  return page;
}

Result<RecordsPage> parse_get_records(std::string_view json, ports::StreamViewType default_view) {
  simdjson::dom::parser parser;
  auto doc = parse(parser, json);
  if (!doc) return std::move(doc).error();
  RecordsPage page;
  std::string_view next;
  if ((*doc)["NextShardIterator"].get(next) == simdjson::SUCCESS) page.next_iterator = std::string(next);
  simdjson::dom::array records;
  if ((*doc)["Records"].get(records) != simdjson::SUCCESS) return page;
  for (simdjson::dom::element r : records) {
    auto record = record_of(r, default_view);
    if (!record) return std::move(record).error();
    page.records.push_back(std::move(record).value());
  }
  return page;
}

ports::StreamViewType parse_stream_view_type(std::string_view name) {
  if (name == "KEYS_ONLY") return ports::StreamViewType::kKeysOnly;
  if (name == "NEW_IMAGE") return ports::StreamViewType::kNewImage;
  if (name == "OLD_IMAGE") return ports::StreamViewType::kOldImage;
  if (name == "NEW_AND_OLD_IMAGES") return ports::StreamViewType::kNewAndOldImages;
  return ports::StreamViewType::kNone;
}

std::string describe_stream_request(const std::string& arn, const std::string& start_shard) {
  std::string body = "{";
  member(body, "StreamArn", arn);
  if (!start_shard.empty()) member(body, "ExclusiveStartShardId", start_shard);
  return body + "}";
}

std::string get_shard_iterator_request(const std::string& arn, const std::string& shard,
                                       const char* type, const std::string& sequence) {
  std::string body = "{";
  member(body, "StreamArn", arn);
  member(body, "ShardId", shard);
  member(body, "ShardIteratorType", type);
  if (!sequence.empty()) member(body, "SequenceNumber", sequence);
  return body + "}";
}

std::string get_records_request(const std::string& iterator, std::size_t limit) {
  std::string body = "{";
  member(body, "ShardIterator", iterator);
  return body + ",\"Limit\":" + std::to_string(limit) + "}";
}

Result<std::string> parse_shard_iterator(std::string_view json) {
  simdjson::dom::parser parser;
  auto doc = parse(parser, json);
  if (!doc) return std::move(doc).error();
  std::string it = text(*doc, "ShardIterator");
  if (it.empty()) return bad_answer();
  return it;
}

}  // namespace detail
}  // namespace cartflow::aws
