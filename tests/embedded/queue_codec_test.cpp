// SPDX-License-Identifier: Apache-2.0
#include "embedded/queue_codec.h"

#include <gtest/gtest.h>

namespace cartflow::embedded::queue_codec {
namespace {

constexpr const char* kNonce = "0123456789abcdef0123456789abcdef";

TEST(QueueCodec, ReceiptRoundTrips) {
  ReceiptHandle h{7, 9223372036854775807, kNonce};
  auto parsed = parse_receipt(format_receipt(h));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->queue_id, 7);
  EXPECT_EQ(parsed->row_id, 9223372036854775807);
  EXPECT_EQ(parsed->nonce, kNonce);
}

// Found by fuzz/fuzz_queue_codec.cpp: ids with leading zeros named the same message as the
// handle format_receipt wrote, so one receive had many valid handles.
TEST(QueueCodec, ReceiptRejectsLeadingZeros) {
  EXPECT_TRUE(parse_receipt(std::string("cf1-1-17-") + kNonce));
  EXPECT_FALSE(parse_receipt(std::string("cf1-01-17-") + kNonce));
  EXPECT_FALSE(parse_receipt(std::string("cf1-1-017-") + kNonce));
  EXPECT_FALSE(parse_receipt(std::string("cf1-0-17-") + kNonce));
}

TEST(QueueCodec, ReceiptRejectsOtherSpellings) {
  EXPECT_FALSE(parse_receipt(std::string("cf1-+1-17-") + kNonce));
  EXPECT_FALSE(parse_receipt(std::string("cf1--1-17-") + kNonce));
  EXPECT_FALSE(parse_receipt(std::string("cf1-1-99999999999999999999-") + kNonce));
  EXPECT_FALSE(parse_receipt("cf1-1-17-0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(parse_receipt(std::string("cf1-1-17-") + kNonce + "0"));
}

TEST(QueueCodec, AttributesRoundTripAndRejectTruncation) {
  ports::MessageAttributes attributes{{"a", {"String", "x", ""}}, {"b", {"Binary", "", std::string("\0\xff", 2)}}};
  std::string blob = encode_attributes(attributes);
  EXPECT_EQ(decode_attributes(blob), attributes);
  EXPECT_EQ(encode_attributes({}), "");
  EXPECT_EQ(decode_attributes(""), ports::MessageAttributes{});
  for (std::size_t cut = 1; cut < blob.size(); ++cut) {
    EXPECT_FALSE(decode_attributes(std::string_view(blob).substr(0, cut))) << cut;
  }
  EXPECT_FALSE(decode_attributes(blob + "x"));
}

}  // namespace
}  // namespace cartflow::embedded::queue_codec
