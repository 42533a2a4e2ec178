// SPDX-License-Identifier: Apache-2.0
#pragma once

// The event source mapping and queue settings of deploy/template.yaml, as `cartflow serve`
// applies them locally. The source is deploy/event-source-mappings.json (compiled in), which
// tests/deploy/test_template.py proves equal to the template: one source of truth for both.

#include <string>
#include <string_view>

#include "model/result.h"
#include "platform/mapping_config.h"

namespace cartflow::app {

// The stream mapping's id: the key of its checkpoint in the database.
inline constexpr const char* kOrderStreamMappingId = "OrderStream";

struct MappingSettings {
  platform::StreamMappingConfig stream;  // OrderStream (on_failure left null)
  platform::QueueMappingConfig queue;    // OrderQueue
  int queue_visibility_timeout_seconds = 30;
  int queue_retention_seconds = 345'600;
  int max_receive_count = 5;
  int dead_letter_retention_seconds = 1'209'600;
};

// The compiled-in JSON document.
std::string_view mapping_settings_json();

// Parses a settings document; kInvalidArgument naming the property when one is missing or has
// the wrong type.
model::Result<MappingSettings> parse_mapping_settings(std::string_view json);

}  // namespace cartflow::app
