-- SPDX-License-Identifier: Apache-2.0
-- GET of the URL given to wrk, with the API key from WRK_API_KEY (none for nginx).
dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")
local key = os.getenv("WRK_API_KEY")
if key and key ~= "" then
  wrk.headers["x-api-key"] = key
end
