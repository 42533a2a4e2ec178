// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the SQS client: request building, response parsing and the local checks.
// Pure functions, thread-safe.

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/json_client.h"
#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::aws::sqs {

inline constexpr int kMaxBatchEntries = 10;
inline constexpr std::size_t kMaxMessageBytes = 262'144;
inline constexpr int kMaxWaitSeconds = 20;

// kInvalidArgument "<code>: <message>", as the embedded queue and to_model_error word them.
model::Error queue_error(std::string_view code, std::string_view message);

// The local checks of one entry to send (see sqs_queue.h); nullopt when it may be sent.
std::optional<ports::BatchEntryFailure> check_entry(const ports::SendEntry& entry);
// Empty or over 10 entries: the whole-call error.
std::optional<model::Error> check_batch_size(std::size_t entries);

// "{" "QueueUrl":"<url>" -- the start of every request body that names a queue.
std::string body_with_url(const std::string& url);
// Appends ,"MessageBody":...,"MessageAttributes":{...},"DelaySeconds":n for one entry.
void append_entry(std::string& out, const ports::SendEntry& entry);

// Calls `operation` and parses its answer, a JSON object, into `doc` (owned by `parser`).
// Fails with the call's error, or kInternal when the answer is not a JSON object.
model::Status call_json(JsonClient& client, std::string_view operation, const std::string& body,
                        simdjson::dom::parser& parser, simdjson::dom::element& doc);
// Calls `operation` and ignores its answer.
model::Status call_status(JsonClient& client, std::string_view operation, const std::string& body);
// A string member, empty when absent or not a string.
std::string string_of(simdjson::dom::element object, std::string_view key);
// A number held as a string ("1700000000000"), 0 when absent or malformed.
std::int64_t int_of(simdjson::dom::element object, std::string_view key);

// One "Messages" element of a ReceiveMessage answer. Fails with kInternal on bad base64.
model::Result<ports::Message> parse_message(simdjson::dom::element m);
// One "Failed" element of a batch answer.
ports::BatchEntryFailure parse_failure(simdjson::dom::element f);

}  // namespace cartflow::aws::sqs
