// SPDX-License-Identifier: Apache-2.0
#include "embedded/queue_rules.h"

#include <cstdint>
#include <set>

namespace cartflow::embedded::queue_rules {

namespace {

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    char b = prefix[i];
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// [+-]? digits [. digits]? ([eE] [+-]? digits)?, at least one digit before the exponent.
bool valid_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0 || digits > 38 + 40) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

std::optional<QueueError> check_attribute(const std::string& name,
                                          const ports::MessageAttribute& a) {
  auto bad = [&](const std::string& why) {
    return QueueError{"InvalidParameterValue", "Message (user) attribute '" + name + "' " + why};
  };
  if (name.empty() || name.size() > 256) return bad("must have a name of 1 to 256 characters.");
  for (char c : name) {
    if (!id_char(c) && c != '.') return bad("has a name with characters outside A-Za-z0-9_-.");
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) {
    return bad("has a name with a leading, trailing or doubled period.");
  }
  if (starts_with_ci(name, "AWS.") || starts_with_ci(name, "Amazon.")) {
    return bad("uses a reserved prefix (AWS. or Amazon.).");
  }
  std::string_view type = a.data_type;
  if (type.size() > 256) return bad("has a data type over 256 characters.");
  auto base = type.substr(0, type.find('.'));
  if (base != "String" && base != "Number" && base != "Binary") {
    return bad("has an invalid data type '" + a.data_type + "'.");
  }
  if (type.size() > base.size() && type.size() == base.size() + 1) {
    return bad("has an empty custom data type suffix.");
  }
  if (!valid_characters(type)) return bad("has invalid characters in its data type.");
  if (base == "Binary") {
    if (a.binary_value.empty()) return bad("must contain a non-empty message attribute value.");
    return std::nullopt;
  }
  if (a.string_value.empty()) return bad("must contain a non-empty message attribute value.");
  if (!valid_characters(a.string_value)) {
    return QueueError{"InvalidMessageContents",
                      "Invalid characters found in message attribute '" + name + "'."};
  }
  if (base == "Number" && !valid_number(a.string_value)) {
    return bad("has an invalid Number value '" + a.string_value + "'.");
  }
  return std::nullopt;
}

}  // namespace

model::Error to_error(const QueueError& e) { return model::Error::invalid(e.code + ": " + e.message); }

bool valid_characters(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    std::uint32_t c = *p;
    int extra = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      extra = 0;
    } else if ((c & 0xE0) == 0xC0) {
      c &= 0x1F, extra = 1, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      c &= 0x0F, extra = 2, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      c &= 0x07, extra = 3, min = 0x10000;
    } else {
      return false;
    }
    if (end - p < extra + 1) return false;  // truncated sequence
    ++p;
    for (int i = 0; i < extra; ++i, ++p) {
      if ((*p & 0xC0) != 0x80) return false;
      c = (c << 6) | (*p & 0x3F);
    }
    if (c < min) return false;  // overlong
    bool ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
              (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    if (!ok) return false;
  }
  return true;
}

std::size_t message_size(const ports::SendEntry& entry) {
  std::size_t size = entry.body.size();
  for (const auto& [name, a] : entry.attributes) {
    size += name.size() + a.data_type.size() + a.string_value.size() + a.binary_value.size();
  }
  return size;
}

