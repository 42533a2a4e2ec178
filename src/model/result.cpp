// SPDX-License-Identifier: Apache-2.0
#include "model/result.h"

namespace cartflow::model {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound: return "NotFound";
    case ErrorCode::kConditionFailed: return "ConditionFailed";
    case ErrorCode::kInvalidArgument: return "InvalidArgument";
    case ErrorCode::kThrottled: return "Throttled";
    case ErrorCode::kUnavailable: return "Unavailable";
    case ErrorCode::kInternal: return "Internal";
  }
  return "Internal";
}

}  // namespace cartflow::model
