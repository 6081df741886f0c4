-- One announce, in one round trip (RedisSwarmStore). All keys of a torrent share its {info_hash}
-- hash tag, so they sit in one slot of a Redis Cluster.
-- KEYS: seeders and leechers of the announcing peer's address family, seeders and leechers of the
--       other family (counts cover the torrent), the completed count.
-- ARGV: peer (compact 6 or 18 bytes), now (seconds), peer timeout (seconds), event (0 none,
--       1 completed, 2 started, 3 stopped), seeder (1 or 0), numwant, key ttl (seconds), random seed.
-- A member's score is 2 * last-seen + 1 once its completion was counted, so a repeated completed
-- event is not counted again.
-- Answers { seeders, leechers, completion counted (1 or 0), compact peers }.
local peer = ARGV[1]
local now = tonumber(ARGV[2])
local from = 2 * (now - tonumber(ARGV[3]))
local cut = '(' .. from
local event = tonumber(ARGV[4])
local seeder = ARGV[5] == '1'
local want = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])

-- The announcing family's sets lose their peers past the timeout; the other family's are only
-- counted (their own announces trim them, and their keys expire).
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cut)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cut)

local was = redis.call('ZSCORE', KEYS[1], peer)
local wasIn = KEYS[1]
if not was then
  was = redis.call('ZSCORE', KEYS[2], peer)
  wasIn = KEYS[2]
end

local counted = 0
if event == 3 then
  if was then
    redis.call('ZREM', wasIn, peer)
  end
else
  local flag = 0
  if was then
    flag = tonumber(was) % 2
  end
  if event == 1 and flag == 0 then
    flag = 1
    counted = 1
    redis.call('INCR', KEYS[5])
  end
  local into = seeder and KEYS[1] or KEYS[2]
  if was and wasIn ~= into then
    redis.call('ZREM', wasIn, peer)
  end
  redis.call('ZADD', into, 2 * now + flag, peer)
  redis.call('EXPIRE', into, ttl)
  redis.call('EXPIRE', KEYS[5], ttl)
end

local ownSeeders = redis.call('ZCARD', KEYS[1])
local ownLeechers = redis.call('ZCARD', KEYS[2])
local seeders = ownSeeders + redis.call('ZCOUNT', KEYS[3], from, '+inf')
local leechers = ownLeechers + redis.call('ZCOUNT', KEYS[4], from, '+inf')

math.randomseed(tonumber(ARGV[8]))

-- A random window of k members of the n in key, wrapping around, in stored order (as the in-memory
-- store samples): each member is in it with the same chance, at the cost of a range read (a
-- ZRANDMEMBER of a large set measured 22 us a call against about 7 for the range).
local function window(key, n, k)
  if k <= 0 or n <= 0 then
    return {}
  end
  if k >= n then
    return redis.call('ZRANGE', key, 0, -1)
  end
  local start = math.random(n) - 1
  local got = redis.call('ZRANGE', key, start, start + k - 1)
  if start + k > n then
    for _, m in ipairs(redis.call('ZRANGE', key, 0, start + k - n - 1)) do
      got[#got + 1] = m
    end
  end
  return got
end

-- Leaves the requester out of members drawn one more than needed; without it there, a random one
-- (dropping the last would disfavour the peers stored after the window).
local function without(members, keep)
  if #members <= keep then
    for i = 1, #members do
      if members[i] == peer then
        table.remove(members, i)
        break
      end
    end
    return members
  end
  local drop = math.random(#members)
  for i = 1, #members do
    if members[i] == peer then
      drop = i
      break
    end
  end
  members[drop] = members[#members]
  members[#members] = nil
  return members
end

local peers = ''
if want > 0 and event ~= 3 then
  if seeder then
    -- A seeder is sent leechers only, and is not one of them.
    peers = table.concat(window(KEYS[2], ownLeechers, want))
  else
    local ns = ownSeeders
    local nl = ownLeechers - 1
    local ks = ns
    if ns + nl > want then
      -- How many of a uniform sample of the others are seeders (hypergeometric), then that many
      -- seeders and the rest leechers, each a random window.
      local rs, rl = ns, nl
      ks = 0
      for _ = 1, want do
        if math.random() * (rs + rl) < rs then
          ks = ks + 1
          rs = rs - 1
        else
          rl = rl - 1
        end
      end
    end
    -- One leecher more than needed, as the requester is one of them.
    local kl = math.min(want - ks, nl)
    peers = table.concat(window(KEYS[1], ns, ks))
      .. table.concat(without(window(KEYS[2], nl + 1, kl + 1), kl))
  end
end

return { seeders, leechers, counted, peers }
