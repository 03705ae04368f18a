-- wrk script for bench/server.py: each request is one line of a prepared file,
-- "<token>\t<idempotency key>\t<JSON body>", so each is a different person's first declaration
-- with a key of its own. Arguments after "--": the file, then "wrap" to start the list again
-- when it runs out (the parse-only baseline, where the body's person does not matter) or
-- "stop" to count the lack (the real server, where a second use would be a replay).
-- The third argument is the number of wrk's threads: each takes every n-th line.

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local stride = tonumber(args[3])
  wrap = args[2] == "wrap"
  requests = {}
  statuses = {}
  exhausted = 0
  local line_number = 0
  for line in io.lines(args[1]) do
    if line_number % stride == index then
      local token, key, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {["Idempotency-Key"] = key, ["Content-Type"] = "application/json"}
      if token ~= "" then
        headers["Authorization"] = "Bearer " .. token
      end
      table.insert(requests, wrk.format("POST", "/api/v1/declarations", headers, body))
    end
    line_number = line_number + 1
  end
  next_request = 1
end

function request()
  if next_request > #requests then
    if wrap then
      next_request = 1
    else
      -- Sent again, it would be a replay: counted, and the bench refuses the round.
      exhausted = exhausted + 1
      return requests[#requests]
    end
  end
  local prepared = requests[next_request]
  next_request = next_request + 1
  return prepared
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  local lacking = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + count
    end
    lacking = lacking + thread:get("exhausted")
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "socket_errors": %d, "exhausted": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    errors.connect + errors.read + errors.write + errors.timeout, lacking,
    table.concat(parts, ", ")))
end
