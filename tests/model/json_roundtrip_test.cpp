// SPDX-License-Identifier: Apache-2.0
// Property tests: random nested items survive serialize -> parse unchanged, in DynamoDB JSON
// always and in plain JSON when the item has only plain-representable types.
#include <gtest/gtest.h>

#include <random>

#include "model/dynamo_json.h"

namespace cartflow::model {
namespace {

class Generator {
 public:
  Generator(std::uint32_t seed, bool plain_only) : rng_(seed), plain_only_(plain_only) {}

  Item item() {
    Item out;
    int n = pick(0, 8);
    for (int i = 0; i < n; ++i) {
      std::string name = string();
      if (name.empty()) name = "k";
      out.emplace(std::move(name), value(0));
    }
    return out;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string string() {
    static const char* pieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
                                   "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "#", "order", "{", "]"};
    std::string s;
    int n = pick(0, 6);
    for (int i = 0; i < n; ++i) s += pieces[pick(0, sizeof pieces / sizeof *pieces - 1)];
    return s;
  }

  Number number() {
    std::string digits;
    int n = pick(1, 38);
    for (int i = 0; i < n; ++i) digits.push_back(static_cast<char>('0' + pick(0, 9)));
    std::string text = (pick(0, 1) ? "-" : "") + digits + "e" + std::to_string(pick(-129, 87));
    auto r = Number::parse(text);
    return r.ok() ? r.value() : Number::from_int(pick(-1000, 1000));
  }

  Bytes bytes() {
    Bytes b;
    int n = pick(0, 12);
    for (int i = 0; i < n; ++i) b.data.push_back(static_cast<char>(pick(0, 255)));
    return b;
  }

  AttributeValue value(int depth) {
    int max_type = plain_only_ ? 6 : 9;
    int t = pick(0, max_type);
    if (depth >= 6 && (t == 4 || t == 5)) t = 0;
    // Type codes here: 0 S, 1 N, 2 BOOL, 3 NULL, 4 M, 5 L, 6 N again, 7 B, 8 sets, 9 BS.
    switch (t) {
      case 0: return AttributeValue(string());
      case 1:
      case 6: return AttributeValue(number());
      case 2: return AttributeValue(pick(0, 1) == 1);
      case 3: return AttributeValue(Null{});
      case 4: {
        Map m;
        int n = pick(0, 4);
        for (int i = 0; i < n; ++i) m.emplace(string(), value(depth + 1));
        return AttributeValue(std::move(m));
      }
      case 5: {
        List l;
        int n = pick(0, 4);
        for (int i = 0; i < n; ++i) l.push_back(value(depth + 1));
        return AttributeValue(std::move(l));
      }
      case 7: return AttributeValue(bytes());
      case 8: {
        int n = pick(1, 4);
        if (pick(0, 1)) {
          StringSet s;
          for (int i = 0; i < n; ++i) s.values.insert(string());
          return AttributeValue(std::move(s));
        }
        NumberSet s;
        for (int i = 0; i < n; ++i) s.values.insert(number());
        return AttributeValue(std::move(s));
      }
      default: {
        BinarySet s;
        int n = pick(1, 4);
        for (int i = 0; i < n; ++i) s.values.insert(bytes());
        return AttributeValue(std::move(s));
      }
    }
  }

  std::mt19937 rng_;
  bool plain_only_;
};

TEST(DynamoJsonRoundTrip, RandomItemsSurviveUnchanged) {
  Generator gen(20240501, false);
  int non_trivial = 0;
  for (int i = 0; i < 2000; ++i) {
    Item item = gen.item();
    ASSERT_TRUE(validate_item(item).ok());
    std::string json = to_dynamo_json(item);
    auto parsed = parse_item(json);
    ASSERT_TRUE(parsed.ok()) << json << "\n" << parsed.error().message;
    ASSERT_EQ(*parsed, item) << json;
    EXPECT_EQ(to_dynamo_json(*parsed), json);  // canonical: a fixed point
    EXPECT_EQ(item_size(*parsed), item_size(item));
    for (const auto& [name, value] : item) {
      auto single = parse_attribute_value(to_dynamo_json(value));
      ASSERT_TRUE(single.ok());
      EXPECT_EQ(*single, value);
    }
    if (json.size() > 200) ++non_trivial;
  }
  EXPECT_GT(non_trivial, 200);  // the generator does produce nested items
}

TEST(PlainJsonRoundTrip, RandomPlainItemsSurviveUnchanged) {
  Generator gen(777, true);
  for (int i = 0; i < 2000; ++i) {
    Item item = gen.item();
    std::string json = to_plain_json(item);
    auto parsed = parse_plain_item(json);
    ASSERT_TRUE(parsed.ok()) << json << "\n" << parsed.error().message;
    ASSERT_EQ(*parsed, item) << json;
    // And through DynamoDB JSON too.
    auto via_dynamo = parse_item(to_dynamo_json(*parsed));
    ASSERT_TRUE(via_dynamo.ok());
    EXPECT_EQ(*via_dynamo, item);
  }
}

}  // namespace
}  // namespace cartflow::model
