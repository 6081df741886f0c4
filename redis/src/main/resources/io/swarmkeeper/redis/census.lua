-- One torrent's live peers for the census (RedisSwarmStore), reading only. The census finds
-- torrents by scanning their peer keys; a torrent is counted at the first of its keys that exists,
-- so one with several keys is counted once.
-- KEYS: IPv4 seeders, IPv4 leechers, IPv6 seeders, IPv6 leechers.
-- ARGV: now (seconds), peer timeout (seconds), the position (1-4) of the key the scan found.
-- Answers { IPv4 seeders, IPv4 leechers, IPv6 seeders, IPv6 leechers }, or {} when an earlier key
-- of the torrent exists (it is, or was, counted there).
local found = tonumber(ARGV[3])
for i = 1, found - 1 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    return {}
  end
end
local from = 2 * (tonumber(ARGV[1]) - tonumber(ARGV[2]))
local out = {}
for i = 1, 4 do
  out[i] = redis.call('ZCOUNT', KEYS[i], from, '+inf')
end
return out
