// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the embedded store tests: a fresh temporary folder per test.

#include "support/temp_dir.h"

namespace cartflow::embedded::testing {

using support::TempDir;

}  // namespace cartflow::embedded::testing
