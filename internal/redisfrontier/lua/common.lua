-- common.lua is the head of every script. ARGV[1] is the crawl's key
-- prefix "crawl:{ID}:", ARGV[2] the caller's clock in microseconds since
-- the epoch, ARGV[3] the spacing of one host's handouts by the caller's
-- --rate (microseconds), ARGV[4] the caller's per-host limit. Keys are
-- built from the prefix: they all share the crawl's hash tag.
local P = ARGV[1]
local now = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local perHost = tonumber(ARGV[4])

local KNOWN, SEENRUN, SCHED = P .. 'known', P .. 'seenrun', P .. 'sched'
local LEASES, QUEUED, HOSTS, META = P .. 'leases', P .. 'queued', P .. 'hosts', P .. 'meta'

local function qkey(host) return P .. 'q:' .. host end
local function hkey(host) return P .. 'h:' .. host end
local function lkey(id) return P .. 'l:' .. id end

-- accept adds a key's fingerprint, a bucket (4 hex digits) and a member
-- (a 48-bit decimal integer), to the crawl's seen set, or to the run's for
-- a PerRun item; it returns 1 when the fingerprint is new. The caller
-- adds the new ones of the crawl's set to KNOWN. The seen set is 65536
-- small sets of integers, which Redis keeps as compact intsets of 8 bytes
-- a member while each holds at most set-max-intset-entries (512).
local function accept(bucket, member, perRun)
  if perRun then return redis.call('SADD', SEENRUN, bucket .. member) end
  return redis.call('SADD', P .. 's:' .. bucket, member)
end

-- Bit 0 of an encoded item's first byte marks it Exclusive (robots.txt).
local function exclusive(item) return string.byte(item, 1) % 2 == 1 end

-- schedule puts host in the schedule at the time it may next be fetched
-- from, when it has an item it may hand out, and takes it out otherwise.
local function schedule(host)
  local head = redis.call('LINDEX', qkey(host), 0)
  if not head then
    redis.call('ZREM', SCHED, host)
    return
  end
  local h = redis.call('HMGET', hkey(host), 'last', 'inflight', 'x', 'delay', 'nb')
  local inflight = tonumber(h[2]) or 0
  if h[3] == '1' or inflight >= perHost or (inflight > 0 and exclusive(head)) then
    redis.call('ZREM', SCHED, host)
    return
  end
  local at = 0
  if h[1] then at = tonumber(h[1]) + math.max(interval, tonumber(h[4]) or 0) end
  local nb = tonumber(h[5]) or 0
  if nb > at then at = nb end
  redis.call('ZADD', SCHED, at, host)
end

-- unhold ends a lease's hold on its host's in-flight budget.
local function unhold(host, item)
  redis.call('HINCRBY', hkey(host), 'inflight', -1)
  if exclusive(item) then redis.call('HDEL', hkey(host), 'x') end
end

-- requeue ends lease id and puts its item (or the given one) back at the
-- front of its host's queue; it returns the host, or nil when the lease
-- is gone.
local function requeue(id, item)
  local lk = lkey(id)
  local l = redis.call('HMGET', lk, 'host', 'item', 'held')
  redis.call('ZREM', LEASES, id)
  if not l[1] then return nil end
  if l[3] == '1' then unhold(l[1], l[2]) end
  redis.call('LPUSH', qkey(l[1]), item or l[2])
  redis.call('INCR', QUEUED)
  redis.call('DEL', lk)
  schedule(l[1])
  return l[1]
end

