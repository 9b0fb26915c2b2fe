-- complete: ARGV[5..] are lease ids to end for good (releasing any still
-- holding their host). Returns how many were no longer outstanding: they
-- expired and went back to the queue.
local lost = 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local l = redis.call('HMGET', lkey(id), 'host', 'item', 'held')
  if l[1] then
    if l[3] == '1' then
      unhold(l[1], l[2])
      schedule(l[1])
    end
    redis.call('DEL', lkey(id))
  else
    lost = lost + 1
  end
  redis.call('ZREM', LEASES, id)
end
return lost
