// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "model/attribute_value.h"

namespace cartflow::model {
namespace {

Number num(std::string_view t) { return Number::parse(t).value(); }

AttributeValue nested(int containers) {
  AttributeValue v("leaf");
  for (int i = 0; i < containers; ++i) {
    if (i % 2) {
      v = AttributeValue(List{v});
    } else {
      v = AttributeValue(Map{{"m", v}});
    }
  }
  return v;
}

TEST(AttributeType, DescriptorsRoundTrip) {
  for (int t = 0; t < 10; ++t) {
    auto type = static_cast<AttributeType>(t);
    auto parsed = parse_type_descriptor(type_descriptor(type));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_STREQ(type_descriptor(AttributeType::kBool), "BOOL");
  EXPECT_FALSE(parse_type_descriptor("s").ok());
  EXPECT_FALSE(parse_type_descriptor("").ok());
  EXPECT_FALSE(parse_type_descriptor("BOOLEAN").ok());
}

TEST(AttributeValueEquality, NumbersNumericallySetsAsSets) {
  EXPECT_EQ(AttributeValue(num("1.0")), AttributeValue(num("1")));
  EXPECT_NE(AttributeValue(num("1")), AttributeValue("1"));
  EXPECT_EQ(AttributeValue(NumberSet{{num("2"), num("1.0")}}),
            AttributeValue(NumberSet{{num("1"), num("2.00")}}));
  EXPECT_EQ((NumberSet{{num("1"), num("1.0")}}.values.size()), 1u);
  EXPECT_NE(AttributeValue(StringSet{{"a"}}), AttributeValue(List{AttributeValue("a")}));
  EXPECT_EQ(AttributeValue(Map{{"a", AttributeValue(List{AttributeValue(true), AttributeValue()})}}),
            AttributeValue(Map{{"a", AttributeValue(List{AttributeValue(true), AttributeValue(Null{})})}}));
  EXPECT_NE(AttributeValue(List{AttributeValue(true), AttributeValue(false)}),
            AttributeValue(List{AttributeValue(false), AttributeValue(true)}));
  EXPECT_NE(AttributeValue(Bytes{"a"}), AttributeValue("a"));
}

TEST(AttributeValueValidate, EmptySetsFailWithPath) {
  Item item{{"order", AttributeValue(Map{{"tags", AttributeValue(StringSet{})}})}};
  Status s = validate_item(item);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("order.tags"), std::string::npos) << s.error().message;
  EXPECT_FALSE(validate(AttributeValue(NumberSet{})).ok());
  EXPECT_FALSE(validate(AttributeValue(BinarySet{})).ok());
  Item list_item{{"l", AttributeValue(List{AttributeValue(1 == 1), AttributeValue(BinarySet{})})}};
  Status ls = validate_item(list_item);
  ASSERT_FALSE(ls.ok());
  EXPECT_NE(ls.error().message.find("l[1]"), std::string::npos) << ls.error().message;
}

TEST(AttributeValueValidate, NestingLimitIs32) {
  EXPECT_TRUE(validate(nested(32)).ok());
  Status s = validate(nested(33));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("Nesting Levels have exceeded supported limits"),
            std::string::npos);
  EXPECT_TRUE(validate_item(Item{{"a", nested(32)}}).ok());
  EXPECT_FALSE(validate_item(Item{{"a", nested(33)}}).ok());
}

TEST(AttributeValueValidate, EmptyAttributeNameRejected) {
  EXPECT_FALSE(validate_item(Item{{"", AttributeValue("x")}}).ok());
  EXPECT_TRUE(validate_item(Item{{"a", AttributeValue("")}}).ok());  // empty S allowed
}

// Figures by the rules of "DynamoDB item sizes and formats" (CapacityUnitCalculations).
TEST(ItemSize, ScalarsFollowAwsRules) {
  EXPECT_EQ(value_size(AttributeValue("héllo")), 6u);  // UTF-8 bytes
  EXPECT_EQ(value_size(AttributeValue(num("1"))), 2u);     // 1 digit: ceil(1/2)+1
  EXPECT_EQ(value_size(AttributeValue(num("12"))), 2u);
  EXPECT_EQ(value_size(AttributeValue(num("123"))), 3u);
  EXPECT_EQ(value_size(AttributeValue(num("1000000"))), 2u);   // trailing zeros trimmed
  EXPECT_EQ(value_size(AttributeValue(num("0.0012"))), 2u);    // leading zeros trimmed
  EXPECT_EQ(value_size(AttributeValue(num("-12.345"))), 4u);   // 5 digits
  EXPECT_EQ(value_size(AttributeValue(num(std::string(38, '7')))), 20u);
  EXPECT_EQ(value_size(AttributeValue(Bytes{std::string(10, '\0')})), 10u);
  EXPECT_EQ(value_size(AttributeValue(true)), 1u);
  EXPECT_EQ(value_size(AttributeValue(Null{})), 1u);
}

TEST(ItemSize, DocumentsAndSets) {
  EXPECT_EQ(value_size(AttributeValue(Map{})), 3u);
  EXPECT_EQ(value_size(AttributeValue(List{})), 3u);
  // 3 overhead + ("ab" 2 + "xyz" 3 + 1 per element) = 9
  EXPECT_EQ(value_size(AttributeValue(Map{{"ab", AttributeValue("xyz")}})), 9u);
  // 3 + (1 + 1) + (2 + 1) = 8
  EXPECT_EQ(value_size(AttributeValue(List{AttributeValue(true), AttributeValue(num("5"))})), 8u);
  EXPECT_EQ(value_size(AttributeValue(StringSet{{"a", "bc"}})), 3u);
  EXPECT_EQ(value_size(AttributeValue(NumberSet{{num("1"), num("123")}})), 5u);
  EXPECT_EQ(value_size(AttributeValue(BinarySet{{Bytes{"ab"}, Bytes{"c"}}})), 3u);
}

TEST(ItemSize, NamesCount) {
  Item item{{"Id", AttributeValue(num("101"))}, {"Title", AttributeValue("Book 101 Title")}};
  // "Id" 2 + 3 ; "Title" 5 + 14
  EXPECT_EQ(item_size(item), 24u);
  Item big{{"blob", AttributeValue(Bytes{std::string(kMaxItemSize, 'x')})}};
  EXPECT_GT(item_size(big), kMaxItemSize);
}

}  // namespace
}  // namespace cartflow::model
