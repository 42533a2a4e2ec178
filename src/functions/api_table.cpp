// SPDX-License-Identifier: Apache-2.0
#include "functions/api_table.h"

#include "domain/keys.h"

namespace cartflow::functions {

ports::TableDescription table_description(std::string name) {
  using domain::kGsi1Pk, domain::kGsi1Sk, domain::kGsi2Pk, domain::kGsi2Sk;
  ports::TableDescription d;
  d.name = std::move(name);
  d.keys = ports::KeySchema{std::string(domain::kPk), std::string(domain::kSk)};
  d.indexes.push_back(ports::IndexDescription{
      std::string(domain::kUserOrdersIndex),
      ports::KeySchema{std::string(kGsi1Pk), std::string(kGsi1Sk)}});
  d.indexes.push_back(ports::IndexDescription{
      std::string(domain::kOrderProductsIndex),
      ports::KeySchema{std::string(kGsi2Pk), std::string(kGsi2Sk)}});
  d.stream_view = ports::StreamViewType::kNewImage;
  return d;
}

}  // namespace cartflow::functions
