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
local cut = '(' .. (2 * (now - tonumber(ARGV[3])))
local event = tonumber(ARGV[4])
local seeder = ARGV[5] == '1'
local want = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])

for i = 1, 4 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', cut)
end

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

local seeders = redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[3])
local leechers = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[4])

math.randomseed(tonumber(ARGV[8]))

-- Adds members other than the requester; when more were drawn than may be kept, drops random ones
-- (ZRANDMEMBER answers a small set in its stored order, so dropping the last would disfavour the
-- peers stored last).
local out = {}
local function add(members, keep)
  local mine = {}
  for _, m in ipairs(members) do
    if m ~= peer then
      mine[#mine + 1] = m
    end
  end
  while #mine > keep do
    local i = math.random(#mine)
    mine[i] = mine[#mine]
    mine[#mine] = nil
  end
  for _, m in ipairs(mine) do
    out[#out + 1] = m
  end
end

if want > 0 and event ~= 3 then
  if seeder then
    -- A seeder is sent leechers only, and is not one of them.
    add(redis.call('ZRANDMEMBER', KEYS[2], want), want)
  else
    local ns = redis.call('ZCARD', KEYS[1])
    local nl = redis.call('ZCARD', KEYS[2]) - 1
    if ns + nl <= want then
      add(redis.call('ZRANGE', KEYS[1], 0, -1), ns)
      add(redis.call('ZRANGE', KEYS[2], 0, -1), nl)
    else
      -- How many of a uniform sample of the others are seeders (hypergeometric), then that many
      -- random seeders and the rest random leechers.
      local ks, rs, rl = 0, ns, nl
      for _ = 1, want do
        if math.random() * (rs + rl) < rs then
          ks = ks + 1
          rs = rs - 1
        else
          rl = rl - 1
        end
      end
      if ks > 0 then
        add(redis.call('ZRANDMEMBER', KEYS[1], ks), ks)
      end
      if want > ks then
        add(redis.call('ZRANDMEMBER', KEYS[2], want - ks + 1), want - ks)
      end
    end
  end
end

-- In random order: clients try peers in the order given.
for i = #out, 2, -1 do
  local j = math.random(i)
  out[i], out[j] = out[j], out[i]
end

return { seeders, leechers, counted, table.concat(out) }
