-- SPDX-License-Identifier: Apache-2.0
-- Shared by the wrk scripts of bench/http_bench.sh: at the end of a run, writes one JSON line
-- (requests/s, successful requests/s, latency percentiles in microseconds, errors) to the file
-- named by WRK_REPORT, so the shell script needs no parsing of wrk's human-readable output.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local failed = e.status + e.connect + e.read + e.write + e.timeout
  local line = string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"ok_rps":%.1f,"non_2xx":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    (summary.requests - failed) / seconds, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max)
  local path = os.getenv("WRK_REPORT")
  if path then
    local f = io.open(path, "w")
    f:write(line)
    f:close()
  end
  io.write(line)
end
