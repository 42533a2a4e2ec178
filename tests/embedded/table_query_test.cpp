// SPDX-License-Identifier: Apache-2.0
#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using model::KeyCondition;
using Op = model::KeyCondition::RangeOp;

ports::QueryRequest on(const std::string& pk) {
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("PK", pk);
  return q;
}

std::vector<AttributeValue> sort_keys(const std::vector<Item>& items, const std::string& name = "SK") {
  std::vector<AttributeValue> out;
  for (const auto& i : items) out.push_back(i.at(name));
  return out;
}

// Table with a numeric sort key, for numeric ordering.
class NumericTableTest : public TableTest {
 protected:
  void SetUp() override {
    TableTest::SetUp();
    ports::TableDescription d{"numbers", {"PK", std::string("N")}, {}, ports::StreamViewType::kNone};
    numbers_ = std::make_unique<SqliteTable>(*db_, d, clock_);
  }
  std::unique_ptr<SqliteTable> numbers_;
};

TEST_F(NumericTableTest, NumbersSortNumericallyNotAsText) {
  for (const char* n : {"10", "9", "-1", "0.5", "-100", "1e3", "0", "-0.25", "99.99"}) {
    ASSERT_TRUE(numbers_->put({{{"PK", "p"}, {"N", num(n)}}, std::nullopt, ports::ReturnValues::kNone}).ok());
  }
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("PK", "p");
  auto r = numbers_->query(q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<AttributeValue> expected;
  for (const char* n : {"-100", "-1", "-0.25", "0", "0.5", "9", "10", "99.99", "1000"}) expected.push_back(num(n));
  EXPECT_EQ(sort_keys(r->items, "N"), expected);
  q.key_condition.range_is("N", Op::kGt, num(9));
  r = numbers_->query(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items, "N"), (std::vector<AttributeValue>{num(10), num("99.99"), num(1000)}));
  q.key_condition = KeyCondition::hash("PK", "p");
  q.key_condition.range_is("N", Op::kBetween, num(-1), num("0"));
  r = numbers_->query(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items, "N"), (std::vector<AttributeValue>{num(-1), num("-0.25"), num("0")}));
}

TEST_F(TableTest, StringsSortByUtf8BytesAndBinaryByUnsignedBytes) {
  for (const char* s : {"b", "a", "B", "ab", "\xc3\xa9", "a\x7f"}) put({{"PK", "p"}, {"SK", s}});
  auto r = table_->query(on("p"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items), (std::vector<AttributeValue>{"B", "a", "ab", "a\x7f", "b", "\xc3\xa9"}));

  ports::TableDescription d{"bin", {"PK", std::string("K")}, {}, ports::StreamViewType::kNone};
  SqliteTable bin(*db_, d, clock_);
  for (std::string b : {std::string("\x80", 1), std::string("\x01", 1), std::string("\x00\x01", 2), std::string("\xff", 1)}) {
    ASSERT_TRUE(bin.put({{{"PK", "p"}, {"K", model::Bytes{b}}}, std::nullopt, ports::ReturnValues::kNone}).ok());
  }
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("PK", "p");
  auto rb = bin.query(q);
  ASSERT_TRUE(rb.ok());
  std::vector<AttributeValue> expected{model::Bytes{std::string("\x00\x01", 2)}, model::Bytes{std::string("\x01", 1)},
                                       model::Bytes{std::string("\x80", 1)}, model::Bytes{std::string("\xff", 1)}};
  EXPECT_EQ(sort_keys(rb->items, "K"), expected);
}

TEST_F(TableTest, RangeOperatorsAndBackwardScan) {
  for (const char* s : {"o#1", "o#2", "o#3", "p#1", "n#9"}) put({{"PK", "u"}, {"SK", s}});
  put({{"PK", "v"}, {"SK", "o#1"}});
  auto q = on("u");
  q.key_condition.range_is("SK", Op::kBeginsWith, "o#");
  auto r = table_->query(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items), (std::vector<AttributeValue>{"o#1", "o#2", "o#3"}));
  q.scan_forward = false;
  r = table_->query(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items), (std::vector<AttributeValue>{"o#3", "o#2", "o#1"}));
  auto lt = on("u");
  lt.key_condition.range_is("SK", Op::kLt, "o#2");
  r = table_->query(lt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items), (std::vector<AttributeValue>{"n#9", "o#1"}));
  auto le = on("u");
  le.key_condition.range_is("SK", Op::kLe, "o#2");
  EXPECT_EQ(table_->query(le)->items.size(), 3u);
  auto ge = on("u");
  ge.key_condition.range_is("SK", Op::kGe, "o#3");
  EXPECT_EQ(sort_keys(table_->query(ge)->items), (std::vector<AttributeValue>{"o#3", "p#1"}));
  auto eq = on("u");
  eq.key_condition.range_is("SK", Op::kEq, "o#2");
  EXPECT_EQ(table_->query(eq)->items.size(), 1u);
}

