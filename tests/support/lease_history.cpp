// SPDX-License-Identifier: Apache-2.0
#include "support/lease_history.h"

#include <algorithm>
#include <optional>

namespace cartflow::support {

namespace {

// The value of "key" in a flat JSON line: a string's characters or a number's text.
std::optional<std::string> field(std::string_view line, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  const auto at = line.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = at + needle.size();
  if (i < line.size() && line[i] == '"') {
    std::string out;
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      out += line[i];
    }
    return out;
  }
  const auto end = line.find_first_of(",}", i);
  return std::string(line.substr(i, end - i));
}

std::int64_t number(std::string_view line, std::string_view key) {
  auto v = field(line, key);
  return v && !v->empty() ? std::stoll(*v) : 0;
}

bool acquisition(const LeaseEvent& e) {
  return e.message == "lease taken" || e.message == "lease stolen";
}
bool write(const LeaseEvent& e) {
  return acquisition(e) || e.message == "lease renewed" || e.message == "lease checkpointed";
}
// When an acquisition lets its owner read: a stolen lease once the former owner's deadline
// passed (the steal's own deadline is a lower bound of that).
std::int64_t effective(const LeaseEvent& e) {
  return e.message == "lease stolen" ? e.valid_until_ms : e.at_ms;
}

void check_read(const LeaseEvent& r, const std::vector<LeaseEvent>& events,
                std::int64_t tolerance, LeaseHistoryCheck& out) {
  const LeaseEvent* mine = nullptr;
  std::int64_t deadline = 0;
  for (const LeaseEvent& e : events) {
    if (e.shard != r.shard || e.owner != r.owner || !write(e) || e.at_ms > r.end_ms) continue;
    if (acquisition(e) && e.at_ms <= r.at_ms) mine = &e;
    deadline = std::max(deadline, e.valid_until_ms);
  }
  const std::string what = "read of " + r.shard + " by " + r.owner + " [" +
                           std::to_string(r.at_ms) + "," + std::to_string(r.end_ms) + "]";
  if (mine == nullptr) {
    out.violations.push_back(what + " without an acquisition before it");
    return;
  }
  if (r.at_ms + tolerance < effective(*mine)) {
    out.violations.push_back(what + " before its stolen lease was readable");
  }
  if (r.end_ms > deadline + tolerance) {
    out.violations.push_back(what + " after its deadline " + std::to_string(deadline));
  }
  for (const LeaseEvent& e : events) {
    if (e.shard == r.shard && e.owner != r.owner && acquisition(e) && e.at_ms > mine->at_ms &&
        r.end_ms > effective(e) + tolerance) {
      out.violations.push_back(what + " overlaps " + e.owner + "'s " + e.message + " at " +
                               std::to_string(e.at_ms));
    }
  }
}

}  // namespace

std::vector<LeaseEvent> parse_lease_events(std::string_view log) {
  std::vector<LeaseEvent> out;
  std::size_t begin = 0;
  while (begin < log.size()) {
    std::size_t end = log.find('\n', begin);
    if (end == std::string_view::npos) end = log.size();
    const std::string_view line = log.substr(begin, end - begin);
    begin = end + 1;
    auto message = field(line, "message");
    if (!message || !message->starts_with("lease ")) continue;
    LeaseEvent e;
    e.message = *message;
    e.shard = field(line, "shard").value_or("");
    e.owner = field(line, "owner").value_or("");
    e.at_ms = e.message == "lease read" ? number(line, "start_ms") : number(line, "at_ms");
    e.valid_until_ms = number(line, "valid_until_ms");
    e.end_ms = number(line, "end_ms");
    e.records = number(line, "records");
    e.checkpoint = field(line, "checkpoint").value_or("");
    out.push_back(std::move(e));
  }
  return out;
}

LeaseHistoryCheck check_lease_history(std::vector<LeaseEvent> events, std::int64_t tolerance_ms) {
  std::stable_sort(events.begin(), events.end(),
                   [](const LeaseEvent& a, const LeaseEvent& b) { return a.at_ms < b.at_ms; });
  LeaseHistoryCheck out;
  for (const LeaseEvent& e : events) {
    if (acquisition(e)) {
      ++out.acquisitions;
      out.owners_by_shard[e.shard].push_back(e.owner);
    }
    if (e.message != "lease read") continue;
    ++out.reads;
    check_read(e, events, tolerance_ms, out);
  }
  return out;
}

}  // namespace cartflow::support
