// SPDX-License-Identifier: Apache-2.0
// DynamoDB JSON and plain JSON writers: a small appender over std::string (chosen by
// measurement, see docs/JSON_LIBRARY.md).
#include "model/dynamo_json.h"

namespace cartflow::model {
namespace {

void append_number(std::string& out, const Number& n) {
  out.push_back('"');
  out += n.to_string();
  out.push_back('"');
}

void append_typed(std::string& out, const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS:
      out += "{\"S\":";
      append_json_string(out, *value.as_s());
      break;
    case AttributeType::kN:
      out += "{\"N\":";
      append_number(out, *value.as_n());
      break;
    case AttributeType::kB:
      out += "{\"B\":\"";
      out += base64_encode(value.as_b()->data);
      out.push_back('"');
      break;
    case AttributeType::kBool:
      out += *value.as_bool() ? "{\"BOOL\":true" : "{\"BOOL\":false";
      break;
    case AttributeType::kNull:
      out += "{\"NULL\":true";
      break;
    case AttributeType::kM: {
      out += "{\"M\":";
      append_dynamo_json(out, *value.as_m());
      break;
    }
    case AttributeType::kL: {
      out += "{\"L\":[";
      bool first = true;
      for (const auto& v : *value.as_l()) {
        if (!first) out.push_back(',');
        first = false;
        append_typed(out, v);
      }
      out.push_back(']');
      break;
    }
    case AttributeType::kSS: {
      out += "{\"SS\":[";
      bool first = true;
      for (const auto& s : value.as_ss()->values) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, s);
      }
      out.push_back(']');
      break;
    }
    case AttributeType::kNS: {
      out += "{\"NS\":[";
      bool first = true;
      for (const auto& n : value.as_ns()->values) {
        if (!first) out.push_back(',');
        first = false;
        append_number(out, n);
      }
      out.push_back(']');
      break;
    }
    case AttributeType::kBS: {
      out += "{\"BS\":[";
      bool first = true;
      for (const auto& b : value.as_bs()->values) {
        if (!first) out.push_back(',');
        first = false;
        out.push_back('"');
        out += base64_encode(b.data);
        out.push_back('"');
      }
      out.push_back(']');
      break;
    }
  }
  out.push_back('}');
}

void append_plain_map(std::string& out, const Map& map) {
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : map) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, k);
    out.push_back(':');
    append_plain_json(out, v);
  }
  out.push_back('}');
}

}  // namespace

void append_dynamo_json(std::string& out, const AttributeValue& value) { append_typed(out, value); }

void append_dynamo_json(std::string& out, const Item& item) {
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : item) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, k);
    out.push_back(':');
    append_typed(out, v);
  }
  out.push_back('}');
}

std::string to_dynamo_json(const AttributeValue& value) {
  std::string out;
  append_dynamo_json(out, value);
  return out;
}

std::string to_dynamo_json(const Item& item) {
  std::string out;
  out.reserve(256);
  append_dynamo_json(out, item);
  return out;
}

void append_plain_json(std::string& out, const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS: append_json_string(out, *value.as_s()); return;
    case AttributeType::kN: out += value.as_n()->to_string(); return;
    case AttributeType::kB:
      out.push_back('"');
      out += base64_encode(value.as_b()->data);
      out.push_back('"');
      return;
    case AttributeType::kBool: out += *value.as_bool() ? "true" : "false"; return;
    case AttributeType::kNull: out += "null"; return;
    case AttributeType::kM: append_plain_map(out, *value.as_m()); return;
    case AttributeType::kL: {
      out.push_back('[');
      bool first = true;
      for (const auto& v : *value.as_l()) {
        if (!first) out.push_back(',');
        first = false;
        append_plain_json(out, v);
      }
      out.push_back(']');
      return;
    }
    case AttributeType::kSS: {
      out.push_back('[');
      bool first = true;
      for (const auto& s : value.as_ss()->values) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, s);
      }
      out.push_back(']');
      return;
    }
    case AttributeType::kNS: {
      out.push_back('[');
      bool first = true;
      for (const auto& n : value.as_ns()->values) {
        if (!first) out.push_back(',');
        first = false;
        out += n.to_string();
      }
      out.push_back(']');
      return;
    }
    case AttributeType::kBS: {
      out.push_back('[');
      bool first = true;
      for (const auto& b : value.as_bs()->values) {
        if (!first) out.push_back(',');
        first = false;
        out.push_back('"');
        out += base64_encode(b.data);
        out.push_back('"');
      }
      out.push_back(']');
      return;
    }
  }
}

std::string to_plain_json(const AttributeValue& value) {
  std::string out;
  append_plain_json(out, value);
  return out;
}

std::string to_plain_json(const Item& item) {
  std::string out;
  append_plain_map(out, item);
  return out;
}

void append_plain_json(std::string& out, const Item& item) { append_plain_map(out, item); }

}  // namespace cartflow::model
