// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the DynamoDB Streams client's parsers (aws/dynamodb_stream_internal.h):
// arbitrary bytes as a DescribeStream, GetRecords and GetShardIterator answer, and as a
// position token. Answers parse or fail without crashing; what parses keeps the promises the
// stream relies on (shard ids, sequence numbers and iterators non-empty, images valid items).
// A token that decodes re-encodes to a token that decodes to the same cursor (a token naming
// only the current shard is the empty cursor, the one normalization encode_cursor makes).
// Any mismatch aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "aws/dynamodb_stream_internal.h"
#include "model/attribute_value.h"

namespace {

namespace d = cartflow::aws::detail;
using cartflow::ports::StreamViewType;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s\n%.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

void check_image(const std::optional<cartflow::model::Item>& image, std::string_view input) {
  if (image && !cartflow::model::validate_item(*image).ok()) fail("record image fails validate_item", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto page = d::parse_describe_stream(input); page.ok()) {
    for (const auto& shard : page->shards) {
      if (shard.id.empty()) fail("DescribeStream shard without id", input);
    }
  }
  // The view type the table describes when a record names none; the first byte picks it.
  auto view = size > 0 && data[0] % 2 ? StreamViewType::kKeysOnly : StreamViewType::kNewAndOldImages;
  if (auto page = d::parse_get_records(input, view); page.ok()) {
    for (const auto& r : page->records) {
      if (r.sequence_number.empty()) fail("GetRecords record without SequenceNumber", input);
      if (!cartflow::model::validate_item(r.keys).ok()) fail("record keys fail validate_item", input);
      check_image(r.new_image, input);
      check_image(r.old_image, input);
    }
  }
  if (auto it = d::parse_shard_iterator(input); it.ok() && it->empty()) fail("empty ShardIterator", input);

  if (auto cursor = d::decode_cursor(std::string(input)); cursor.ok()) {
    std::string token = d::encode_cursor(*cursor);
    auto again = d::decode_cursor(token);
    if (!again.ok()) fail("encode_cursor wrote a token decode_cursor rejects", input);
    d::StreamCursor expected = *cursor;
    if (expected.sequences.empty() && expected.finished.empty()) expected.current.clear();
    if (!(*again == expected)) fail("cursor differs after encode + decode", input);
    if (d::encode_cursor(*again) != token) fail("encode_cursor is not a fixed point", input);
  }
  return 0;
}
