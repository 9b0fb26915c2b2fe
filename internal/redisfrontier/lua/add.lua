-- add: the visited set's Add. ARGV[5] is a token naming the batch,
-- ARGV[6..] pairs of fingerprint bucket and member. Returns a string of
-- '1' (new) and '0' (seen), one per fingerprint. The answer is kept for
-- five minutes under the token, so that a batch retried after its reply
-- was lost gets the answer of its first attempt.
local done = P .. 'add:' .. ARGV[5]
local prior = redis.call('GET', done)
if prior then return prior end
local out, known = {}, 0
for i = 6, #ARGV, 2 do
  local new = accept(ARGV[i], ARGV[i + 1], false)
  known = known + new
  out[#out + 1] = tostring(new)
end
if known > 0 then redis.call('INCRBY', KNOWN, known) end
local s = table.concat(out)
redis.call('SET', done, s, 'EX', 300)
return s
