// SPDX-License-Identifier: Apache-2.0
// SqliteTable::query_plain and get_plain (written straight from the stored bytes) against what
// the port's defaults write through query() and get(): the same text, pages and keys.
#include <array>
#include <string_view>

#include "model/dynamo_json.h"
#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using model::KeyCondition;

constexpr std::array<std::string_view, 2> kDrop = {"PK", "SK"};

// Every page of `q` read with query_plain, as one array, and the page boundaries it reported.
struct PlainRead {
  std::string text = "[";
  std::vector<std::optional<Item>> last_keys;
  std::size_t count = 0;
};

PlainRead read_plain(ports::Table& table, ports::QueryRequest q, bool through_default) {
  PlainRead read;
  for (int pages = 0; pages < 100; ++pages) {
    auto r = through_default ? table.ports::Table::query_plain(q, kDrop, read.text)
                             : table.query_plain(q, kDrop, read.text);
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) break;
    read.count += r->count;
    read.last_keys.push_back(r->last_evaluated_key);
    if (!r->last_evaluated_key) break;
    q.exclusive_start_key = r->last_evaluated_key;
  }
  read.text += ']';
  return read;
}

void expect_same_as_default(ports::Table& table, const ports::QueryRequest& q) {
  PlainRead fast = read_plain(table, q, false);
  PlainRead slow = read_plain(table, q, true);
  EXPECT_EQ(fast.text, slow.text);
  EXPECT_EQ(fast.count, slow.count);
  EXPECT_EQ(fast.last_keys, slow.last_keys);
}

class TablePlainTest : public TableTest {
 protected:
  void fill() {
    for (int i = 0; i < 12; ++i) {
      put({{"PK", "u"}, {"SK", "o#" + std::to_string(i)}, {"status", i % 3 ? "A" : "B"},
           {"created", num(100 - i)}, {"price", num("12.50")}, {"note", "a \"quoted\"\n line"},
           {"lines", model::List{model::Map{{"q", num(i)}, {"tags", model::StringSet{{"x", "y"}}}}}}});
    }
  }
};

TEST_F(TablePlainTest, PagesAreTheDefaultsTextKeysAndCounts) {
  fill();
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("PK", "u");
  expect_same_as_default(*table_, q);
  q.limit = 5;
  expect_same_as_default(*table_, q);
  q.scan_forward = false;
  expect_same_as_default(*table_, q);
  q.limit = 4;  // a page that ends exactly at the last item still has a LastEvaluatedKey
  expect_same_as_default(*table_, q);

  PlainRead all = read_plain(*table_, q, false);
  EXPECT_EQ(all.count, 12u);
  auto parsed = model::parse_plain_json(all.text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->as_l()->size(), 12u);
  EXPECT_EQ(parsed->as_l()->front().as_m()->count("PK"), 0u);  // dropped
}

TEST_F(TablePlainTest, AnIndexQueryPagesLikeTheDefault) {
  fill();
  ports::QueryRequest q;
  q.index_name = "by_status";
  q.key_condition = KeyCondition::hash("status", "A");
  q.limit = 3;
  expect_same_as_default(*table_, q);
}

TEST_F(TablePlainTest, FilterAndProjectionGoThroughTheDefault) {
  fill();
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("PK", "u");
  q.filter = Cond::eq(path("status"), "B");
  q.limit = 5;
  expect_same_as_default(*table_, q);
  PlainRead filtered = read_plain(*table_, q, false);
  EXPECT_EQ(filtered.count, 4u);
  q.filter.reset();
  q.projection = model::Projection{{path("price")}};
  expect_same_as_default(*table_, q);
}

TEST_F(TablePlainTest, PagesStopAtOneMegabyteAsTheDefaultsDo) {
  const std::string blob(100 * 1024, 'x');
  for (int i = 0; i < 25; ++i) {
    put({{"PK", "big"}, {"SK", "s" + std::to_string(100 + i)}, {"data", blob}, {"n", num(i)}});
  }
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("PK", "big");
  PlainRead fast = read_plain(*table_, q, false);
  EXPECT_EQ(fast.last_keys.size(), 3u);
  expect_same_as_default(*table_, q);
}

TEST_F(TablePlainTest, BadRequestsFailAsQueryDoes) {
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("nope", "u");
  std::string out = "[";
  auto plain = table_->query_plain(q, kDrop, out);
  auto typed = table_->query(q);
  ASSERT_FALSE(plain.ok());
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(plain.error().code, typed.error().code);
  EXPECT_EQ(plain.error().message, typed.error().message);
}

TEST_F(TablePlainTest, GetPlainWritesTheItemOrNothing) {
  fill();
  std::string out;
  auto found = table_->get_plain({key("u", "o#3"), true, std::nullopt}, kDrop, out);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(*found);
  std::string expected;
  ASSERT_TRUE(*table_->ports::Table::get_plain({key("u", "o#3"), true, std::nullopt}, kDrop,
                                               expected));
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.find("\"PK\""), std::string::npos);

  out.clear();
  auto missing = table_->get_plain({key("u", "none"), true, std::nullopt}, kDrop, out);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
  EXPECT_TRUE(out.empty());

  auto projected = table_->get_plain(
      {key("u", "o#3"), true, model::Projection{{path("price")}}}, kDrop, out);
  ASSERT_TRUE(projected.ok());
  EXPECT_EQ(out, "{\"price\":12.5}");
}

}  // namespace
}  // namespace cartflow::embedded::testing
