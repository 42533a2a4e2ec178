// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "model/dynamo_json.h"

namespace cartflow::model {
namespace {

Number num(std::string_view t) { return Number::parse(t).value(); }

TEST(DynamoJsonGolden, EveryTypeBothWays) {
  struct Case { const char* json; AttributeValue value; };
  const Case cases[] = {
      {R"({"S":"x"})", AttributeValue("x")},
      {R"({"S":""})", AttributeValue("")},
      {R"({"N":"12.5"})", AttributeValue(num("12.5"))},
      {R"({"N":"-0.001"})", AttributeValue(num("-0.001"))},
      {R"({"B":"AAEC/w=="})", AttributeValue(Bytes{std::string("\x00\x01\x02\xff", 4)})},
      {R"({"B":""})", AttributeValue(Bytes{})},
      {R"({"BOOL":true})", AttributeValue(true)},
      {R"({"BOOL":false})", AttributeValue(false)},
      {R"({"NULL":true})", AttributeValue(Null{})},
      {R"({"M":{}})", AttributeValue(Map{})},
      {R"({"M":{"a":{"S":"b"},"n":{"N":"1"}}})",
       AttributeValue(Map{{"a", AttributeValue("b")}, {"n", AttributeValue(num("1"))}})},
      {R"({"L":[]})", AttributeValue(List{})},
      {R"({"L":[{"S":"a"},{"N":"2"},{"L":[{"NULL":true}]}]})",
       AttributeValue(List{AttributeValue("a"), AttributeValue(num("2")),
                           AttributeValue(List{AttributeValue(Null{})})})},
      {R"({"SS":["a","b"]})", AttributeValue(StringSet{{"a", "b"}})},
      {R"({"NS":["-1","1","2.5"]})", AttributeValue(NumberSet{{num("1"), num("2.5"), num("-1")}})},
      {R"({"BS":["AA==","AQ=="]})", AttributeValue(BinarySet{{Bytes{std::string(1, '\0')}, Bytes{"\x01"}}})},
  };
  for (const auto& c : cases) {
    auto parsed = parse_attribute_value(c.json);
    ASSERT_TRUE(parsed.ok()) << c.json << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, c.value) << c.json;
    EXPECT_EQ(to_dynamo_json(c.value), c.json);
  }
}

TEST(DynamoJsonGolden, NumbersAreCanonicalOnOutput) {
  EXPECT_EQ(to_dynamo_json(parse_attribute_value(R"({"N":"00012.500"})").value()), R"({"N":"12.5"})");
  EXPECT_EQ(to_dynamo_json(parse_attribute_value(R"({"N":"-0"})").value()), R"({"N":"0"})");
  EXPECT_EQ(to_dynamo_json(parse_attribute_value(R"({"N":"0.000"})").value()), R"({"N":"0"})");
  EXPECT_EQ(to_dynamo_json(parse_attribute_value(R"({"N":"+1e2"})").value()), R"({"N":"100"})");
  auto big = parse_attribute_value(R"({"N":"9.9999999999999999999999999999999999999E+125"})");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(to_dynamo_json(*big), R"({"N":")" + std::string(38, '9') + std::string(88, '0') + "\"}");
  EXPECT_TRUE(parse_attribute_value(R"({"N":"1E-130"})").ok());
  EXPECT_TRUE(parse_attribute_value(R"({"N":"12345678901234567890123456789012345678"})").ok());
}

TEST(DynamoJsonGolden, ItemWithOrderItems) {
  const char* json = R"({"PK":{"S":"USER#1"},"order_items":{"L":[{"M":{"product_id":{"S":"P1"},)"
                     R"("quantity":{"N":"2"}}},{"M":{"product_id":{"S":"P2"},"quantity":{"N":"1"}}}]},)"
                     R"("total":{"N":"19.90"}})";
  auto item = parse_item(json);
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(item->size(), 3u);
  const List* items = item->at("order_items").as_l();
  ASSERT_NE(items, nullptr);
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(*(*items)[1].as_m()->at("quantity").as_n(), num("1"));
  // Output is sorted by attribute name (Map order) and canonical.
  EXPECT_EQ(to_dynamo_json(*item),
            R"({"PK":{"S":"USER#1"},"order_items":{"L":[{"M":{"product_id":{"S":"P1"},"quantity":{"N":"2"}}},)"
            R"({"M":{"product_id":{"S":"P2"},"quantity":{"N":"1"}}}]},"total":{"N":"19.9"}})");
  std::string appended = "prefix:";
  append_dynamo_json(appended, *item);
  EXPECT_EQ(appended, "prefix:" + to_dynamo_json(*item));
}

