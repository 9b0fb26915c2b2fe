-- release: ARGV[5] is a lease id, ARGV[6] '1' when a request was made.
-- The lease stops holding its host (once: a retried release finds it
-- released). When no request was made and the host has handed out
-- nothing since, the host's last handout time goes back to what it was,
-- returning the rate slot. The lease stays outstanding until complete.
local lk = lkey(ARGV[5])
local l = redis.call('HMGET', lk, 'host', 'item', 'held', 'n', 'prev')
if l[3] ~= '1' then return 0 end
local host = l[1]
redis.call('HSET', lk, 'held', '0')
unhold(host, l[2])
if ARGV[6] == '0' and redis.call('HGET', hkey(host), 'n') == l[4] then
  if l[5] == '' then
    redis.call('HDEL', hkey(host), 'last')
  else
    redis.call('HSET', hkey(host), 'last', l[5])
  end
end
schedule(host)
return 1
