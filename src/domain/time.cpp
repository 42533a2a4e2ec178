// SPDX-License-Identifier: Apache-2.0
#include "domain/time.h"

#include <chrono>
#include <cstdio>

namespace cartflow::domain {

std::string iso8601_ms(std::int64_t unix_ms) {
  using namespace std::chrono;
  if (unix_ms < 0) unix_ms = 0;
  sys_days day{floor<days>(milliseconds(unix_ms))};
  std::int64_t ms_of_day = unix_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  year_month_day ymd{day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(ms_of_day / 3'600'000),
                static_cast<long long>(ms_of_day / 60'000 % 60),
                static_cast<long long>(ms_of_day / 1000 % 60),
                static_cast<long long>(ms_of_day % 1000));
  return buf;
}

}  // namespace cartflow::domain
