// SPDX-License-Identifier: Apache-2.0
// SqliteTable::transact_write: all actions run in one savepoint of the group commit, so they
// commit together or not at all; ClientRequestToken makes retries idempotent for 10 minutes.
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "embedded/sqlite_table.h"
#include "embedded/table_codec.h"
#include "embedded/read_cache.h"
#include "embedded/table_internal.h"
#include "util/hash.h"

namespace cartflow::embedded {

using model::Item;

namespace {

struct Planned {
  RowKey key;
  const ports::TransactAction* action;
};

void append_rendered(std::string& out, model::Renderer& r, const std::optional<model::Cond>& c) {
  out.push_back('|');
  if (c) out += r.condition(*c);
}

// A digest of the whole request, to tell a retry (same token, same request) from a misuse
// (same token, different request: IdempotentParameterMismatch).
std::string request_digest(const std::vector<ports::TransactAction>& actions) {
  std::string text;
  for (const auto& a : actions) {
    model::Renderer r;
    if (const auto* put = std::get_if<ports::PutRequest>(&a.action)) {
      text += "P";
      encode_item(put->item, text);
      append_rendered(text, r, put->condition);
    } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
      text += "U";
      encode_item(upd->key, text);
      text += r.update(upd->update);
      append_rendered(text, r, upd->condition);
    } else if (const auto* del = std::get_if<ports::DeleteRequest>(&a.action)) {
      text += "D";
      encode_item(del->key, text);
      append_rendered(text, r, del->condition);
    } else {
      const auto& check = std::get<ports::ConditionCheck>(a.action);
      text += "C";
      encode_item(check.key, text);
      text += r.condition(check.condition);
    }
    Item values;
    for (const auto& [name, value] : r.values()) values.emplace(name, value);
    encode_item(values, text);
    for (const auto& [placeholder, name] : r.names()) text += placeholder + "=" + name + ";";
  }
  return util::sha256(text);
}

std::string cancellation_message(const std::vector<model::CancellationReason>& reasons) {
  std::string m = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i > 0) m += ", ";
    m += reasons[i].code;
  }
  return m + "]";
}

// The condition of an action, or null when it has none.
const model::Cond* condition_of(const ports::TransactAction& a) {
  const std::optional<model::Cond>* condition = nullptr;
  if (const auto* put = std::get_if<ports::PutRequest>(&a.action)) {
    condition = &put->condition;
  } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
    condition = &upd->condition;
  } else if (const auto* del = std::get_if<ports::DeleteRequest>(&a.action)) {
    condition = &del->condition;
  } else {
    return &std::get<ports::ConditionCheck>(a.action).condition;
  }
  return *condition ? &**condition : nullptr;
}

// The static checks of an action's expressions: a failure rejects the whole request with
// ValidationException before any item is read, instead of a ValidationError reason.
Status validate_statically(const ports::TransactAction& a) {
  if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
    if (auto s = model::validate_update(upd->update); !s.ok()) return s;
  }
  const model::Cond* condition = condition_of(a);
  return condition ? model::validate_condition(*condition) : Status{};
}

// The row key of the item an action names; for a put whose key is valid, also checks the item.
// Fails with kInvalidArgument.
Result<RowKey> action_key(const ports::TableDescription& table, const ports::TransactAction& a) {
  if (const auto* put = std::get_if<ports::PutRequest>(&a.action)) {
    auto key = row_key(table.keys, put->item, false);
    if (key.ok()) {
      if (auto s = validate_item_for_write(table, put->item); !s.ok()) return std::move(s).error();
    }
    return key;
  }
  if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
    return row_key(table.keys, upd->key, true);
  }
  if (const auto* del = std::get_if<ports::DeleteRequest>(&a.action)) {
    return row_key(table.keys, del->key, true);
  }
  return row_key(table.keys, std::get<ports::ConditionCheck>(a.action).key, true);
}

