-- push: ARGV[5..] are quadruples of fingerprint bucket and member, host,
-- encoded item. An item whose fingerprint is new (to the run's set for
-- PerRun items, flag bit 5) goes to its host's queue: the back, or the
-- front when Exclusive. Only a host whose head changed is rescheduled.
-- Returns how many were added.
local added, known, touched = 0, 0, {}
for i = 5, #ARGV, 4 do
  local item = ARGV[i + 3]
  local perRun = math.floor(string.byte(item, 1) / 32) % 2 == 1
  if accept(ARGV[i], ARGV[i + 1], perRun) == 1 then
    if not perRun then known = known + 1 end
    local host = ARGV[i + 2]
    if exclusive(item) then
      redis.call('LPUSH', qkey(host), item)
      touched[host] = true -- a new head
    elseif redis.call('RPUSH', qkey(host), item) == 1 then
      touched[host] = true -- was empty
    end
    added = added + 1
  end
end
if added > 0 then redis.call('INCRBY', QUEUED, added) end
if known > 0 then redis.call('INCRBY', KNOWN, known) end
for host in pairs(touched) do
  redis.call('SADD', HOSTS, host)
  schedule(host)
end
return added
