// SPDX-License-Identifier: Apache-2.0
#include "events/dynamodb_stream.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "model/dynamo_json.h"

namespace cartflow::events {
namespace {

namespace od = simdjson::ondemand;
using model::Error;
using model::Result;

// Parse state for one event: the error names where it happened.
class Parser {
 public:
  explicit Parser(ImageForm form) : form_(form) {}

  Result<DynamoDbStreamEvent> parse(std::string_view json) {
    simdjson::padded_string padded(json);
    thread_local od::parser parser;
    od::document doc;
    if (auto e = parser.iterate(padded).get(doc); e) return fail("", e);
    od::object root;
    if (auto e = doc.get_object().get(root); e) return fail("", e);
    DynamoDbStreamEvent event;
    bool have_records = false;
    for (auto field : root) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("", e);
      if (key != "Records") continue;
      have_records = true;
      od::array records;
      if (auto e = field.value().get_array().get(records); e) return fail("Records", e);
      std::size_t index = 0;
      for (auto element : records) {
        od::object record;
        where_ = "Records[" + std::to_string(index) + "]";
        if (auto e = element.get_object().get(record); e) return fail("", e);
        auto parsed = parse_record(record);
        if (!parsed.ok()) return std::move(parsed).error();
        event.records.push_back(std::move(parsed).value());
        ++index;
      }
    }
    if (!have_records) return Error::invalid("DynamoDB stream event: missing Records");
    return event;
  }

  Result<DynamoDbStreamRecord> parse_one(std::string_view json) {
    simdjson::padded_string padded(json);
    thread_local od::parser parser;
    od::document doc;
    where_ = "record";
    if (auto e = parser.iterate(padded).get(doc); e) return fail("", e);
    od::object record;
    if (auto e = doc.get_object().get(record); e) return fail("", e);
    return parse_record(record);
  }

 private:
  Error fail(std::string_view field, simdjson::error_code e) const {
    std::string at = where_;
    if (!field.empty()) at += (at.empty() ? "" : ".") + std::string(field);
    return Error::invalid("DynamoDB stream event: " + (at.empty() ? std::string("document") : at) +
                          ": " + simdjson::error_message(e));
  }
  Error fail_text(std::string_view field, std::string_view message) const {
    return Error::invalid("DynamoDB stream event: " + where_ + "." + std::string(field) + ": " +
                          std::string(message));
  }

  Result<std::string> string_of(od::value value, std::string_view field) {
    std::string_view text;
    if (auto e = value.get_string().get(text); e) return fail(field, e);
    return std::string(text);
  }

  Result<model::Item> item_of(od::value value, std::string_view field) {
    od::object object;
    if (auto e = value.get_object().get(object); e) return fail(field, e);
    std::string_view raw;
    if (auto e = object.raw_json().get(raw); e) return fail(field, e);
    auto item = model::parse_item(raw);
    if (!item.ok()) return fail_text(field, item.error().message);
    return std::move(item).value();
  }

