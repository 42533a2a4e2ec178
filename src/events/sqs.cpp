// SPDX-License-Identifier: Apache-2.0
#include "events/sqs.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <utility>

#include "model/dynamo_json.h"

namespace cartflow::events {
namespace {

namespace od = simdjson::ondemand;
using model::Error;
using model::Result;
using model::Status;

class Parser {
 public:
  // Decode one record's attributes text (SqsRecord::attributes(), message_attributes()).
  Result<SqsAttributes> decode_attributes(std::string_view text) {
    return decode<SqsAttributes>(text, "attributes", &Parser::read_attributes);
  }
  Result<SqsMessageAttributes> decode_message_attributes(std::string_view text) {
    return decode<SqsMessageAttributes>(text, "messageAttributes",
                                        &Parser::read_message_attributes);
  }

  Result<SqsEvent> parse(std::string_view json) {
    simdjson::padded_string padded(json);
    thread_local od::parser parser;
    od::document doc;
    if (auto e = parser.iterate(padded).get(doc); e) return fail("", e);
    od::object root;
    if (auto e = doc.get_object().get(root); e) return fail("", e);
    SqsEvent event;
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
        record_ = index;
        od::object object;
        if (auto e = element.get_object().get(object); e) return fail("", e);
        SqsRecord record;
        if (auto s = parse_record(object, record); !s.ok()) return std::move(s).error();
        event.records.push_back(std::move(record));
        ++index;
      }
    }
    if (!have_records) return Error::invalid("SQS event: missing Records");
    return event;
  }

 private:
  Error fail(std::string_view field, simdjson::error_code e) const {
    return fail_text(field, simdjson::error_message(e));
  }
  Error fail_text(std::string_view field, std::string_view message) const {
    // Built only on failure: the hot path allocates no field names.
    std::string at = record_ ? "Records[" + std::to_string(*record_) + "]" : std::string();
    if (attribute_) {
      at += (at.empty() ? "" : ".") + std::string("messageAttributes.") + std::string(*attribute_);
    }
    if (!field.empty()) at += (at.empty() ? "" : ".") + std::string(field);
    return Error::invalid("SQS event: " + (at.empty() ? std::string("document") : at) + ": " +
                          std::string(message));
  }

  static bool is_null(od::value& value) {
    od::json_type type;
    return !value.type().get(type) && type == od::json_type::null;
  }

  Status read_string(od::value value, std::string_view field, std::string& out) {
    std::string_view text;
    if (auto e = value.get_string().get(text); e) return fail(field, e);
    out.assign(text);
    return {};
  }

  Status read_optional(od::value value, std::string_view field, std::optional<std::string>& out) {
    if (is_null(value)) {
      out.reset();
      return {};
    }
    std::string text;
    if (auto s = read_string(value, field, text); !s.ok()) return s;
    out = std::move(text);
    return {};
  }

  Status read_string_list(od::value value, std::string_view field, std::vector<std::string>& out) {
    if (is_null(value)) return {};
    od::array array;
    if (auto e = value.get_array().get(array); e) return fail(field, e);
    for (auto element : array) {
      std::string_view text;
      if (auto e = element.get_string().get(text); e) return fail(field, e);
      out.emplace_back(text);
    }
    return {};
  }

