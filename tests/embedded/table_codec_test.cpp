// SPDX-License-Identifier: Apache-2.0
#include "embedded/table_codec.h"

#include <gtest/gtest.h>

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