std::optional<QueueError> check_entry(const ports::SendEntry& entry, int maximum_message_size) {
  if (entry.body.empty()) {
    return QueueError{"MissingParameter", "The request must contain the parameter MessageBody."};
  }
  if (entry.delay_seconds && (*entry.delay_seconds < 0 || *entry.delay_seconds > kMaxDelaySeconds)) {
    return QueueError{"InvalidParameterValue",
                      "Value " + std::to_string(*entry.delay_seconds) +
                          " for parameter DelaySeconds is invalid. Reason: must be between 0 "
                          "and 900, if provided."};
  }
  if (message_size(entry) > static_cast<std::size_t>(maximum_message_size)) {
    return QueueError{"InvalidParameterValue",
                      "One or more parameters are invalid. Reason: Message must be shorter "
                      "than " + std::to_string(maximum_message_size) + " bytes."};
  }
  if (!valid_characters(entry.body)) {
    return QueueError{"InvalidMessageContents",
                      "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                      "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"};
  }
  if (entry.attributes.size() > static_cast<std::size_t>(kMaxAttributes)) {
    return QueueError{"InvalidParameterValue",
                      "Number of message attributes [" + std::to_string(entry.attributes.size()) +
                          "] exceeds the allowed maximum [10]."};
  }
  for (const auto& [name, a] : entry.attributes) {
    if (auto e = check_attribute(name, a)) return e;
  }
  return std::nullopt;
}

std::optional<QueueError> check_batch_ids(const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return QueueError{"AWS.SimpleQueueService.EmptyBatchRequest",
                      "There should be at least one entry in the request."};
  }
  if (ids.size() > static_cast<std::size_t>(kMaxBatchEntries)) {
    return QueueError{"AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                      "Maximum number of entries per request are 10. You have sent " +
                          std::to_string(ids.size()) + "."};
  }
  std::set<std::string_view> seen;
  for (const auto& id : ids) {
    bool ok = !id.empty() && id.size() <= 80;
    for (char c : id) ok = ok && id_char(c);
    if (!ok) {
      return QueueError{"AWS.SimpleQueueService.InvalidBatchEntryId",
                        "A batch entry id can only contain alphanumeric characters, hyphens and "
                        "underscores. It can be at most 80 letters long."};
    }
    if (!seen.insert(id).second) {
      return QueueError{"AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                        "Id " + id + " repeated."};
    }
  }
  return std::nullopt;
}

std::optional<QueueError> check_visibility(int seconds) {
  if (seconds < 0 || seconds > kMaxVisibilitySeconds) {
    return QueueError{"InvalidParameterValue",
                      "Value " + std::to_string(seconds) +
                          " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 "
                          "and 43200."};
  }
  return std::nullopt;
}

std::optional<QueueError> check_receive(const ports::ReceiveRequest& request) {
  if (request.max_messages < 1 || request.max_messages > kMaxBatchEntries) {
    return QueueError{"InvalidParameterValue",
                      "Value " + std::to_string(request.max_messages) +
                          " for parameter MaxNumberOfMessages is invalid. Reason: Must be between "
                          "1 and 10, if provided."};
  }
  if (request.wait.count() < 0 || request.wait.count() > kMaxWaitSeconds * 1000) {
    return QueueError{"InvalidParameterValue",
                      "Value for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and "
                      "<= 20, if provided."};
  }
  if (request.visibility_timeout_seconds) return check_visibility(*request.visibility_timeout_seconds);
  return std::nullopt;
}

bool valid_queue_name(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  for (char c : name) {
    if (!id_char(c)) return false;
  }
  return true;
}

std::optional<QueueError> check_config(const QueueConfig& c) {
  auto bad = [](const std::string& what) {
    return QueueError{"InvalidAttributeValue", "Invalid value for the parameter " + what + "."};
  };
  if (!valid_queue_name(c.name)) {
    return QueueError{"InvalidParameterValue",
                      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 "
                      "in length"};
  }
  if (c.visibility_timeout_seconds < 0 || c.visibility_timeout_seconds > kMaxVisibilitySeconds) {
    return bad("VisibilityTimeout");
  }
  if (c.message_retention_seconds < 60 || c.message_retention_seconds > 1'209'600) {
    return bad("MessageRetentionPeriod");
  }
  if (c.delay_seconds < 0 || c.delay_seconds > kMaxDelaySeconds) return bad("DelaySeconds");
  if (c.maximum_message_size < 1024 || c.maximum_message_size > 262'144) {
    return bad("MaximumMessageSize");
  }
  if (c.redrive_policy) {
    if (c.redrive_policy->max_receive_count < 1 || c.redrive_policy->max_receive_count > 1000) {
      return bad("RedrivePolicy (maxReceiveCount must be 1..1000)");
    }
    if (!valid_queue_name(c.redrive_policy->dead_letter_queue)) {
      return bad("RedrivePolicy (deadLetterTargetArn)");
    }
  }
  return std::nullopt;
}

}  // namespace cartflow::embedded::queue_rules
