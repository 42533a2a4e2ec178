// SPDX-License-Identifier: Apache-2.0
// Differential test: the same seeded random operation sequences against the embedded store
// (SqliteTable on a temporary database) and DynamoDB Local (DynamoDbTable), comparing every
// result, error code and cancellation reason, the final contents and the change streams.
// Reproduce a failure with CARTFLOW_DIFF_SEEDS=<seed> (and CARTFLOW_DIFF_OPS=<n>).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>

#include "aws/dynamodb_table.h"
#include "dynamodb_local.h"
#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_table.h"
#include "functions/api_table.h"
#include "local_stream.h"
#include "model/dynamo_json.h"
#include "ops.h"
#include "ports/clock.h"
#include "support/temp_dir.h"

namespace cartflow::differential {
namespace {

std::vector<std::uint64_t> seeds() {
  std::vector<std::uint64_t> out = {1, 2, 3, 4, 5, 6};
  if (const char* env = std::getenv("CARTFLOW_DIFF_SEEDS")) {
    out.clear();
    std::stringstream in(env);
    for (std::string s; std::getline(in, s, ',');) out.push_back(std::stoull(s));
  }
  return out;
}

int ops_per_seed() {
  const char* env = std::getenv("CARTFLOW_DIFF_OPS");
  return env != nullptr ? std::atoi(env) : 500;
}

// DynamoDB Local rejects a whole transaction with ValidationException, or cancels it with fewer
// reasons than actions, the last a ValidationError, where DynamoDB (and the embedded store) cancel
// it with one reason per action: an update that fails on the item's data
// (docs/KNOWN_DIFFERENCES.md, "Update errors in transactions").
bool known_difference(const Op& op, const Outcome& mine, const Outcome& local) {
  if (!std::holds_alternative<Transact>(op.body)) return false;
  bool validation_reason = false;
  for (const auto& r : mine.reasons)
    validation_reason = validation_reason || r == "ValidationError";
  if (!validation_reason || local.error != model::ErrorCode::kInvalidArgument) return false;
  if (local.reasons.empty()) return local.message.find("ValidationException: Invalid") != 0;
  return local.reasons.size() < mine.reasons.size() && local.reasons.back() == "ValidationError";
}

class DifferentialTest : public aws::testing::DynamoDbLocalTest {
 protected:
  void SetUp() override {
    DynamoDbLocalTest::SetUp();
    if (HasFatalFailure()) return;
    http_ = std::make_unique<aws::HttpClient>();
    creds_ = std::make_unique<aws::StaticCredentialsProvider>(
        aws::Credentials{"test", "test", "", std::nullopt});
    streams_ = std::make_unique<aws::JsonClient>(
        *http_, *creds_, aws::ServiceEndpoint{local_->url(), "us-east-1", "dynamodb"},
        aws::JsonProtocol{"DynamoDBStreams_20120810", "application/x-amz-json-1.0"});
  }

  // Runs `ops` operations from `next` on a fresh table `table` of both backends and compares
  // them, then the contents and the streams; returns the number of operations compared.
  // `label` names the sequence in failure messages ("seed 3").
  int run_sequence(const std::string& label, const std::string& table,
                   const std::function<Op()>& next, int ops) {
    support::TempDir dir;
    auto db = embedded::Database::open({dir.file("diff.db"), false, 2});
    EXPECT_TRUE(db.ok()) << db.error().message;
    if (!db.ok()) return 0;
    // The app's table (PK/SK, GSIs userOrders and orderProducts), with both images in the
    // stream so that the comparison sees old images too.
    ports::TableDescription d = functions::table_description(table);
    d.stream_view = ports::StreamViewType::kNewAndOldImages;
    auto created = aws::create_table(client(), d);
    EXPECT_TRUE(created.ok()) << created.error().message;
    if (!created.ok()) return 0;
    ports::ManualClock clock;
    embedded::SqliteTable mine(**db, d, clock);
    embedded::SqliteChangeStream my_stream(**db, d.name, clock);
    aws::DynamoDbTable local(client(), d);

    for (int i = 0; i < ops; ++i) {
      Op op = next();
      Outcome a = run(mine, op);
      Outcome b = run(local, op);
      if (!(a == b) && known_difference(op, a, b)) {
        ++known_differences_;
      } else if (!(a == b)) {
        ADD_FAILURE() << label << ", operation " << i << ": " << describe(op)
                      << "\n  embedded: " << describe(a) << "\n  DynamoDB Local: " << describe(b);
        return i;
      }
    }
    Outcome a = contents(mine);
    Outcome b = contents(local);
    EXPECT_EQ(a, b) << label << ", final contents\n  embedded: " << describe(a)
                    << "\n  DynamoDB Local: " << describe(b);

    auto mine_records = my_stream.read({}, 1000000, std::chrono::milliseconds(0));
    auto local_records = read_local_stream(*streams_, d.name);
    EXPECT_TRUE(mine_records.ok()) << mine_records.error().message;
    EXPECT_TRUE(local_records.ok()) << local_records.error().message;
    if (mine_records.ok() && local_records.ok()) {
      std::vector<StreamEntry> mine_entries;
      for (const auto& r : mine_records->records) mine_entries.push_back(entry_of(r));
      compare_streams(label, mine_entries, *local_records);
    }
    return ops;
  }

