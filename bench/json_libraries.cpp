// SPDX-License-Identifier: Apache-2.0
// Which JSON library for the model codec? Parses a typical order item (DynamoDB JSON) into
// model::Item and serializes it back with each candidate. Converters here apply the same
// checks as the real codec (one type key, Number::parse, base64) so the comparison is fair.
// Results and the decision: docs/JSON_LIBRARY.md.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "model/dynamo_json.h"
#include "order_sample.h"

namespace {

using namespace cartflow;
using model::AttributeType;
using model::AttributeValue;

// ---- generic conversion from an already-parsed DOM, parameterised by small adapters ---------
// Each adapter provides: is_object, is_array, is_string, is_bool, str, boolean, members(f),
// elements(f). Returns false on any error (messages are not needed for the comparison).
template <typename A, typename V>
bool convert(const V& v, AttributeValue& out, int depth);

template <typename A, typename V>
bool convert_typed(std::string_view key, const V& payload, AttributeValue& out, int depth) {
  auto type = model::parse_type_descriptor(key);
  if (!type) return false;
  switch (*type) {
    case AttributeType::kS:
      if (!A::is_string(payload)) return false;
      out = AttributeValue(std::string(A::str(payload)));
      return true;
    case AttributeType::kN: {
      if (!A::is_string(payload)) return false;
      auto n = model::Number::parse(A::str(payload));
      if (!n) return false;
      out = AttributeValue(std::move(n).value());
      return true;
    }
    case AttributeType::kB: {
      if (!A::is_string(payload)) return false;
      auto b = model::base64_decode(A::str(payload));
      if (!b) return false;
      out = AttributeValue(model::Bytes{std::move(b).value()});
      return true;
    }
    case AttributeType::kBool:
      if (!A::is_bool(payload)) return false;
      out = AttributeValue(A::boolean(payload));
      return true;
    case AttributeType::kNull:
      if (!A::is_bool(payload) || !A::boolean(payload)) return false;
      out = AttributeValue(model::Null{});
      return true;
    case AttributeType::kM: {
      if (!A::is_object(payload) || depth >= model::kMaxNestingDepth) return false;
      model::Map m;
      bool ok = A::members(payload, [&](std::string_view k, const auto& child) {
        AttributeValue c;
        return convert<A>(child, c, depth + 1) && m.emplace(std::string(k), std::move(c)).second;
      });
      out = AttributeValue(std::move(m));
      return ok;
    }
    case AttributeType::kL: {
      if (!A::is_array(payload) || depth >= model::kMaxNestingDepth) return false;
      model::List l;
      bool ok = A::elements(payload, [&](const auto& child) {
        AttributeValue c;
        if (!convert<A>(child, c, depth + 1)) return false;
        l.push_back(std::move(c));
        return true;
      });
      out = AttributeValue(std::move(l));
      return ok;
    }
    case AttributeType::kSS: {
      if (!A::is_array(payload)) return false;
      model::StringSet s;
      bool ok = A::elements(payload, [&](const auto& child) {
        return A::is_string(child) && s.values.emplace(A::str(child)).second;
      });
      if (!ok || s.values.empty()) return false;
      out = AttributeValue(std::move(s));
      return true;
    }
    case AttributeType::kNS:
    case AttributeType::kBS:
      return false;  // not in the sample
  }
  return false;
}

template <typename A, typename V>
bool convert(const V& v, AttributeValue& out, int depth) {
  if (!A::is_object(v)) return false;
  int count = 0;
  bool ok = A::members(v, [&](std::string_view key, const auto& payload) {
    return ++count == 1 && convert_typed<A>(key, payload, out, depth);
  });
  return ok && count == 1;
}

template <typename A, typename V>
bool convert_item(const V& v, model::Item& item) {
  if (!A::is_object(v)) return false;
  return A::members(v, [&](std::string_view key, const auto& child) {
    AttributeValue c;
    return convert<A>(child, c, 0) && item.emplace(std::string(key), std::move(c)).second;
  });
}

// ---- simdjson DOM (runtime-dispatched SIMD kernel) -------------------------------------------
struct SimdDom {
  using E = simdjson::dom::element;
  static bool is_object(const E& e) { return e.is_object(); }
  static bool is_array(const E& e) { return e.is_array(); }
  static bool is_string(const E& e) { return e.is_string(); }
  static bool is_bool(const E& e) { return e.is_bool(); }
  static std::string_view str(const E& e) { return e.get_string().value_unsafe(); }
  static bool boolean(const E& e) { return e.get_bool().value_unsafe(); }
  template <typename F> static bool members(const E& e, F f) {
    simdjson::dom::object object = e.get_object().value_unsafe();  // not a temporary in range-for
    for (auto field : object) {
      if (!f(field.key, field.value)) return false;
    }
    return true;
  }
  template <typename F> static bool elements(const E& e, F f) {
    simdjson::dom::array array = e.get_array().value_unsafe();
    for (auto child : array) {
      if (!f(child)) return false;
    }
    return true;
  }
};

// ---- Boost.JSON ------------------------------------------------------------------------------
struct BoostJson {
  using V = boost::json::value;
  static bool is_object(const V& v) { return v.is_object(); }
  static bool is_array(const V& v) { return v.is_array(); }
  static bool is_string(const V& v) { return v.is_string(); }
  static bool is_bool(const V& v) { return v.is_bool(); }
  static std::string_view str(const V& v) { const auto& s = v.get_string(); return {s.data(), s.size()}; }
  static bool boolean(const V& v) { return v.get_bool(); }
  template <typename F> static bool members(const V& v, F f) {
    for (const auto& kv : v.get_object()) {
      if (!f(std::string_view(kv.key().data(), kv.key().size()), kv.value())) return false;
    }
    return true;
  }
  template <typename F> static bool elements(const V& v, F f) {
    for (const auto& child : v.get_array()) {
      if (!f(child)) return false;
    }
    return true;
  }
};

// ---- RapidJSON -------------------------------------------------------------------------------
struct Rapid {
  using V = rapidjson::Value;
  static bool is_object(const V& v) { return v.IsObject(); }
  static bool is_array(const V& v) { return v.IsArray(); }
  static bool is_string(const V& v) { return v.IsString(); }
  static bool is_bool(const V& v) { return v.IsBool(); }
  static std::string_view str(const V& v) { return {v.GetString(), v.GetStringLength()}; }
  static bool boolean(const V& v) { return v.GetBool(); }
  template <typename F> static bool members(const V& v, F f) {
    for (const auto& m : v.GetObject()) {
      if (!f(std::string_view(m.name.GetString(), m.name.GetStringLength()), m.value)) return false;
    }
    return true;
  }
  template <typename F> static bool elements(const V& v, F f) {
    for (const auto& child : v.GetArray()) {
      if (!f(child)) return false;
    }
    return true;
  }
};

model::Item reference_item() {
  auto item = model::parse_item(bench::order_item_json());
  if (!item) std::abort();
  return std::move(item).value();
}

void check(const model::Item& item) {
  static const model::Item reference = reference_item();
  if (!(item == reference)) {
    std::fprintf(stderr, "converter produced a different item\n");
    std::abort();
  }
}

// ---- parse benchmarks ------------------------------------------------------------------------
void BM_Parse_SimdjsonOnDemand_OurCodec(benchmark::State& state) {
  const std::string json = bench::order_item_json();
  check(model::parse_item(json).value());
  for (auto _ : state) {
    auto item = model::parse_item(json);
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_Parse_SimdjsonOnDemand_OurCodec);

void BM_Parse_SimdjsonDom(benchmark::State& state) {
  const simdjson::padded_string json(bench::order_item_json());
  simdjson::dom::parser parser;
  auto once = [&] {
    model::Item item;
    simdjson::dom::element root;
    if (parser.parse(json).get(root) || !convert_item<SimdDom>(root, item)) std::abort();
    return item;
  };
  check(once());
  for (auto _ : state) {
    auto item = once();
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_Parse_SimdjsonDom);

void BM_Parse_BoostJson(benchmark::State& state) {
  const std::string json = bench::order_item_json();
  auto once = [&] {
    // A monotonic arena per parse, as a tuned Boost.JSON user would do.
    unsigned char buffer[8192];
    boost::json::monotonic_resource mr(buffer, sizeof buffer);
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(json, ec, &mr);
    model::Item item;
    if (ec || !convert_item<BoostJson>(v, item)) std::abort();
    return item;
  };
  check(once());
  for (auto _ : state) {
    auto item = once();
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_Parse_BoostJson);

void BM_Parse_RapidJson(benchmark::State& state) {
  const std::string json = bench::order_item_json();
  auto once = [&] {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    model::Item item;
    if (doc.HasParseError() || !convert_item<Rapid>(doc, item)) std::abort();
    return item;
  };
  check(once());
  for (auto _ : state) {
    auto item = once();
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_Parse_RapidJson);

// ---- serialize benchmarks --------------------------------------------------------------------
void BM_Serialize_OurAppender(benchmark::State& state) {
  const model::Item item = reference_item();
  std::string out;
  for (auto _ : state) {
    out.clear();
    model::append_dynamo_json(out, item);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Serialize_OurAppender);

boost::json::value to_boost(const AttributeValue& v, boost::json::storage_ptr sp) {
  boost::json::object o(sp);
  switch (v.type()) {
    case AttributeType::kS: o.emplace("S", *v.as_s()); break;
    case AttributeType::kN: o.emplace("N", v.as_n()->to_string()); break;
    case AttributeType::kBool: o.emplace("BOOL", *v.as_bool()); break;
    case AttributeType::kNull: o.emplace("NULL", true); break;
    case AttributeType::kM: {
      boost::json::object m(sp);
      for (const auto& [k, c] : *v.as_m()) m.emplace(k, to_boost(c, sp));
      o.emplace("M", std::move(m));
      break;
    }
    case AttributeType::kL: {
      boost::json::array a(sp);
      for (const auto& c : *v.as_l()) a.push_back(to_boost(c, sp));
      o.emplace("L", std::move(a));
      break;
    }
    case AttributeType::kSS: {
      boost::json::array a(sp);
      for (const auto& s : v.as_ss()->values) a.emplace_back(s);
      o.emplace("SS", std::move(a));
      break;
    }
    default: std::abort();  // not in the sample
  }
  return o;
}

void BM_Serialize_BoostJson(benchmark::State& state) {
  const model::Item item = reference_item();
  std::string reference = model::to_dynamo_json(item);
  auto once = [&] {
    unsigned char buffer[16384];
    boost::json::monotonic_resource mr(buffer, sizeof buffer);
    boost::json::storage_ptr sp(&mr);
    boost::json::object o(sp);
    for (const auto& [k, v] : item) o.emplace(k, to_boost(v, sp));
    return boost::json::serialize(o);
  };
  if (once().size() != reference.size()) std::abort();
  for (auto _ : state) {
    std::string out = once();
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Serialize_BoostJson);

template <typename W>
void write_rapid(W& w, const AttributeValue& v) {
  w.StartObject();
  switch (v.type()) {
    case AttributeType::kS: w.Key("S", 1); w.String(v.as_s()->data(), static_cast<rapidjson::SizeType>(v.as_s()->size())); break;
    case AttributeType::kN: { w.Key("N", 1); std::string n = v.as_n()->to_string(); w.String(n.data(), static_cast<rapidjson::SizeType>(n.size())); break; }
    case AttributeType::kBool: w.Key("BOOL", 4); w.Bool(*v.as_bool()); break;
    case AttributeType::kNull: w.Key("NULL", 4); w.Bool(true); break;
    case AttributeType::kM:
      w.Key("M", 1);
      w.StartObject();
      for (const auto& [k, c] : *v.as_m()) {
        w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        write_rapid(w, c);
      }
      w.EndObject();
      break;
    case AttributeType::kL:
      w.Key("L", 1);
      w.StartArray();
      for (const auto& c : *v.as_l()) write_rapid(w, c);
      w.EndArray();
      break;
    case AttributeType::kSS:
      w.Key("SS", 2);
      w.StartArray();
      for (const auto& s : v.as_ss()->values) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
      w.EndArray();
      break;
    default: std::abort();
  }
  w.EndObject();
}

void BM_Serialize_RapidJsonWriter(benchmark::State& state) {
  const model::Item item = reference_item();
  std::string reference = model::to_dynamo_json(item);
  auto once = [&] {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    for (const auto& [k, v] : item) {
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      write_rapid(w, v);
    }
    w.EndObject();
    return std::string(sb.GetString(), sb.GetSize());
  };
  if (once().size() != reference.size()) std::abort();
  for (auto _ : state) {
    std::string out = once();
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Serialize_RapidJsonWriter);

}  // namespace
