// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the embedded queue: the limits and validation rules of SQS standard queues.
// Pure functions, thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "embedded/sqlite_queue.h"
#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::embedded::queue_rules {

inline constexpr int kMaxBatchEntries = 10;
inline constexpr std::size_t kMaxBatchBytes = 262'144;
inline constexpr int kMaxVisibilitySeconds = 43'200;
inline constexpr int kMaxDelaySeconds = 900;
inline constexpr int kMaxWaitSeconds = 20;
inline constexpr int kMaxAttributes = 10;

// An SQS error: its code ("InvalidParameterValue") and message.
struct QueueError {
  std::string code;
  std::string message;
};
// kInvalidArgument with message "<code>: <message>".
model::Error to_error(const QueueError& e);

// True when `text` is UTF-8 made only of #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD
// #x10000-#x10FFFF (what SQS accepts in bodies and string attributes).
bool valid_characters(std::string_view text);

// Bytes SQS counts against the size limit: body plus each attribute's name, type and value.
std::size_t message_size(const ports::SendEntry& entry);

// Checks one entry to send against the queue's limits; nullopt when it is valid.
std::optional<QueueError> check_entry(const ports::SendEntry& entry, int maximum_message_size);

// Whole-call checks of a batch's entry ids: empty batch, over 10 entries, an id outside
// [A-Za-z0-9_-]{1,80}, or repeated ids.
std::optional<QueueError> check_batch_ids(const std::vector<std::string>& ids);

std::optional<QueueError> check_receive(const ports::ReceiveRequest& request);
std::optional<QueueError> check_visibility(int seconds);
std::optional<QueueError> check_config(const QueueConfig& config);
bool valid_queue_name(std::string_view name);

}  // namespace cartflow::embedded::queue_rules
