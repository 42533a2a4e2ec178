// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the embedded queue: receipt handles and the stored form of message attributes
// (ids, nonces and digests come from util). All functions are thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::embedded::queue_codec {

// A receipt handle names the queue, the message row and the nonce of one receive.
struct ReceiptHandle {
  std::int64_t queue_id = 0;
  std::int64_t row_id = 0;
  std::string nonce;  // 32 random hex characters (util::random_hex(16)), one per receive
};
std::string format_receipt(const ReceiptHandle& handle);
// nullopt for anything format_receipt did not produce.
std::optional<ReceiptHandle> parse_receipt(std::string_view text);

// Attributes as stored in queue_messages.attributes (length-prefixed fields). Empty map <->
// empty string. decode fails (nullopt) on corrupt input.
std::string encode_attributes(const ports::MessageAttributes& attributes);
std::optional<ports::MessageAttributes> decode_attributes(std::string_view blob);

}  // namespace cartflow::embedded::queue_codec
