// SPDX-License-Identifier: Apache-2.0
#pragma once

// The table the api handler and the event functions work on, as the app, the SAM template and
// the tests must all declare it: keys PK/SK, GSIs userOrders (GSI1PK/GSI1SK) and orderProducts
// (GSI2PK/GSI2SK), projection ALL, stream NEW_IMAGE. See docs/DATA_MODEL.md.

#include <string>

#include "ports/table.h"

namespace cartflow::functions {

// The description of the cartflow table named `name` (TABLE_NAME; "EcommerceAppTable" by
// default in the SAM template).
ports::TableDescription table_description(std::string name);

}  // namespace cartflow::functions
