// SPDX-License-Identifier: Apache-2.0
#pragma once

// Timestamps as the items store them: ISO-8601 UTC with milliseconds ("2024-05-01T12:00:00.123Z"),
// which sort as text in time order. Pure, thread-safe.

#include <cstdint>
#include <string>

namespace cartflow::domain {

// Formats Unix milliseconds (years 1970..9999).
std::string iso8601_ms(std::int64_t unix_ms);

}  // namespace cartflow::domain
