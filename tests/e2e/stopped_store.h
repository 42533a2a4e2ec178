// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads the database file of a stopped `cartflow serve` (it holds the single-writer lock while
// running) through the embedded table, as the server itself would read it.

#include <memory>
#include <optional>
#include <string>

#include "model/result.h"

namespace cartflow::e2e {

class StoppedStore {
 public:
  // Opens `db_path` (no server may be running on it). Fails with the database's error.
  static model::Result<std::unique_ptr<StoppedStore>> open(const std::string& db_path);
  ~StoppedStore();

  // The string attribute `attribute` of cart item (user, product): "<absent>" when the item does
  // not exist, "<none>" when it has no such string attribute, "<error>" when the read failed.
  std::string cart_item_attribute(const std::string& user, const std::string& product,
                                  const std::string& attribute);

 private:
  struct Impl;
  explicit StoppedStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartflow::e2e
