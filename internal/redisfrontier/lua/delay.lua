-- delay: ARGV[5] is a host, ARGV[6] its Crawl-delay in µs: its handouts
-- are spaced by the delay when it is longer than the rate's interval.
local host = ARGV[5]
redis.call('HSET', hkey(host), 'delay', ARGV[6])
redis.call('SADD', HOSTS, host)
schedule(host)
return 1