TEST_F(TableTest, QueryValidatesKeyConditionAgainstSchema) {
  ports::QueryRequest q;
  q.key_condition = KeyCondition::hash("SK", "x");
  auto r = table_->query(q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  q.index_name = "nope";
  EXPECT_FALSE(table_->query(q).ok());
  auto bw = on("u");
  bw.key_condition.range_is("SK", Op::kBetween, "b", AttributeValue("a"));
  EXPECT_FALSE(table_->query(bw).ok());
}

TEST_F(TableTest, LimitPaginatesAndFilterAppliesAfterLimit) {
  for (int i = 0; i < 10; ++i) {
    put({{"PK", "u"}, {"SK", "o#" + std::to_string(i)}, {"even", i % 2 == 0}});
  }
  auto q = on("u");
  q.limit = 4;
  q.filter = Cond::eq(path("even"), true);
  std::vector<AttributeValue> seen;
  int pages = 0;
  std::size_t scanned = 0;
  for (;;) {
    auto r = table_->query(q);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ++pages;
    scanned += r->scanned_count;
    EXPECT_LE(r->scanned_count, 4u);
    for (auto& v : sort_keys(r->items)) seen.push_back(v);
    if (!r->last_evaluated_key) break;
    EXPECT_EQ(r->last_evaluated_key->size(), 2u);  // PK and SK only
    q.exclusive_start_key = r->last_evaluated_key;
  }
  EXPECT_EQ(pages, 3);  // 4 + 4 + 2: no empty trailing page
  EXPECT_EQ(scanned, 10u);
  EXPECT_EQ(seen, (std::vector<AttributeValue>{"o#0", "o#2", "o#4", "o#6", "o#8"}));

  // Backward pagination visits the same items in reverse.
  auto back = on("u");
  back.scan_forward = false;
  back.limit = 3;
  std::vector<AttributeValue> reversed;
  for (;;) {
    auto r = table_->query(back);
    ASSERT_TRUE(r.ok());
    for (auto& v : sort_keys(r->items)) reversed.push_back(v);
    if (!r->last_evaluated_key) break;
    back.exclusive_start_key = r->last_evaluated_key;
  }
  ASSERT_EQ(reversed.size(), 10u);
  EXPECT_EQ(reversed.front(), AttributeValue("o#9"));
  EXPECT_EQ(reversed.back(), AttributeValue("o#0"));
}

TEST_F(TableTest, ProjectionAppliesToQueryResults) {
  put({{"PK", "u"}, {"SK", "1"}, {"a", num(1)}, {"b", num(2)}});
  auto q = on("u");
  q.projection = model::Projection{{path("b")}};
  auto r = table_->query(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0], (Item{{"b", num(2)}}));
}

TEST_F(TableTest, PagesStopAtOneMegabyte) {
  const std::string blob(100 * 1024, 'x');
  for (int i = 0; i < 25; ++i) {
    char sk[16];  // room for any int: GCC -O1 checks the format against the type
    std::snprintf(sk, sizeof sk, "%03d", i);
    put({{"PK", "big"}, {"SK", sk}, {"data", blob}});
  }
  auto q = on("big");
  std::size_t total = 0;
  int pages = 0;
  for (;;) {
    auto r = table_->query(q);
    ASSERT_TRUE(r.ok());
    ++pages;
    total += r->items.size();
    // Each page reads until it reaches 1 MB: at most 11 items of 100 KB.
    EXPECT_LE(r->items.size(), 11u);
    if (!r->last_evaluated_key) break;
    EXPECT_GE(r->items.size(), 10u);
    q.exclusive_start_key = r->last_evaluated_key;
  }
  EXPECT_EQ(total, 25u);
  EXPECT_EQ(pages, 3);
}

