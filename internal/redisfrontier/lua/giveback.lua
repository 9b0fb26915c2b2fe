-- giveback: ARGV[5..] are lease ids whose items go back to the front of
-- their hosts' queues at once, as if they had expired: a process that
-- stops gives back what it did not finish. Returns how many went back.
local n = 0
for i = 5, #ARGV do
  if requeue(ARGV[i]) then n = n + 1 end
end
return n
