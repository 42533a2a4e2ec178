-- SPDX-License-Identifier: Apache-2.0
-- POST /cart/{user_id}: each request adds a product to the cart of the next user of this
-- thread ("b<thread>u<n>"), so carts are spread over many users (as real traffic is) and the
-- order run (wrk_order.lua) finds a filled cart for the same user names in the same sequence.
-- WRK_PRODUCT_ID names the product; WRK_API_KEY the key.
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
  body = '{"product_id":"' .. os.getenv("WRK_PRODUCT_ID") .. '","quantity":1}'
end

function request()
  local path = "/cart/b" .. tid .. "u" .. counter
  counter = counter + 1
  return wrk.format(nil, path, nil, body)
end