TEST_F(TableTest, GsiIsSparseOrderedAndMaintainedOnWrites) {
  put({{"PK", "u"}, {"SK", "1"}, {"status", "ORDERED"}, {"created", num(30)}});
  put({{"PK", "u"}, {"SK", "2"}, {"status", "ORDERED"}, {"created", num(10)}});
  put({{"PK", "v"}, {"SK", "1"}, {"status", "ORDERED"}, {"created", num(20)}});
  put({{"PK", "v"}, {"SK", "2"}, {"status", "ORDERED"}});                     // no range key: absent
  put({{"PK", "v"}, {"SK", "3"}, {"status", true}, {"created", num(5)}});     // wrong type: absent
  ports::QueryRequest q;
  q.index_name = "by_status";
  q.key_condition = KeyCondition::hash("status", "ORDERED");
  auto r = table_->query(q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(sort_keys(r->items, "created"), (std::vector<AttributeValue>{num(10), num(20), num(30)}));

  // Update moves the item within the index; delete removes it.
  model::Update u;
  u.set(path("created"), num(40));
  ASSERT_TRUE(table_->update({key("u", "2"), u, std::nullopt, ports::ReturnValues::kNone}).ok());
  model::Update cancel;
  cancel.set(path("status"), "CANCELLED");
  ASSERT_TRUE(table_->update({key("v", "1"), cancel, std::nullopt, ports::ReturnValues::kNone}).ok());
  ASSERT_TRUE(table_->remove({key("u", "1"), std::nullopt, ports::ReturnValues::kNone}).ok());
  r = table_->query(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(sort_keys(r->items, "created"), (std::vector<AttributeValue>{num(40)}));
  q.key_condition = KeyCondition::hash("status", "CANCELLED");
  EXPECT_EQ(table_->query(q)->items.size(), 1u);
}

TEST_F(TableTest, GsiPaginationIncludesBaseKeysAndHandlesEqualIndexKeys) {
  for (int i = 0; i < 7; ++i) {
    put({{"PK", "u" + std::to_string(i)}, {"SK", "x"}, {"user", "alice"}});
  }
  ports::QueryRequest q;
  q.index_name = "by_user";
  q.key_condition = KeyCondition::hash("user", "alice");
  q.limit = 3;
  std::vector<AttributeValue> seen;
  for (;;) {
    auto r = table_->query(q);
    ASSERT_TRUE(r.ok()) << r.error().message;
    for (auto& v : sort_keys(r->items, "PK")) seen.push_back(v);
    if (!r->last_evaluated_key) break;
    const Item& lek = *r->last_evaluated_key;
    EXPECT_EQ(lek.count("user"), 1u);
    EXPECT_EQ(lek.count("PK"), 1u);
    EXPECT_EQ(lek.count("SK"), 1u);
    q.exclusive_start_key = lek;
  }
  ASSERT_EQ(seen.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(seen[i], AttributeValue("u" + std::to_string(i)));
  q.consistent_read = true;
  EXPECT_FALSE(table_->query(q).ok());
}

// Found by the differential test: DynamoDB does not look ahead, a full page has a key.
TEST_F(TableTest, PageEndingAtItsLimitHasALastEvaluatedKey) {
  put({{"PK", "u"}, {"SK", "1"}});
  put({{"PK", "u"}, {"SK", "2"}});
  auto q = on("u");
  q.limit = 2;
  auto r = table_->query(q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->items.size(), 2u);
  ASSERT_TRUE(r->last_evaluated_key);
  q.exclusive_start_key = r->last_evaluated_key;
  r = table_->query(q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->items.empty());
  EXPECT_FALSE(r->last_evaluated_key);
}

// Found by the differential test: errors of the expressions, even when no item is read.
TEST_F(TableTest, QueryRejectsInvalidFilterAndProjectionBeforeReading) {
  auto expect_invalid = [&](const ports::QueryRequest& q) {
    auto r = table_->query(q);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  };
  auto q = on("nobody");
  q.filter = Cond::between(model::operand(path("n")), model::operand(num(5)), model::operand(num(1)));
  expect_invalid(q);
  q.filter = Cond::compare(model::Comparator::kLt, model::operand(path("n")),
                           model::operand(model::Null{}));
  expect_invalid(q);
  q.filter = Cond::exists(path("SK"));  // a key attribute of the table
  expect_invalid(q);
  q.filter.reset();
  q.projection = model::Projection{{path("m"), model::path_of("m.x")}};
  expect_invalid(q);

  ports::QueryRequest by_status;
  by_status.index_name = "by_status";
  by_status.key_condition = KeyCondition::hash("status", "ORDERED");
  by_status.filter = Cond::exists(path("created"));  // a key attribute of the index
  expect_invalid(by_status);
  by_status.filter = Cond::exists(path("SK"));  // not a key of the index: allowed
  EXPECT_TRUE(table_->query(by_status).ok());
}
}  // namespace
}  // namespace cartflow::embedded::testing
