-- wrk script of npm run bench (bench/run.js passes the arguments after "--").
--
--   wrk ... -s bench/wrk.lua <url> -- <mode> <run-id> <sku-prefix> <sku-count> <hot-sku> <skus-per-call>
--
-- mode: hello          GET / (the hello-world baseline)
--       live           GET /health/live (a storefront route with every hook but no auth and no Redis)
--       availability   GET /v1/availability with <skus-per-call> random SKUs of the <sku-count>
--       reserve-spread POST /v1/reservations of 1 unit of a random SKU of the <sku-count>
--       reserve-hot    POST /v1/reservations of 1 unit of <hot-sku>
-- Every reservation carries its own Idempotency-Key (run id, thread, counter, random), so none is a replay.
-- Authorization comes from wrk's -H option. At the end it prints one line "WRK_JSON {...}" with the
-- request count, latency percentiles (microseconds), socket errors and, for reservations, the count of
-- each HTTP status.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local mode, run_id, sku_prefix, sku_count, hot_sku, per_call
local counter = 0
statuses = {}

local function random_sku()
  return string.format("%s%05d", sku_prefix, math.random(0, sku_count - 1))
end

function init(args)
  mode = args[1] or "hello"
  run_id = args[2] or "run"
  sku_prefix = args[3] or "SKU-"
  sku_count = tonumber(args[4] or "10000")
  hot_sku = args[5] or "HOT-00001"
  per_call = tonumber(args[6] or "5")
  math.randomseed(os.time() * 1000 + tid * 7919)
  for _ = 1, 10 do math.random() end
  if mode == "reserve-spread" or mode == "reserve-hot" then
    wrk.headers["Content-Type"] = "application/json"
    -- Only the reservation modes count statuses: response() costs wrk a little per request.
    response = function(status, headers, body)
      statuses[status] = (statuses[status] or 0) + 1
    end
  end
end

function request()
  counter = counter + 1
  if mode == "hello" then
    return wrk.format("GET", "/")
  elseif mode == "live" then
    return wrk.format("GET", "/health/live")
  elseif mode == "availability" then
    local parts = {}
    for i = 1, per_call do parts[i] = "sku=" .. random_sku() end
    return wrk.format("GET", "/v1/availability?" .. table.concat(parts, "&"))
  else
    local sku = (mode == "reserve-hot") and hot_sku or random_sku()
    wrk.headers["Idempotency-Key"] = string.format("%s-%d-%d-%08x", run_id, tid, counter, math.random(0, 2147483646))
    return wrk.format("POST", "/v1/reservations", nil, '{"lines":[{"sku":"' .. sku .. '","quantity":1}]}')
  end
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for code, n in pairs(s) do merged[code] = (merged[code] or 0) + n end
    end
  end
  local codes = {}
  for code, n in pairs(merged) do table.insert(codes, string.format('"%d":%d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,"stdev":%.1f},"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, latency.stdev, table.concat(codes, ",")))
end