// The actions with their row keys, in request order, after the checks that need no item: keys,
// put items, expressions, at most one action per item. Fails with kInvalidArgument. The plan
// points into `actions`.
Result<std::vector<Planned>> plan_actions(const ports::TableDescription& table,
                                          const std::vector<ports::TransactAction>& actions) {
  std::vector<Planned> plan;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& a : actions) {
    auto key = action_key(table, a);
    if (!key.ok()) return std::move(key).error();
    if (auto s = validate_statically(a); !s.ok()) return std::move(s).error();
    if (!seen.emplace(key->pk, key->sk).second) {
      return Error::invalid("Transaction request cannot include multiple operations on one item");
    }
    plan.push_back({std::move(*key), &a});
  }
  return plan;
}

// Whether `token` was used, within its lifetime, by this very request (`digest`): then the
// transaction is already applied. Fails with kInvalidArgument (IdempotentParameterMismatch) when
// it was used by another request, or with the database's error.
Result<bool> is_retry(Connection& c, const std::string& table, const std::string& token,
                      const std::string& digest, std::int64_t now) {
  auto stmt = c.prepare("SELECT request_hash, created_ms FROM transact_tokens "
                        "WHERE tbl = ?1 AND token = ?2");
  if (!stmt.ok()) return std::move(stmt).error();
  (*stmt)->bind_text(1, table).bind_text(2, token);
  auto row = (*stmt)->step();
  if (!row.ok()) return std::move(row).error();
  if (*row && (*stmt)->column_int(1) > now - SqliteTable::kTokenLifetimeMs) {
    bool same = (*stmt)->column_view(0) == digest;
    (*stmt)->reset();
    if (same) return true;
    return Error::invalid("IdempotentParameterMismatch: the ClientRequestToken was used with "
                          "a different request");
  }
  (*stmt)->reset();
  return false;
}

// What the planned actions do, by plan index.
struct Effects {
  explicit Effects(std::size_t n)
      : reasons(n, {"None", ""}), olds(n), news(n, nullptr), updated(n) {}

  // Cancels the transaction for action i's `reason`.
  void cancel(std::size_t i, model::CancellationReason reason) {
    reasons[i] = std::move(reason);
    cancelled = true;
  }

  std::vector<model::CancellationReason> reasons;
  std::vector<std::optional<Item>> olds;  // the items before
  std::vector<const Item*> news;          // after; null: absent after the action
  std::vector<Item> updated;              // an update's new item lives here
  bool cancelled = false;
  bool condition_failed = false;  // some reason is ConditionalCheckFailed
};

// The item an update makes of `before`. Fails with kInvalidArgument when the update touches a
// key attribute, cannot apply, or makes an item that cannot be written.
Result<Item> updated_item(const ports::TableDescription& table, const ports::UpdateRequest& upd,
                          const Item& before) {
  Item next = before;
  Status applied = check_update_keys(table.keys, upd.update);
  if (applied.ok()) applied = model::apply(upd.update, next);
  if (applied.ok()) applied = validate_item_for_write(table, next);
  if (!applied.ok()) return std::move(applied).error();
  return next;
}

// Checks action i's condition on its item before (effects.olds[i]) and sets its item after, or
// cancels the transaction: ConditionalCheckFailed, or ValidationError when the condition cannot
// be evaluated or the update cannot apply.
void evaluate_action(const ports::TableDescription& table, const Planned& planned, std::size_t i,
                     Effects& effects) {
  static const Item kEmpty;
  const std::optional<Item>& old = effects.olds[i];
  if (const model::Cond* condition = condition_of(*planned.action)) {
    auto holds = model::evaluate(*condition, old ? *old : kEmpty);
    if (!holds.ok()) return effects.cancel(i, {"ValidationError", holds.error().message});
    if (!*holds) {
      effects.condition_failed = true;
      return effects.cancel(i, {"ConditionalCheckFailed", kConditionFailedMessage});
    }
  }
  const auto& action = planned.action->action;
  if (const auto* put = std::get_if<ports::PutRequest>(&action)) {
    effects.news[i] = &put->item;
  } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&action)) {
    // The update is applied only when its condition holds (DynamoDB checks it first).
    auto next = updated_item(table, *upd, old ? *old : planned.key.attributes);
    if (!next.ok()) return effects.cancel(i, {"ValidationError", next.error().message});
    effects.updated[i] = std::move(*next);
    effects.news[i] = &effects.updated[i];
  } else if (std::holds_alternative<ports::ConditionCheck>(action)) {
    effects.news[i] = old ? &*old : nullptr;
  }
}