TEST(DynamoJsonGolden, WhitespaceAndEscapesAccepted) {
  auto item = parse_item(" {\n \"a\" : { \"S\" : \"x\\n\\u00e9\\ud83d\\ude00\" } ,\"\\u0062\":{\"\\u0042OOL\":true}}\n");
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(*item->at("a").as_s(), "x\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(*item->at("b").as_bool(), true);
}

TEST(DynamoJsonGolden, NestingUpTo32) {
  std::string ok = "{\"S\":\"x\"}", bad;
  for (int i = 0; i < 32; ++i) ok = "{\"L\":[" + ok + "]}";
  EXPECT_TRUE(parse_attribute_value(ok).ok());
  bad = "{\"M\":{\"k\":" + ok + "}}";
  auto r = parse_attribute_value(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Nesting Levels have exceeded supported limits"), std::string::npos);
}

struct Malformed {
  const char* json;
  const char* fragment;
};

// Each malformed input and a fragment its error message must contain.
const Malformed kMalformedItems[] = {
    {R"({"order_items":{"L":[{"M":{}},{"M":{}},{"M":{"quantity":{"N":3}}}]}})",
     "order_items[2].quantity: N value must be a string"},
    {R"({"a":{"X":"1"}})", "a: unknown attribute type \"X\""},
    {R"({"a":{"s":"1"}})", "unknown attribute type \"s\""},
    {R"({"a":{"S":"x","N":"1"}})", "a: Supplied AttributeValue has more than one datatypes set"},
    {R"({"a":{"S":"x","S":"y"}})", "more than one datatypes"},
    {R"({"a":{}})", "a: Supplied AttributeValue is empty"},
    {R"({"a":"x"})", "a: attribute value must be a JSON object"},
    {R"({"a":[{"S":"x"}]})", "a: attribute value must be a JSON object"},
    {R"({"a":{"S":1}})", "a: S value must be a string"},
    {R"({"a":{"S":null}})", "S value must be a string"},
    {R"({"a":{"N":1}})", "a: N value must be a string"},
    {R"({"a":{"N":"abc"}})", "a: The parameter cannot be converted to a numeric value: abc"},
    {R"({"a":{"N":""}})", "The parameter cannot be converted to a numeric value"},
    {R"({"a":{"N":"1e126"}})", "Number overflow"},
    {R"({"a":{"N":"1e-131"}})", "Number underflow"},
    {R"({"a":{"N":"1234567890123456789012345678901234567890"}})", "more than 38 significant digits"},
    {R"({"a":{"B":"abc"}})", "a: B value is not valid base64"},
    {R"({"a":{"B":"ab!="}})", "B value is not valid base64"},
    {R"({"a":{"B":"AB=="}})", "non-zero padding bits"},
    {R"({"a":{"B":5}})", "B value must be a string"},
    {R"({"a":{"BOOL":"true"}})", "a: BOOL value must be true or false"},
    {R"({"a":{"NULL":false}})", "Null attribute value types must have the value of true"},
    {R"({"a":{"NULL":"true"}})", "NULL value must be true"},
    {R"({"a":{"M":[]}})", "a: M value must be an object"},
    {R"({"a":{"L":{}}})", "a: L value must be an array"},
    {R"({"a":{"SS":[]}})", "a: One or more parameter values were invalid: SS must not be empty"},
    {R"({"a":{"NS":[]}})", "NS must not be empty"},
    {R"({"a":{"BS":[]}})", "BS must not be empty"},
    {R"({"a":{"SS":["x","x"]}})", "a[1]: One or more parameter values were invalid: Input collection of SS contains duplicates"},
    {R"({"a":{"NS":["1","1.0"]}})", "Input collection of NS contains duplicates"},
    {R"({"a":{"BS":["AA==","AA=="]}})", "Input collection of BS contains duplicates"},
    {R"({"a":{"SS":"x"}})", "SS value must be an array of strings"},
    {R"({"a":{"SS":[1]}})", "a[0]: SS members must be strings"},
    {R"({"a":{"NS":["x"]}})", "a[0]: The parameter cannot be converted"},
    {R"({"a":{"BS":["!"]}})", "a[0]: BS value is not valid base64"},
    {R"({"a":{"S":"x"},"a":{"S":"y"}})", "a: duplicate attribute name"},
    {R"({"":{"S":"x"}})", "attribute name must not be empty"},
    {R"({"m":{"M":{"k":{"S":"x"},"k":{"N":"1"}}}})", "m.k: duplicate attribute name"},
    {R"([])", "an item must be a JSON object"},
    {R"("x")", "an item must be a JSON object"},
    {"", "invalid JSON"},
    {"   ", "invalid JSON"},
    {R"({"a":{"S":"x"})", "invalid JSON"},
    {R"({"a":{"S":"x"}}})", "invalid JSON"},
    {R"({"a":{"S":"x"}} {})", "invalid JSON"},
    {R"({"a":{"S":"x"}} x)", "invalid JSON"},
    {R"({"a":{"S":"x"},})", "invalid JSON"},
    {R"({"a" {"S":"x"}})", "invalid JSON"},
    {R"({a:{"S":"x"}})", "invalid JSON"},
    {R"({"a":{"S":"x\q"}})", "invalid JSON"},
    {R"({"a":{"BOOL":tru}})", "BOOL value must be true or false"},
    {"{\"a\":{\"S\":\"\xff\"}}", "invalid JSON"},
    {"{\"a\":{\"S\":\"\xc0\xaf\"}}", "invalid JSON"},
    {"{\"a\":{\"S\":\"\x01\"}}", "invalid JSON"},
};

TEST(DynamoJsonMalformed, EachFailsWithItsMessage) {
  int checked = 0;
  for (const auto& c : kMalformedItems) {
    auto r = parse_item(c.json);
    ASSERT_FALSE(r.ok()) << "accepted: " << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(c.fragment), std::string::npos)
        << c.json << "\n  got: " << r.error().message << "\n  want: " << c.fragment;
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

// check_item_json is parse_item without the item: every malformed item fails with the same
// message, and duplicate names are caught where scan_item lets them pass.
TEST(DynamoJsonMalformed, CheckItemJsonRejectsWhatParseItemRejects) {
  const Malformed more[] = {
      {R"({"l":{"L":[{"M":{"k":{"S":"x"},"k":{"S":"y"}}}]}})", "l[0].k: duplicate attribute name"},
      {R"({"b":{"S":"x"},"a":{"N":"1"},"b":{"N":"2"}})", "b: duplicate attribute name"},
      {R"({"l":{"L":[{"M":{"m":{"M":{"k":{"S":"x"},"k":{"S":"y"}}}}}]}})",
       "l[0].m.k: duplicate attribute name"},
      // The first failure is the one reported, a repeat as any other.
      {R"({"a":{"S":"x"},"a":{"S":"y"},"b":{"N":"x"}})", "a: duplicate attribute name"},
      {R"({"a":{"S":"x"},"b":{"N":"x"},"a":{"S":"y"}})", "b: The parameter cannot be converted"},
      {R"({"a":{"S":"x"},"a":{"N":"x"}})", "a: The parameter cannot be converted"},
  };
  // A repeat among many names (past the short list).
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"n" + std::to_string(i) + "\":{\"N\":\"1\"},";
  many += "\"n33\":{\"S\":\"x\"}}";
  const Malformed long_item{many.c_str(), "n33: duplicate attribute name"};
  std::vector<Malformed> cases(std::begin(kMalformedItems), std::end(kMalformedItems));
  cases.insert(cases.end(), std::begin(more), std::end(more));
  cases.push_back(long_item);
  for (const auto& c : cases) {
    auto parsed = parse_item(c.json);
    auto checked = check_item_json(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    ASSERT_FALSE(checked.ok()) << "accepted: " << c.json;
    EXPECT_EQ(checked.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(checked.error().message, parsed.error().message) << c.json;
    EXPECT_NE(checked.error().message.find(c.fragment), std::string::npos) << c.json;
  }
}

TEST(DynamoJsonGolden, CheckItemJsonAcceptsWhatParseItemAccepts) {
  for (const char* json :
       {R"({})", " {\n \"a\" : { \"S\" : \"x\\n\\u00e9\" } ,\"\\u0062\":{\"BOOL\":true}}\n",
        R"({"l":{"L":[{"M":{"k":{"S":"x"},"j":{"L":[{"N":"1"}]}}},{"S":"y"}]},"m":{"M":{"k":{"NS":["1","2"]}}}})",
        R"({"k":{"S":"x"},"K":{"S":"x"},"n":{"NULL":true},"b":{"B":"AA=="}})"}) {
    ASSERT_TRUE(parse_item(json).ok()) << json;
    auto checked = check_item_json(json);
    EXPECT_TRUE(checked.ok()) << json << ": " << checked.error().message;
  }
}

// Collects what scan_item_scalars reports.
class TopLevel final : public ItemScanner {
 public:
  Status attribute(std::string_view name, AttributeType type, std::string_view text) override {
    seen += std::string(name) + ":" + std::to_string(static_cast<int>(type)) + ":" +
            std::string(text) + ";";
    return {};
  }
  Status list_element(std::string_view, std::size_t, AttributeType) override {
    return Error::internal("list_element called");
  }
  Status element_member(std::string_view, std::size_t, std::string_view, AttributeType,
                        std::string_view) override {
    return Error::internal("element_member called");
  }
  std::string seen;
};

TEST(DynamoJsonGolden, ScanItemScalarsReadsTheTopLevelOnly) {
  TopLevel scanner;
  auto s = scan_item_scalars(
      R"({"s":{"S":"x\"y"},"l":{"L":[{"M":{"k":{"S":"z"}}}]},"n":{"N":"1.50"},)"
      R"("m":{"M":{"a":{"S":"b"}}},"t":{"BOOL":true}})",
      scanner);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto type = [](AttributeType t) { return std::to_string(static_cast<int>(t)); };
  EXPECT_EQ(scanner.seen, "s:" + type(AttributeType::kS) + ":x\"y;l:" + type(AttributeType::kL) +
                              ":;n:" + type(AttributeType::kN) + ":1.50;m:" +
                              type(AttributeType::kM) + ":;t:" + type(AttributeType::kBool) +
                              ":true;");
  TopLevel bad;
  EXPECT_FALSE(scan_item_scalars(R"({"a":{"N":"x"}})", bad).ok());
  EXPECT_FALSE(scan_item_scalars(R"({"a":"x"})", bad).ok());
  EXPECT_FALSE(scan_item_scalars(R"({"a":{"S":"x"}} x)", bad).ok());
}

TEST(DynamoJsonMalformed, SingleValueErrorsHaveNoPathPrefix) {
  auto r = parse_attribute_value(R"({"N":"x"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "The parameter cannot be converted to a numeric value: x");
  EXPECT_FALSE(parse_attribute_value(R"({"S":"x"} 1)").ok());
  EXPECT_FALSE(parse_attribute_value(R"("x")").ok());
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded).value(), plain);
  }
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v=", "Zm=v", "Zm9vYg==Zg==", "Zh==", "Zm9=", "Zm9v\n"}) {
    EXPECT_FALSE(base64_decode(bad).ok()) << bad;
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(base64_decode(base64_encode(all)).value(), all);
}

TEST(JsonString, Escaping) {
  auto q = [](std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
  };
  EXPECT_EQ(q("plain"), "\"plain\"");
  EXPECT_EQ(q("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(q("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(q(std::string("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(q("h\xc3\xa9 \xf0\x9f\x98\x80"), "\"h\xc3\xa9 \xf0\x9f\x98\x80\"");  // UTF-8 kept
  EXPECT_EQ(q("/\x7f"), "\"/\x7f\"");
  // Invalid UTF-8 cannot be written as JSON text: replaced, never passed through.
  EXPECT_EQ(q("a\xff"), R"("a\ufffd")");
  EXPECT_EQ(q("\xc0\xaf"), R"("\ufffd\ufffd")");
  EXPECT_EQ(q("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
  EXPECT_EQ(q("\xe2\x82"), R"("\ufffd\ufffd")");            // truncated
}

TEST(PlainJson, DocumentClientConversion) {
  auto v = parse_plain_json(R"({"s":"x","n":12.50,"big":123456789012345678901234567890.123456,)"
                            R"("t":true,"z":null,"l":[1,"a",[]],"m":{"k":-0}})");
  ASSERT_TRUE(v.ok()) << v.error().message;
  const Map& m = *v->as_m();
  EXPECT_EQ(*m.at("s").as_s(), "x");
  EXPECT_EQ(m.at("n").as_n()->to_string(), "12.5");
  EXPECT_EQ(m.at("big").as_n()->to_string(), "123456789012345678901234567890.123456");
  EXPECT_EQ(*m.at("t").as_bool(), true);
  EXPECT_EQ(m.at("z").type(), AttributeType::kNull);
  EXPECT_EQ(m.at("l").as_l()->size(), 3u);
  EXPECT_EQ(to_plain_json(*v),
            R"({"big":123456789012345678901234567890.123456,"l":[1,"a",[]],"m":{"k":0},"n":12.5,)"
            R"("s":"x","t":true,"z":null})");
}

TEST(PlainJson, ScalarsAtTopLevel) {
  EXPECT_EQ(parse_plain_json(" 1.5e2 ").value(), AttributeValue(num("150")));
  EXPECT_EQ(parse_plain_json("\"x\"").value(), AttributeValue("x"));
  EXPECT_EQ(parse_plain_json("false").value(), AttributeValue(false));
  EXPECT_EQ(parse_plain_json("null").value(), AttributeValue(Null{}));
}

TEST(PlainJson, SetsAndBinaryWrittenAsArraysAndBase64) {
  AttributeValue v(Map{{"ss", AttributeValue(StringSet{{"b", "a"}})},
                       {"ns", AttributeValue(NumberSet{{num("2"), num("1")}})},
                       {"bs", AttributeValue(BinarySet{{Bytes{"\x01"}}})},
                       {"b", AttributeValue(Bytes{"hi"})}});
  EXPECT_EQ(to_plain_json(v), R"({"b":"aGk=","bs":["AQ=="],"ns":[1,2],"ss":["a","b"]})");
}

TEST(PlainJson, RejectsWhatJsonOrDynamoDbRejects) {
  const Malformed cases[] = {
      {"01", "malformed number"},
      {"1.", "malformed number"},
      {"-", "invalid JSON"},
      {"+1", "invalid JSON"},
      {".5", "invalid JSON"},
      {"1e999", "Number overflow"},
      {"[1e-200]", "[0]: Number underflow"},
      {R"({"a":[1,2,12345678901234567890123456789012345678901]})", "a[2]: Attempting to store more than 38"},
      {"[1,]", "invalid JSON"},
      {"12 x", "trailing content"},
      {"{} {}", "trailing content"},
      {"nul", "invalid JSON"},
      {"true false", "invalid JSON"},
      {R"({"a":1,"a":2})", "a: duplicate attribute name"},
      {"\"\xff\"", "invalid JSON"},
      {"NaN", "invalid JSON"},
  };
  for (const auto& c : cases) {
    auto r = parse_plain_json(c.json);
    ASSERT_FALSE(r.ok()) << "accepted: " << c.json;
    EXPECT_NE(r.error().message.find(c.fragment), std::string::npos)
        << c.json << "\n  got: " << r.error().message;
  }
  std::string deep = "1";
  for (int i = 0; i < 33; ++i) deep = "[" + deep + "]";
  EXPECT_FALSE(parse_plain_json(deep).ok());
  EXPECT_TRUE(parse_plain_json(deep.substr(1, deep.size() - 2)).ok());
}

TEST(PlainJson, ItemMustBeObject) {
  EXPECT_FALSE(parse_plain_item("[1]").ok());
  EXPECT_FALSE(parse_plain_item(R"({"":1})").ok());
  auto item = parse_plain_item(R"({"price":19.99,"tags":["a"]})");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->at("price").as_n()->to_string(), "19.99");
  EXPECT_EQ(to_plain_json(*item), R"({"price":19.99,"tags":["a"]})");
}

}  // namespace
}  // namespace cartflow::model