  // The image's text, validated as item_of would parse it.
  Result<std::string> text_of(od::value value, std::string_view field) {
    od::object object;
    if (auto e = value.get_object().get(object); e) return fail(field, e);
    std::string_view raw;
    if (auto e = object.raw_json().get(raw); e) return fail(field, e);
    // raw_json ends where the next token starts: drop the white space before it.
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                            raw.back() == '\r')) {
      raw.remove_suffix(1);
    }
    if (auto s = model::check_item_json(raw); !s.ok()) return fail_text(field, s.error().message);
    return std::string(raw);
  }

  Result<DynamoDbStreamRecord> parse_record(od::object& object) {
    DynamoDbStreamRecord record;
    bool have_dynamodb = false;
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("", e);
      std::string* target = nullptr;
      if (key == "eventID") target = &record.event_id;
      else if (key == "eventName") target = &record.event_name;
      else if (key == "eventVersion") target = &record.event_version;
      else if (key == "eventSource") target = &record.event_source;
      else if (key == "awsRegion") target = &record.aws_region;
      else if (key == "eventSourceARN") target = &record.event_source_arn;
      if (target != nullptr) {
        auto text = string_of(field.value(), key);
        if (!text.ok()) return std::move(text).error();
        *target = std::move(text).value();
      } else if (key == "userIdentity") {
        od::object identity;
        if (auto e = field.value().get_object().get(identity); e) return fail(key, e);
        for (auto id_field : identity) {
          std::string_view id_key;
          if (auto e = id_field.unescaped_key().get(id_key); e) return fail(key, e);
          if (id_key != "type" && id_key != "principalId") continue;
          auto text = string_of(id_field.value(), id_key);
          if (!text.ok()) return std::move(text).error();
          (id_key == "type" ? record.user_identity_type : record.user_identity_principal_id) =
              std::move(text).value();
        }
      } else if (key == "dynamodb") {
        have_dynamodb = true;
        od::object data;
        if (auto e = field.value().get_object().get(data); e) return fail(key, e);
        if (auto s = parse_data(data, record.dynamodb); !s.ok()) return std::move(s).error();
      }
    }
    if (!have_dynamodb) return fail_text("dynamodb", "missing");
    if (form_ == ImageForm::kText && record.dynamodb.keys_text.empty()) {
      record.dynamodb.keys_text = "{}";  // what to_json writes for no Keys, as in kItem
    }
    if (record.dynamodb.sequence_number.empty()) {
      return fail_text("dynamodb.SequenceNumber", "missing");
    }
    return record;
  }

  model::Status parse_data(od::object& object, DynamoDbStreamData& data) {
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("dynamodb", e);
      if (key == "ApproximateCreationDateTime") {
        double seconds = 0;
        if (auto e = field.value().get_double().get(seconds); e) return fail(key, e);
        data.approximate_creation_date_time = seconds;
      } else if ((key == "Keys" || key == "NewImage" || key == "OldImage") &&
                 form_ == ImageForm::kText) {
        auto text = text_of(field.value(), key);
        if (!text.ok()) return std::move(text).error();
        if (key == "Keys") data.keys_text = std::move(text).value();
        else if (key == "NewImage") data.new_image_text = std::move(text).value();
        else data.old_image_text = std::move(text).value();
      } else if (key == "Keys" || key == "NewImage" || key == "OldImage") {
        auto item = item_of(field.value(), key);
        if (!item.ok()) return std::move(item).error();
        if (key == "Keys") data.keys = std::move(item).value();
        else if (key == "NewImage") data.new_image = std::move(item).value();
        else data.old_image = std::move(item).value();
      } else if (key == "SequenceNumber" || key == "StreamViewType") {
        auto text = string_of(field.value(), key);
        if (!text.ok()) return std::move(text).error();
        (key == "SequenceNumber" ? data.sequence_number : data.stream_view_type) =
            std::move(text).value();
      } else if (key == "SizeBytes") {
        double size = 0;
        if (auto e = field.value().get_double().get(size); e) return fail(key, e);
        if (size < 0 || size > 1e15) return fail_text(key, "out of range");
        data.size_bytes = static_cast<std::int64_t>(size);
      }
    }
    return {};
  }

  ImageForm form_;
  std::string where_;
};

void append_record(std::string& out, const DynamoDbStreamRecord& r);

void append_key(std::string& out, std::string_view key) {
  model::append_json_string(out, key);
  out += ':';
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  append_key(out, key);
  model::append_json_string(out, value);
  out += ',';
}

// An optional image, from its item or else its text.
void append_image(std::string& out, std::string_view key, const std::optional<model::Item>& item,
                  const std::optional<std::string>& text) {
  if (!item && !text) return;
  append_key(out, key);
  if (item) model::append_dynamo_json(out, *item);
  else out += *text;
  out += ',';
}

void append_number(std::string& out, double value) {
  char buffer[64];
  double whole = 0;
  std::to_chars_result r{};
  if (std::modf(value, &whole) == 0.0 && std::fabs(value) < 9e15) {
    r = std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(value));
  } else {
    r = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  out.append(buffer, r.ptr);
}

}  // namespace

Result<DynamoDbStreamEvent> parse_dynamodb_stream_event(std::string_view json, ImageForm form) {
  try {
    return Parser(form).parse(json);
  } catch (const std::exception& e) {  // allocation failures only; simdjson runs without throwing
    return Error::internal(std::string("DynamoDB stream event: ") + e.what());
  }
}

