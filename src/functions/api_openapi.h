// SPDX-License-Identifier: Apache-2.0
#pragma once

// The OpenAPI 3 document of the api handler (openapi.yaml at the repository root), embedded at
// build time as YAML and as JSON (converted by src/functions/api_openapi_embed.py).
// The views live for the whole program; thread-safe.

#include <string_view>

namespace cartflow::functions {

std::string_view openapi_yaml();
std::string_view openapi_json();

}  // namespace cartflow::functions
