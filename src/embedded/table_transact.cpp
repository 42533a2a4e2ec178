// SPDX-License-Identifier: Apache-2.0
// SqliteTable::transact_write: all actions run in one savepoint of the group commit, so they
// commit together or not at all; ClientRequestToken makes retries idempotent for 10 minutes.
#include <set>
#include <string>

#include "embedded/sqlite_table.h"
#include "embedded/table_codec.h"
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

// The static checks of an action's expressions: a failure rejects the whole request with
// ValidationException before any item is read, instead of a ValidationError reason.
Status validate_statically(const ports::TransactAction& a) {
  const std::optional<model::Cond>* condition = nullptr;
  if (const auto* put = std::get_if<ports::PutRequest>(&a.action)) {
    condition = &put->condition;
  } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
    if (auto s = model::validate_update(upd->update); !s.ok()) return s;
    condition = &upd->condition;
  } else if (const auto* del = std::get_if<ports::DeleteRequest>(&a.action)) {
    condition = &del->condition;
  } else {
    return model::validate_condition(std::get<ports::ConditionCheck>(a.action).condition);
  }
  return *condition ? model::validate_condition(**condition) : Status{};
}

}  // namespace

Status SqliteTable::transact_write(const std::vector<ports::TransactAction>& actions,
                                   const std::optional<std::string>& client_request_token) {
  if (actions.empty() || actions.size() > kMaxTransactActions) {
    return Error::invalid("Member must have length less than or equal to 100 and greater than 0: "
                          "TransactItems");
  }
  std::vector<Planned> plan;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& a : actions) {
    Result<RowKey> key = Error::internal("unset");
    if (const auto* put = std::get_if<ports::PutRequest>(&a.action)) {
      key = row_key(description_.keys, put->item, false);
      if (key.ok()) {
        if (auto s = validate_item_for_write(description_, put->item); !s.ok()) return s;
      }
    } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&a.action)) {
      key = row_key(description_.keys, upd->key, true);
    } else if (const auto* del = std::get_if<ports::DeleteRequest>(&a.action)) {
      key = row_key(description_.keys, del->key, true);
    } else {
      key = row_key(description_.keys, std::get<ports::ConditionCheck>(a.action).key, true);
    }
    if (!key.ok()) return std::move(key).error();
    if (auto s = validate_statically(a); !s.ok()) return s;
    if (!seen.emplace(key->pk, key->sk).second) {
      return Error::invalid("Transaction request cannot include multiple operations on one item");
    }
    plan.push_back({std::move(*key), &a});
  }
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
      auto stmt = c.prepare("SELECT request_hash, created_ms FROM transact_tokens "
                            "WHERE tbl = ?1 AND token = ?2");
      if (!stmt.ok()) return std::move(stmt).error();
      (*stmt)->bind_text(1, description_.name).bind_text(2, *client_request_token);
      auto row = (*stmt)->step();
      if (!row.ok()) return std::move(row).error();
      if (*row && (*stmt)->column_int(1) > now - kTokenLifetimeMs) {
        bool same = (*stmt)->column_view(0) == digest;
        (*stmt)->reset();
        if (same) return {};  // a retry of a committed transaction: already applied
        return Error::invalid("IdempotentParameterMismatch: the ClientRequestToken was used with "
                              "a different request");
      }
      (*stmt)->reset();
    }
    std::vector<model::CancellationReason> reasons(plan.size(), {"None", ""});
    std::vector<std::optional<Item>> olds(plan.size());
    std::vector<const Item*> news(plan.size(), nullptr);  // null: absent after the action
    std::vector<Item> updated(plan.size());                // an update's new item lives here
    bool cancelled = false;
    bool condition_failed = false;
    for (std::size_t i = 0; i < plan.size(); ++i) {
      auto old = load_item(c, description_.name, plan[i].key);
      if (!old.ok()) return std::move(old).error();
      olds[i] = std::move(*old);
      static const Item kEmpty;
      const Item& current = olds[i] ? *olds[i] : kEmpty;
      const std::optional<model::Cond>* condition = nullptr;
      std::optional<model::Cond> check_cond;
      const auto& action = plan[i].action->action;
      if (const auto* put = std::get_if<ports::PutRequest>(&action)) {
        condition = &put->condition;
        news[i] = &put->item;
      } else if (const auto* upd = std::get_if<ports::UpdateRequest>(&action)) {
        condition = &upd->condition;
      } else if (const auto* del = std::get_if<ports::DeleteRequest>(&action)) {
        condition = &del->condition;
      } else {
        check_cond = std::get<ports::ConditionCheck>(action).condition;
        condition = &check_cond;
        news[i] = olds[i] ? &*olds[i] : nullptr;
      }
      if (*condition) {
        auto ok = model::evaluate(**condition, current);
        if (!ok.ok()) {
          reasons[i] = {"ValidationError", ok.error().message};
          cancelled = true;
          continue;
        } else if (!*ok) {
          reasons[i] = {"ConditionalCheckFailed", kConditionFailedMessage};
          cancelled = condition_failed = true;
          continue;
        }
      }
      // The update is applied only when its condition holds (DynamoDB checks it first).
      if (const auto* upd = std::get_if<ports::UpdateRequest>(&action)) {
        Item next = olds[i] ? *olds[i] : plan[i].key.attributes;
        Status applied = check_update_keys(description_.keys, upd->update);
        if (applied.ok()) applied = model::apply(upd->update, next);
        if (applied.ok()) applied = validate_item_for_write(description_, next);
        if (!applied.ok()) {
          reasons[i] = {"ValidationError", applied.error().message};
          cancelled = true;
          continue;
        }
        updated[i] = std::move(next);
        news[i] = &updated[i];
      }
    }
    if (cancelled) {
      Error e = condition_failed ? Error::condition_failed(cancellation_message(reasons))
                                 : Error::invalid(cancellation_message(reasons));
      e.cancellation_reasons = std::move(reasons);
      return e;
    }
    for (std::size_t i = 0; i < plan.size(); ++i) {
      const Item* old = olds[i] ? &*olds[i] : nullptr;
      if (old == news[i] || (old != nullptr && news[i] != nullptr && *old == *news[i])) continue;
      if (auto st = store_change(c, description_, plan[i].key, old, news[i], now); !st.ok()) {
        return st;
      }
    }
    if (client_request_token) {
      auto purge = c.prepare("DELETE FROM transact_tokens WHERE tbl = ?1 AND created_ms <= ?2");
      if (!purge.ok()) return std::move(purge).error();
      (*purge)->bind_text(1, description_.name).bind(2, now - kTokenLifetimeMs);
      if (auto st = (*purge)->run(); !st.ok()) return st;
      auto ins = c.prepare("INSERT OR REPLACE INTO transact_tokens(tbl, token, request_hash, "
                           "created_ms) VALUES (?1, ?2, ?3, ?4)");
      if (!ins.ok()) return std::move(ins).error();
      (*ins)->bind_text(1, description_.name).bind_text(2, *client_request_token);
      (*ins)->bind_blob(3, digest).bind(4, now);
      if (auto st = (*ins)->run(); !st.ok()) return st;
    }
    return {};
  });
  return s;
}

}  // namespace cartflow::embedded
