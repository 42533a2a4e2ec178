-- SPDX-License-Identifier: Apache-2.0
-- POST /order (durable): each request orders the cart of the next user of this thread, in the
-- sequence wrk_cart.lua filled ("b<thread>u<n>"), so every order finds a cart of its own. Runs
-- with as many wrk threads as the cart run; requests past the filled carts answer 4xx and are
-- counted as non_2xx (ok_rps excludes them).
dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")
local threads = {}
local counter = 1

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["x-api-key"] = os.getenv("WRK_API_KEY")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local body = '{"user_id":"b' .. tid .. "u" .. counter .. '"}'
  counter = counter + 1
  return wrk.format(nil, "/order", nil, body)
end
