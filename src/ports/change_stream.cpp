// SPDX-License-Identifier: Apache-2.0
#include "ports/change_stream.h"

namespace cartflow::ports {

const char* stream_event_name(StreamEventName name) {
  switch (name) {
    case StreamEventName::kInsert: return "INSERT";
    case StreamEventName::kModify: return "MODIFY";
    case StreamEventName::kRemove: return "REMOVE";
  }
  return "INSERT";
}

}  // namespace cartflow::ports
