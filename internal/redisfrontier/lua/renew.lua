-- renew: ARGV[5] is a time to live (µs), ARGV[6..] lease ids: each
-- outstanding lease's deadline moves to now + ttl. Returns the ids that
-- were no longer outstanding.
local deadline = now + tonumber(ARGV[5])
local lost = {}
for i = 6, #ARGV do
  if redis.call('ZSCORE', LEASES, ARGV[i]) then
    redis.call('ZADD', LEASES, deadline, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
