// SPDX-License-Identifier: Apache-2.0
// Data the reference wrote, on the embedded store (the same scenario runs on DynamoDB Local in
// tests/aws_e2e/reference_data_aws_test.cpp).
#include "reference_data.h"

namespace cartflow::functions {
namespace {

using namespace testing;  // NOLINT: test fixtures

TEST(ReferenceData, EmbeddedStoreReadsWhatTheReferenceWrote) {
  Store store;
  run_reference_data_scenario(*store.table, *store.queue, std::chrono::milliseconds(0));
}

}  // namespace
}  // namespace cartflow::functions