  Status read_attributes(od::object object, SqsAttributes* out) {
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("attributes", e);
      std::string_view text;
      if (auto e = field.value().get_string().get(text); e) {
        return fail("attributes." + std::string(key), e);
      }
      if (out != nullptr) out->insert_or_assign(std::string(key), std::string(text));
    }
    return {};
  }

  Status read_message_attribute(od::value value, std::string_view name,
                                SqsMessageAttribute& out) {
    attribute_ = name;  // fail_text prefixes the fields below with it
    struct Reset {
      std::optional<std::string_view>& a;
      ~Reset() { a.reset(); }
    } reset{attribute_};
    od::object object;
    if (auto e = value.get_object().get(object); e) return fail("", e);
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("", e);
      // The field's name is an argument of read_*: its text is needed only on failure.
      const std::string_view here = key;
      Status s;
      if (key == "stringValue") s = read_optional(field.value(), here, out.string_value);
      else if (key == "binaryValue") s = read_optional(field.value(), here, out.binary_value);
      else if (key == "stringListValues") {
        s = read_string_list(field.value(), here, out.string_list_values);
      } else if (key == "binaryListValues") {
        s = read_string_list(field.value(), here, out.binary_list_values);
      } else if (key == "dataType") {
        s = read_string(field.value(), here, out.data_type);
      }
      if (!s.ok()) return s;
    }
    return {};
  }

  Status read_message_attributes(od::object object, SqsMessageAttributes* out) {
    SqsMessageAttribute scratch;  // what a check reads into
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("messageAttributes", e);
      SqsMessageAttribute attribute;
      SqsMessageAttribute& into = out != nullptr ? attribute : scratch;
      if (auto s = read_message_attribute(field.value(), key, into); !s.ok()) return s;
      if (out != nullptr) out->insert_or_assign(std::string(key), std::move(attribute));
    }
    return {};
  }

  template <typename Map>
  Result<Map> decode(std::string_view text, std::string_view field,
                     Status (Parser::*read)(od::object, Map*)) {
    Map out;
    if (auto s = read_text<Map>(text, field, read, &out); !s.ok()) return std::move(s).error();
    return out;
  }

  // Reads the text of an attributes object (`field` names it) into `out` with read(object,
  // out). Empty text is an empty object. A parser of its own, so that it never disturbs an
  // event's document.
  template <typename Map>
  Status read_text(std::string_view text, std::string_view field,
                   Status (Parser::*read)(od::object, Map*), Map* out) {
    if (text.empty()) return {};
    thread_local od::parser parser;
    thread_local std::string buffer;
    buffer.assign(text);
    buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    od::document doc;
    if (auto e = parser.iterate(buffer.data(), text.size(), buffer.capacity()).get(doc); e) {
      return fail(field, e);
    }
    od::object object;
    if (auto e = doc.get_object().get(object); e) return fail(field, e);
    if (auto s = (this->*read)(object, out); !s.ok()) return s;
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
      return fail_text(field, "trailing content");
    }
    return {};
  }

  // Keeps an attributes object of the event as its text in `out`, checked with `read` in the
  // event's own document (the object is read twice: for its text, then for its fields) and as
  // JSON; null and {} keep "".
  template <typename Map>
  Status keep_text(od::value value, std::string_view field,
                   Status (Parser::*read)(od::object, Map*), std::string& out) {
    out.clear();
    if (is_null(value)) return {};
    od::object object;
    if (auto e = value.get_object().get(object); e) return fail(field, e);
    std::string_view raw;
    if (auto e = object.raw_json().get(raw); e) return fail(field, e);
    if (auto e = object.reset().error(); e) return fail(field, e);
    if (auto s = (this->*read)(object, nullptr); !s.ok()) return s;
    // raw_json ends where the next token starts: drop the white space before it.
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                            raw.back() == '\r')) {
      raw.remove_suffix(1);
    }
    if (is_empty_object(raw)) return {};
    // On Demand skips the values it does not read (unknown fields) without validating them,
    // and the text is kept whole: it must be JSON on its own (to_json writes it as it is).
    thread_local simdjson::dom::parser strict;
    if (auto e = strict.parse(raw.data(), raw.size()).error(); e) return fail(field, e);
    out.assign(raw);
    return {};
  }

  static bool is_empty_object(std::string_view raw) {
    return raw.find_first_not_of(" \t\n\r", 1) == raw.size() - 1;
  }

  Status parse_record(od::object& object, SqsRecord& record) {
    bool have_id = false;
    for (auto field : object) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) return fail("", e);
      std::string* target = nullptr;
      if (key == "messageId") {
        target = &record.message_id;
        have_id = true;
      } else if (key == "receiptHandle") target = &record.receipt_handle;
      else if (key == "body") target = &record.body;
      else if (key == "md5OfBody") target = &record.md5_of_body;
      else if (key == "eventSource") target = &record.event_source;
      else if (key == "eventSourceARN") target = &record.event_source_arn;
      else if (key == "awsRegion") target = &record.aws_region;
      Status s;
      if (target != nullptr) {
        s = read_string(field.value(), key, *target);
      } else if (key == "md5OfMessageAttributes") {
        s = read_optional(field.value(), key, record.md5_of_message_attributes);
      } else if (key == "attributes") {
        s = keep_text<SqsAttributes>(field.value(), key, &Parser::read_attributes,
                                     record.attributes_json);
      } else if (key == "messageAttributes") {
        s = keep_text<SqsMessageAttributes>(field.value(), key, &Parser::read_message_attributes,
                                            record.message_attributes_json);
      }
      if (!s.ok()) return s;
    }
    if (!have_id) return fail_text("messageId", "missing");
    return {};
  }

  std::optional<std::size_t> record_;  // the record being read
  std::optional<std::string_view> attribute_;  // the message attribute being read
};

void append_key(std::string& out, std::string_view key) {
  model::append_json_string(out, key);
  out += ':';
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  append_key(out, key);
  model::append_json_string(out, value);
  out += ',';
}

void append_list(std::string& out, std::string_view key, const std::vector<std::string>& list) {
  append_key(out, key);
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ',';
    model::append_json_string(out, list[i]);
  }
  out += "],";
}

// Closes an object whose last member left a trailing comma (or none at all).
void close_object(std::string& out) {
  if (out.back() == ',') out.back() = '}';
  else out += '}';
}

void append_attributes(std::string& out, const SqsAttributes& attributes) {
  out += '{';
  for (const auto& [name, value] : attributes) append_field(out, name, value);
  close_object(out);
}

