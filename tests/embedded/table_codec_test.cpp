// SPDX-License-Identifier: Apache-2.0
#include "embedded/table_codec.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

#include "model/dynamo_json.h"

namespace cartflow::embedded {
namespace {

using model::AttributeValue;
using model::Item;
using model::Number;

TEST(TableCodec, ItemRoundTripsEveryType) {
  Item item{{"s", "text"}, {"n", AttributeValue(*Number::parse("-12.5e3"))},
            {"b", model::Bytes{std::string("\0\xff", 2)}}, {"t", true}, {"f", false},
            {"null", model::Null{}}, {"m", model::Map{{"inner", model::List{"x", AttributeValue::integer(1)}}}},
            {"ss", model::StringSet{{"a", "b"}}}, {"ns", model::NumberSet{{Number::from_int(1), Number::from_int(2)}}},
            {"bs", model::BinarySet{{model::Bytes{"x"}}}}, {"", ""}};
  auto decoded = decode_item(encode_item(item));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, item);
}

TEST(TableCodec, CorruptBytesFailCleanly) {
  std::string bytes = encode_item(Item{{"s", "text"}, {"m", model::Map{{"a", "b"}}}});
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(decode_item(std::string_view(bytes).substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(decode_item(bytes + "x").ok());
}

Item every_type() {
  return Item{{"s", "te\"xt\n\xc3\xa9"}, {"n", AttributeValue(*Number::parse("-12.5e3"))},
              {"b", model::Bytes{std::string("\0\xff", 2)}}, {"t", true}, {"f", false},
              {"null", model::Null{}},
              {"m", model::Map{{"inner", model::List{"x", AttributeValue::integer(1),
                                                     model::Map{{"deep", model::Null{}}}}}}},
              {"ss", model::StringSet{{"a", "b"}}},
              {"ns", model::NumberSet{{Number::from_int(1), Number::from_int(20), Number::from_int(3)}}},
              {"bs", model::BinarySet{{model::Bytes{"x"}, model::Bytes{"yz"}}}}, {"", ""},
              {"PK", "PRODUCT"}, {"SK", "PRODUCT#1"}, {"price", AttributeValue::integer(1250)}};
}

TEST(TableCodec, PlainJsonIsWhatDecodingThenWritingGives) {
  const Item item = every_type();
  std::string out = "[";
  auto size = append_plain_json(encode_item(item), {}, out);
  ASSERT_TRUE(size.ok()) << size.error().message;
  EXPECT_EQ(out, "[" + model::to_plain_json(item));
  EXPECT_EQ(*size, model::item_size(item));
}

TEST(TableCodec, PlainJsonLeavesOutTheDroppedTopLevelNamesButCountsThem) {
  const Item item = every_type();
  constexpr std::array<std::string_view, 3> drop = {"PK", "SK", "inner"};  // "inner" is nested
  std::string out;
  auto size = append_plain_json(encode_item(item), drop, out);
  ASSERT_TRUE(size.ok());
  Item shown = item;
  shown.erase("PK");
  shown.erase("SK");
  EXPECT_EQ(out, model::to_plain_json(shown));
  EXPECT_EQ(*size, model::item_size(item));
  // Every name dropped, even the first and the last: still one valid object.
  Item two{{"PK", "a"}, {"SK", "b"}};
  out.clear();
  ASSERT_TRUE(append_plain_json(encode_item(two), drop, out).ok());
  EXPECT_EQ(out, "{}");
}

TEST(TableCodec, PlainJsonOfCorruptBytesFailsAndLeavesTheOutputAlone) {
  std::string bytes = encode_item(every_type());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    std::string out = "prefix";
    auto size = append_plain_json(std::string_view(bytes).substr(0, cut), {}, out);
    EXPECT_FALSE(size.ok()) << cut;
    EXPECT_EQ(out, "prefix") << cut;
  }
  std::string out;
  EXPECT_FALSE(append_plain_json(bytes + "x", {}, out).ok());
  // A number whose text is not a number's is corruption, not JSON to pass on.
  EXPECT_FALSE(append_plain_json(std::string("\x01\x01n\x01\x02\x01\"", 7), {}, out).ok());
}

TEST(TableCodec, KeyEncodingOrdersLikeDynamo) {
  EXPECT_LT(encode_key(AttributeValue(*Number::parse("9"))), encode_key(AttributeValue(*Number::parse("10"))));
  EXPECT_LT(encode_key(AttributeValue(*Number::parse("-10"))), encode_key(AttributeValue(*Number::parse("-9"))));
  EXPECT_LT(encode_key("a"), encode_key("ab"));
  EXPECT_LT(encode_key(model::Bytes{"\x7f"}), encode_key(model::Bytes{"\x80"}));
  EXPECT_EQ(key_successor("ab"), "ac");
  EXPECT_EQ(key_successor(std::string("a\xff", 2)), "b");
  EXPECT_TRUE(encode_key(true).empty());
}

}  // namespace
}  // namespace cartflow::embedded
