-- claim: ARGV[5] is the new lease's id, ARGV[6] its time to live (µs).
-- Expired leases go back to the front of their hosts' queues first. Then
-- the earliest scheduled host, if it is ready, hands out the head of its
-- queue under the lease. Returns one of
--   {'L', item, host, more}  leased (more: another host is ready now)
--   {'W', µs}                nothing ready before then (or before a lease expires)
--   {'D'}                    drained: nothing queued, no lease outstanding
--   {'X'}                    the crawl's state is gone from Redis
local id = ARGV[5]
local ttl = tonumber(ARGV[6])

if redis.call('EXISTS', META) == 0 then return {'X'} end

local expired = redis.call('ZRANGEBYSCORE', LEASES, '-inf', now, 'LIMIT', 0, 64)
for _, old in ipairs(expired) do requeue(old) end

-- A retried claim whose reply was lost finds its lease made.
local mine = redis.call('HMGET', lkey(id), 'host', 'item')
if mine[1] then return {'L', mine[2], mine[1], 0} end

for _ = 1, 8 do
  local top = redis.call('ZRANGE', SCHED, 0, 0, 'WITHSCORES')
  if #top == 0 then break end
  local host, at = top[1], tonumber(top[2])
  if at > now then return {'W', at - now} end
  local item = redis.call('LPOP', qkey(host))
  if item then
    local hk = hkey(host)
    local prev = redis.call('HGET', hk, 'last') or ''
    local n = redis.call('HINCRBY', hk, 'n', 1)
    redis.call('HSET', hk, 'last', ARGV[2])
    redis.call('HINCRBY', hk, 'inflight', 1)
    if exclusive(item) then redis.call('HSET', hk, 'x', '1') end
    redis.call('DECR', QUEUED)
    redis.call('HSET', lkey(id), 'host', host, 'item', item, 'held', '1', 'n', n, 'prev', prev)
    redis.call('ZADD', LEASES, now + ttl, id)
    schedule(host)
    local more = 0
    local nxt = redis.call('ZRANGE', SCHED, 0, 0, 'WITHSCORES')
    if #nxt > 0 and tonumber(nxt[2]) <= now then more = 1 end
    return {'L', item, host, more}
  end
  redis.call('ZREM', SCHED, host) -- not reached while the schedule is right
end

local first = redis.call('ZRANGE', LEASES, 0, 0, 'WITHSCORES')
if #first > 0 then return {'W', math.max(0, tonumber(first[2]) - now)} end
if (tonumber(redis.call('GET', QUEUED)) or 0) <= 0 then
  redis.call('DEL', SEENRUN) -- the run is over: PerRun items may come again
  return {'D'}
end
-- Items are queued but no host is scheduled and nothing is leased: the
-- schedule lost track (keys edited by hand?). Rebuild it.
redis.call('SET', QUEUED, 0)
for _, host in ipairs(redis.call('SMEMBERS', HOSTS)) do
  redis.call('HSET', hkey(host), 'inflight', 0)
  redis.call('HDEL', hkey(host), 'x')
  redis.call('INCRBY', QUEUED, redis.call('LLEN', qkey(host)))
  schedule(host)
end
return {'W', 0}