Result<DynamoDbStreamRecord> parse_dynamodb_stream_record(std::string_view json,
                                                          ImageForm form) {
  try {
    return Parser(form).parse_one(json);
  } catch (const std::exception& e) {
    return Error::internal(std::string("DynamoDB stream record: ") + e.what());
  }
}

std::string to_json(const DynamoDbStreamEvent& event) {
  std::string out = "{\"Records\":[";
  bool first = true;
  for (const auto& r : event.records) {
    if (!first) out += ',';
    first = false;
    append_record(out, r);
  }
  out += "]}";
  return out;
}

std::string to_json(const DynamoDbStreamRecord& record) {
  std::string out;
  append_record(out, record);
  return out;
}

namespace {

void append_record(std::string& out, const DynamoDbStreamRecord& r) {
    out += '{';
    append_field(out, "eventID", r.event_id);
    append_field(out, "eventName", r.event_name);
    append_field(out, "eventVersion", r.event_version);
    append_field(out, "eventSource", r.event_source);
    append_field(out, "awsRegion", r.aws_region);
    if (r.user_identity_type || r.user_identity_principal_id) {
      append_key(out, "userIdentity");
      out += '{';
      if (r.user_identity_type) append_field(out, "type", *r.user_identity_type);
      if (r.user_identity_principal_id) {
        append_field(out, "principalId", *r.user_identity_principal_id);
      }
      out.back() = '}';
      out += ',';
    }
    append_key(out, "dynamodb");
    out += '{';
    const auto& d = r.dynamodb;
    if (d.approximate_creation_date_time) {
      append_key(out, "ApproximateCreationDateTime");
      append_number(out, *d.approximate_creation_date_time);
      out += ',';
    }
    append_key(out, "Keys");
    if (d.keys.empty() && !d.keys_text.empty()) out += d.keys_text;  // else {} when both empty
    else model::append_dynamo_json(out, d.keys);
    out += ',';
    append_image(out, "NewImage", d.new_image, d.new_image_text);
    append_image(out, "OldImage", d.old_image, d.old_image_text);
    append_field(out, "SequenceNumber", d.sequence_number);
    append_key(out, "SizeBytes");
    append_number(out, static_cast<double>(d.size_bytes));
    out += ',';
    append_field(out, "StreamViewType", d.stream_view_type);
    out.back() = '}';
    out += ',';
    append_field(out, "eventSourceARN", r.event_source_arn);
    out.back() = '}';
}

}  // namespace

const char* stream_view_type_name(ports::StreamViewType type) {
  switch (type) {
    case ports::StreamViewType::kKeysOnly: return "KEYS_ONLY";
    case ports::StreamViewType::kNewImage: return "NEW_IMAGE";
    case ports::StreamViewType::kOldImage: return "OLD_IMAGE";
    case ports::StreamViewType::kNewAndOldImages: return "NEW_AND_OLD_IMAGES";
    case ports::StreamViewType::kNone: break;
  }
  return "";
}

DynamoDbStreamRecord to_lambda_record(const ports::StreamRecord& record, std::string aws_region,
                                      std::string event_source_arn) {
  DynamoDbStreamRecord out;
  out.event_id = record.event_id;
  out.event_name = ports::stream_event_name(record.event_name);
  out.event_version = "1.1";
  out.event_source = "aws:dynamodb";
  out.aws_region = std::move(aws_region);
  out.event_source_arn = std::move(event_source_arn);
  out.dynamodb.approximate_creation_date_time =
      static_cast<double>(record.approximate_creation_ms / 1000);
  out.dynamodb.keys = record.keys;
  out.dynamodb.new_image = record.new_image;
  out.dynamodb.old_image = record.old_image;
  out.dynamodb.sequence_number = record.sequence_number;
  out.dynamodb.size_bytes = static_cast<std::int64_t>(record.size_bytes);
  out.dynamodb.stream_view_type = stream_view_type_name(record.view_type);
  return out;
}

}  // namespace cartflow::events
