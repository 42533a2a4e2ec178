// SPDX-License-Identifier: Apache-2.0
#pragma once

// DDL of the embedded queues (queues, messages), part of schema version 1. Owned by queue.cpp's
// authors; applied by the Database's migrations (schema.cpp).

namespace cartflow::embedded {

inline constexpr const char* kQueueSchemaV1 = "";

}  // namespace cartflow::embedded
