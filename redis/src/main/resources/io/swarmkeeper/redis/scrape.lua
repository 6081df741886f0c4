-- One torrent's counts (RedisSwarmStore), reading only: peers past the timeout are not counted.
-- KEYS: IPv4 seeders, IPv4 leechers, IPv6 seeders, IPv6 leechers, completed count.
-- ARGV: now (seconds), peer timeout (seconds).
-- Answers { seeders, completed, leechers }.
local from = 2 * (tonumber(ARGV[1]) - tonumber(ARGV[2]))
local function live(key)
  return redis.call('ZCOUNT', key, from, '+inf')
end
local completed = tonumber(redis.call('GET', KEYS[5]) or '0')
return { live(KEYS[1]) + live(KEYS[3]), completed, live(KEYS[2]) + live(KEYS[4]) }