// Reads the planned items and evaluates every action on them (all of them, so that a
// cancellation gives every action's reason). Fails only with the database's error.
Result<Effects> evaluate_actions(Connection& c, const ports::TableDescription& table,
                                 const std::vector<Planned>& plan) {
  Effects effects(plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    auto old = load_item(c, table.name, plan[i].key);
    if (!old.ok()) return std::move(old).error();
    effects.olds[i] = std::move(*old);
    evaluate_action(table, plan[i], i, effects);
  }
  return effects;
}

// The error of a cancelled transaction, carrying every action's reason: kConditionFailed when a
// condition failed, else kInvalidArgument.
Error cancellation_error(Effects& effects) {
  std::string message = cancellation_message(effects.reasons);
  Error e = effects.condition_failed ? Error::condition_failed(std::move(message))
                                     : Error::invalid(std::move(message));
  e.cancellation_reasons = std::move(effects.reasons);
  return e;
}

// Writes the items the actions change (skipping those left as they were).
Status store_changes(Connection& c, const ports::TableDescription& table,
                     const std::vector<Planned>& plan, const Effects& effects, std::int64_t now) {
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Item* old = effects.olds[i] ? &*effects.olds[i] : nullptr;
    const Item* next = effects.news[i];
    if (old == next || (old != nullptr && next != nullptr && *old == *next)) continue;
    if (auto st = store_change(c, table, plan[i].key, old, next, now); !st.ok()) return st;
  }
  return {};
}

// Records `token` as used by the request `digest` now, purging the tokens past their lifetime.
Status remember_token(Connection& c, const std::string& table, const std::string& token,
                      const std::string& digest, std::int64_t now) {
  auto purge = c.prepare("DELETE FROM transact_tokens WHERE tbl = ?1 AND created_ms <= ?2");
  if (!purge.ok()) return std::move(purge).error();
  (*purge)->bind_text(1, table).bind(2, now - SqliteTable::kTokenLifetimeMs);
  if (auto st = (*purge)->run(); !st.ok()) return st;
  auto ins = c.prepare("INSERT OR REPLACE INTO transact_tokens(tbl, token, request_hash, "
                       "created_ms) VALUES (?1, ?2, ?3, ?4)");
  if (!ins.ok()) return std::move(ins).error();
  (*ins)->bind_text(1, table).bind_text(2, token);
  (*ins)->bind_blob(3, digest).bind(4, now);
  return (*ins)->run();
}

}  // namespace

Status SqliteTable::transact_write(const std::vector<ports::TransactAction>& actions,
                                   const std::optional<std::string>& client_request_token) {
  if (actions.empty() || actions.size() > kMaxTransactActions) {
    return Error::invalid("Member must have length less than or equal to 100 and greater than 0: "
                          "TransactItems");
  }
  auto plan = plan_actions(description_, actions);
  if (!plan.ok()) return std::move(plan).error();
  std::string digest;
  if (client_request_token) {
    if (client_request_token->empty() || client_request_token->size() > 36) {
      return Error::invalid("ClientRequestToken must be 1 to 36 characters");
    }
    digest = request_digest(actions);
  }

  std::int64_t now = clock_.now_ms();
  Status s = db_.write([&](Connection& c) -> Status {
    if (client_request_token) {
      auto retry = is_retry(c, description_.name, *client_request_token, digest, now);
      if (!retry.ok()) return std::move(retry).error();
      if (*retry) return {};  // a retry of a committed transaction: already applied
    }
    auto effects = evaluate_actions(c, description_, *plan);
    if (!effects.ok()) return std::move(effects).error();
    if (effects->cancelled) return cancellation_error(*effects);
    if (cache_) {
      for (const Planned& action : *plan) cache_->note_change(action.key.pk);
    }
    if (auto st = store_changes(c, description_, *plan, *effects, now); !st.ok()) return st;
    if (client_request_token) {
      return remember_token(c, description_.name, *client_request_token, digest, now);
    }
    return {};
  });
  return s;
}

}  // namespace cartflow::embedded
