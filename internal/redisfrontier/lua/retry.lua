-- retry: ARGV[5] is a lease id, ARGV[6] the time (µs) before which its
-- host is not fetched from again, ARGV[7] the item as it now is (its
-- attempts counted). The lease ends and the item goes to the front of its
-- host's queue. Returns 0 when the lease was gone (it expired and its
-- item went back already).
local id = ARGV[5]
local host = redis.call('HGET', lkey(id), 'host')
if not host then
  redis.call('ZREM', LEASES, id)
  return 0
end
local nb = tonumber(redis.call('HGET', hkey(host), 'nb')) or 0
if tonumber(ARGV[6]) > nb then redis.call('HSET', hkey(host), 'nb', ARGV[6]) end
requeue(id, ARGV[7])
return 1
