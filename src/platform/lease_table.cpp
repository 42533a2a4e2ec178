// SPDX-License-Identifier: Apache-2.0
#include "platform/lease_table.h"

#include "platform/item_fields.h"

namespace cartflow::platform {

using model::AttributeValue;
using model::Cond;
using model::Item;
using model::Result;

namespace {


Lease lease_of(const Item& item) {
  Lease lease;
  lease.shard = item_string(item, kSk);
  lease.owner = item_string(item, "owner");
  lease.counter = item_int(item, "counter");
  lease.checkpoint = item_string(item, "checkpoint");
  auto parents = item.find("parents");
  if (parents != item.end() && parents->second.as_ss() != nullptr) {
    const auto& values = parents->second.as_ss()->values;
    lease.parents.assign(values.begin(), values.end());
  }
  return lease;
}

// The lease's version as `lease` says it is: its counter, and its owner or its absence.
Cond unchanged(const Lease& lease) {
  Cond owner = lease.owner.empty() ? Cond::not_exists(model::path("owner"))
                                   : Cond::eq(model::path("owner"), AttributeValue(lease.owner));
  return Cond::eq(model::path("counter"), AttributeValue::integer(lease.counter)) && owner;
}

}  // namespace

ports::TableDescription lease_table_description(std::string name) {
  return own_table_description(std::move(name));
}

Result<std::vector<Lease>> LeaseTable::list() const {
  ports::QueryRequest query;
  query.key_condition = model::KeyCondition::hash(kPk, AttributeValue(stream_id_));
  query.consistent_read = true;
  auto items = ports::query_all(table_, std::move(query));
  if (!items.ok()) return std::move(items).error();
  std::vector<Lease> leases;
  for (const Item& item : *items) leases.push_back(lease_of(item));
  return leases;
}

Result<Lease> LeaseTable::create(const Lease& lease) {
  Lease created = lease;
  created.owner.clear();
  created.counter = 0;
  Item item = {{kPk, AttributeValue(stream_id_)},
               {kSk, AttributeValue(created.shard)},
               {"counter", AttributeValue::integer(0)},
               {"checkpoint", AttributeValue(created.checkpoint)}};
  if (!created.parents.empty()) {
    item.emplace("parents", AttributeValue(model::StringSet{{created.parents.begin(),
                                                             created.parents.end()}}));
  }
  auto put = table_.put({.item = std::move(item), .condition = Cond::not_exists(model::path(kPk))});
  if (!put.ok()) return std::move(put).error();
  return created;
}

Result<Lease> LeaseTable::take(const Lease& lease, const std::string& owner) {
  Lease to = lease;
  to.owner = owner;
  return write(lease, std::move(to));
}

Result<Lease> LeaseTable::renew(const Lease& lease) { return write(lease, lease); }

Result<Lease> LeaseTable::checkpoint(const Lease& lease, const std::string& checkpoint) {
  Lease to = lease;
  to.checkpoint = checkpoint;
  return write(lease, std::move(to));
}

Result<Lease> LeaseTable::release(const Lease& lease) {
  Lease to = lease;
  to.owner.clear();
  return write(lease, std::move(to));
}

model::Status LeaseTable::remove(const Lease& lease) {
  auto removed = table_.remove({.key = {{kPk, AttributeValue(stream_id_)},
                                        {kSk, AttributeValue(lease.shard)}},
                                .condition = unchanged(lease)});
  if (!removed.ok()) return std::move(removed).error();
  return {};
}

// One conditional update from `from` to `to` (owner and checkpoint), counter + 1.
Result<Lease> LeaseTable::write(const Lease& from, Lease to) {
  to.counter = from.counter + 1;
  ports::UpdateRequest request;
  request.key = {{kPk, AttributeValue(stream_id_)}, {kSk, AttributeValue(from.shard)}};
  request.update.set(model::path("counter"), AttributeValue::integer(to.counter));
  if (to.owner.empty()) {
    request.update.remove(model::path("owner"));
  } else {
    request.update.set(model::path("owner"), AttributeValue(to.owner));
  }
  if (to.checkpoint != from.checkpoint) {
    request.update.set(model::path("checkpoint"), AttributeValue(to.checkpoint));
  }
  request.condition = unchanged(from);
  auto updated = table_.update(request);
  if (!updated.ok()) return std::move(updated).error();
  return to;
}

}  // namespace cartflow::platform