void append_message_attributes(std::string& out, const SqsMessageAttributes& attributes) {
  out += '{';
  for (const auto& [name, a] : attributes) {
    append_key(out, name);
    out += '{';
    if (a.string_value) append_field(out, "stringValue", *a.string_value);
    if (a.binary_value) append_field(out, "binaryValue", *a.binary_value);
    append_list(out, "stringListValues", a.string_list_values);
    append_list(out, "binaryListValues", a.binary_list_values);
    append_field(out, "dataType", a.data_type);
    close_object(out);
    out += ',';
  }
  close_object(out);
}

// An attributes object's text, "{}" for none.
void append_text(std::string& out, const std::string& text) {
  if (text.empty()) out += "{}";
  else out += text;
}

}  // namespace

Result<SqsAttributes> SqsRecord::attributes() const {
  try {
    return Parser().decode_attributes(attributes_json);
  } catch (const std::exception& e) {  // allocation failures only
    return Error::internal(std::string("SQS event: ") + e.what());
  }
}

Result<SqsMessageAttributes> SqsRecord::message_attributes() const {
  try {
    return Parser().decode_message_attributes(message_attributes_json);
  } catch (const std::exception& e) {  // allocation failures only
    return Error::internal(std::string("SQS event: ") + e.what());
  }
}

void SqsRecord::set_attributes(const SqsAttributes& attributes) {
  attributes_json.clear();
  if (!attributes.empty()) append_attributes(attributes_json, attributes);
}

void SqsRecord::set_message_attributes(const SqsMessageAttributes& attributes) {
  message_attributes_json.clear();
  if (!attributes.empty()) append_message_attributes(message_attributes_json, attributes);
}

Result<SqsEvent> parse_sqs_event(std::string_view json) {
  try {
    return Parser().parse(json);
  } catch (const std::exception& e) {  // allocation failures only
    return Error::internal(std::string("SQS event: ") + e.what());
  }
}

std::string to_json(const SqsEvent& event) {
  std::string out = "{\"Records\":[";
  bool first = true;
  for (const auto& r : event.records) {
    if (!first) out += ',';
    first = false;
    out += '{';
    append_field(out, "messageId", r.message_id);
    append_field(out, "receiptHandle", r.receipt_handle);
    append_field(out, "body", r.body);
    append_key(out, "attributes");
    append_text(out, r.attributes_json);
    out += ',';
    append_key(out, "messageAttributes");
    append_text(out, r.message_attributes_json);
    out += ',';
    append_field(out, "md5OfBody", r.md5_of_body);
    if (r.md5_of_message_attributes) {
      append_field(out, "md5OfMessageAttributes", *r.md5_of_message_attributes);
    }
    append_field(out, "eventSource", r.event_source);
    append_field(out, "eventSourceARN", r.event_source_arn);
    append_field(out, "awsRegion", r.aws_region);
    close_object(out);
  }
  out += "]}";
  return out;
}

SqsRecord to_lambda_record(const ports::Message& message, std::string_view sender_id,
                           std::string event_source_arn, std::string aws_region) {
  SqsRecord r;
  r.message_id = message.message_id;
  r.receipt_handle = message.receipt_handle;
  r.body = message.body;
  r.set_attributes({{"ApproximateReceiveCount", std::to_string(message.receive_count)},
                    {"SentTimestamp", std::to_string(message.sent_timestamp_ms)},
                    {"SenderId", std::string(sender_id)},
                    {"ApproximateFirstReceiveTimestamp",
                     std::to_string(message.first_receive_timestamp_ms)}});
  SqsMessageAttributes attributes;
  for (const auto& [name, a] : message.attributes) {
    SqsMessageAttribute out;
    out.data_type = a.data_type;
    if (a.data_type.rfind("Binary", 0) == 0) out.binary_value = model::base64_encode(a.binary_value);
    else out.string_value = a.string_value;
    attributes[name] = std::move(out);
  }
  r.set_message_attributes(attributes);
  r.md5_of_body = message.md5_of_body;
  r.event_source = "aws:sqs";
  r.event_source_arn = std::move(event_source_arn);
  r.aws_region = std::move(aws_region);
  return r;
}

Result<ports::MessageAttributes> to_port_attributes(const SqsRecord& record) {
  auto decoded = record.message_attributes();
  if (!decoded.ok()) return std::move(decoded).error();
  ports::MessageAttributes out;
  for (const auto& [name, a] : *decoded) {
    ports::MessageAttribute attribute;
    attribute.data_type = a.data_type;
    if (a.string_value) attribute.string_value = *a.string_value;
    if (a.binary_value) {
      auto bytes = model::base64_decode(*a.binary_value);
      if (!bytes.ok()) {
        return Error::invalid("SQS event: messageAttributes." + name + ": " +
                              bytes.error().message);
      }
      attribute.binary_value = std::move(bytes).value();
    }
    out[name] = std::move(attribute);
  }
  return out;
}

}  // namespace cartflow::events
