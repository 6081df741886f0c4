-- wrk script: HTTP announces over keep-alive connections, varying info_hash (Zipf-like over
-- 10,000 torrents), peer port and left, with 1 % scrapes. Usage (tracker on 127.0.0.1:6969):
--   wrk -t1 -c64 -d20s -s loadtest/http-announce.lua http://127.0.0.1:6969
-- Every answer is checked: a non-200 status or a "failure reason" counts as an error.
local torrents = 10000
local hashes = {}

local function hex20(n)
  -- 20 bytes from a number, percent-encoded
  local out = {}
  local x = n * 2654435761 % 4294967296
  for i = 1, 20 do
    x = (x * 1103515245 + 12345) % 2147483648
    out[i] = string.format("%%%02x", x % 256)
  end
  return table.concat(out)
end

for i = 1, torrents do
  hashes[i] = hex20(i)
end

local counter = 0
failures = 0 -- global, so that done() can read it from every thread
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  -- rank ~ 1/u: a heavy head of popular torrents and a long tail
  local rank = math.min(torrents, math.floor(1 / math.random()))
  if counter % 100 == 0 then
    return wrk.format("GET", "/scrape?info_hash=" .. hashes[rank])
  end
  local port = 1024 + (counter % 60000)
  local left = (counter % 3 == 0) and 0 or 1000
  local path = "/announce?info_hash=" .. hashes[rank] ..
      "&peer_id=-WRK001-" .. string.format("%012d", counter % 1000000000000) ..
      "&port=" .. port .. "&uploaded=0&downloaded=0&left=" .. left .. "&compact=1&numwant=50"
  return wrk.format("GET", path)
end

response = function(status, headers, body)
  if status ~= 200 or string.find(body, "failure reason", 1, true) then
    failures = failures + 1
  end
end

done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("failures")
  end
  io.write(string.format("checked answers: %d failures (non-200 or failure reason)\n", total))
end