  // DynamoDB Streams orders the records of each item, not those of different items written by
  // one batch or transaction (DynamoDB Local orders those differently from the embedded store):
  // compare the records item by item.
  static void compare_streams(const std::string& label, const std::vector<StreamEntry>& a,
                              const std::vector<StreamEntry>& b) {
    EXPECT_EQ(a.size(), b.size()) << label << ": number of stream records";
    std::map<std::string, std::pair<std::vector<StreamEntry>, std::vector<StreamEntry>>> by_item;
    for (const auto& e : a) by_item[model::to_dynamo_json(e.keys)].first.push_back(normalized(e));
    for (const auto& e : b) by_item[model::to_dynamo_json(e.keys)].second.push_back(e);
    for (const auto& [keys, records] : by_item) {
      const auto& [mine, local] = records;
      for (std::size_t i = 0; i < std::max(mine.size(), local.size()); ++i) {
        if (i < mine.size() && i < local.size() && mine[i] == local[i]) continue;
        ADD_FAILURE() << label << ", stream record " << i << " of item " << keys << " ("
                      << mine.size() << " / " << local.size()
                      << " records)\n  embedded: " << (i < mine.size() ? describe(mine[i]) : "-")
                      << "\n  DynamoDB Local: " << (i < local.size() ? describe(local[i]) : "-");
        break;
      }
    }
  }

  std::unique_ptr<aws::HttpClient> http_;
  std::unique_ptr<aws::StaticCredentialsProvider> creds_;
  std::unique_ptr<aws::JsonClient> streams_;
  int known_differences_ = 0;
};

TEST_F(DifferentialTest, RandomSequencesMatchDynamoDbLocal) {
  int total = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::uint64_t seed : seeds()) {
    Generator generator(seed);
    total += run_sequence(
        "seed " + std::to_string(seed), "diff_" + std::to_string(seed),
        [&] { return generator.next(); }, ops_per_seed());
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
  std::printf(
      "differential: %d operations compared over %zu seeds in %lld ms (%d known "
      "differences)\n",
      total, seeds().size(), static_cast<long long>(ms.count()), known_differences_);
}

// The differences the random sequences found, as fixed cases (see docs/KNOWN_DIFFERENCES.md,
// "Fixed in the embedded store").
TEST_F(DifferentialTest, FoundDifferencesStayFixed) {
  using model::path;
  using model::path_of;
  using model::Update;
  using ports::ReturnValues;
  const Item a{{"PK", "p0"}, {"SK", "a"}};
  const Item b{{"PK", "p0"}, {"SK", "b"}};
  const Cond absent = Cond::not_exists(path("PK"));
  Item first = a;
  first["s"] = "x";
  first["l"] = model::Bytes{"ab"};
  first["m"] = model::Map{{"x", AttributeValue::integer(1)}};
  Item empty_gsi_key = b;
  empty_gsi_key["GSI2SK"] = "";
  auto query = [](const std::string& pk, std::optional<std::size_t> limit,
                  std::optional<Cond> filter) {
    Query q;
    q.request.key_condition = model::KeyCondition::hash("PK", AttributeValue(pk));
    q.request.limit = limit;
    q.request.filter = std::move(filter);
    return Op{q};
  };
  std::vector<Op> ops = {
      {ports::PutRequest{first}},
      {ports::UpdateRequest{a, Update().remove(path_of("nope.x")), std::nullopt,
                            ReturnValues::kAllNew}},
      {ports::UpdateRequest{a, Update().remove(path_of("l[1]"))}},
      {ports::UpdateRequest{a, Update().erase(path_of("nope.x"), model::StringSet{{"a"}})}},
      {ports::UpdateRequest{a, Update().add(path("s"), "y"), absent}},
      {ports::UpdateRequest{a, Update().set(path("SK"), "b"), absent}},
      {ports::UpdateRequest{a, Update().set(path("SK"), "b")}},
      {ports::UpdateRequest{b, Update().remove(path_of("m.x"))}},
      {ports::PutRequest{empty_gsi_key, absent}},
      {ports::GetRequest{a, true, model::Projection{{path("m"), path_of("m.x")}}}},
      query("p0", 1, std::nullopt),
      query("p9", std::nullopt,
            Cond::between(model::operand(path("s")), model::operand(AttributeValue::integer(5)),
                          model::operand(AttributeValue::integer(1)))),
      query("p0", std::nullopt, Cond::exists(path("SK"))),
      query("p0", std::nullopt,
            Cond::compare(model::Comparator::kLt, model::operand(path("s")),
                          model::operand(model::Null{}))),
      {Transact{{ports::ConditionCheck{a, absent}},
                {ports::UpdateRequest{b, Update().add(path("s"), AttributeValue::integer(1)),
                                      Cond::exists(path("PK"))}}}},
  };
  std::size_t i = 0;
  run_sequence(
      "found differences", "diff_found", [&] { return ops[i++]; }, static_cast<int>(ops.size()));
}

}  // namespace
}  // namespace cartflow::differential
