// Package redisfrontier keeps a crawl's frontier, visited set and
// robots.txt in Redis, so that several crawl processes, on one machine or
// many, run one crawl together with one politeness budget per host. It is
// the only package that imports the Redis client.
//
// # Basics
//
// Open connects to a Redis URL and joins the crawl named by
// Options.CrawlID; every process opened with the same URL and id shares
// it, and seeds pushed by any of them are queued once. CrawlID derives a
// default id from the seeds. Client.Frontier returns a frontier.Frontier;
// the Client itself is the crawl's store.Visited and store.RobotsStore
// (so one process's robots.txt fetch serves all).
//
//	c, err := redisfrontier.Open(ctx, redisfrontier.Options{URL: "redis://10.0.0.5:6379/0", CrawlID: id})
//	if err != nil { ... }       // errors.Is(err, redisfrontier.ErrUnavailable): Redis not reachable
//	defer c.Close()
//	f := c.Frontier(frontier.Config{PerHost: 2, Rate: 1})
//	// run the crawl with f and c; beside it, f.KeepAlive(ctx);
//	// when it stops early, f.Abandon(ctx)
//
// Every change is one Lua script, run atomically by Redis, one round trip:
//
//   - Push adds a batch of items: each key's fingerprint goes into the
//     crawl's seen set and, when new, the item goes to its host's queue
//     (the front for an Exclusive robots.txt), so among all processes a key
//     is queued once.
//   - Next runs the claim script: it puts expired leases back, takes the
//     earliest host of the schedule (a sorted set of hosts by the time each
//     may next be fetched) if that time has come, pops the head of its
//     queue, records a lease with a deadline, counts the host's in-flight
//     leases and moves the host in the schedule to now + max(1/rate,
//     Crawl-delay), or out of it when it is at its per-host limit or held
//     by its robots.txt. With nothing ready it says how long to wait, and
//     Next waits that long, at most Options.Poll, or until this process
//     changes something. With nothing queued and no lease outstanding in
//     any process the crawl is drained, and Next returns
//     frontier.ErrDrained in every process.
//   - Release gives the host's in-flight slot back (and the rate slot, when
//     no request was made and the host handed out nothing since); Complete
//     ends a batch of leases; Retry puts an item back at the front of its
//     host's queue, not to be fetched before a time; SetDelay records a
//     host's Crawl-delay for all.
//
// Round trips: Push one per batch, Next one per attempt (a wait costs one
// more each Poll, for one waiter per process), Release one, Complete one
// per batch, Retry one, SetDelay one, Add one per batch, LoadRobots and
// SaveRobots one. A lease is renewed, one round trip for all of a
// process's, every third of LeaseTTL.
//
// # Key layout
//
// Every key of crawl ID starts with crawl:{ID}: (the braces are a cluster
// hash tag: all of a crawl's keys share one slot). P stands for that prefix.
//
//	P meta           hash    version of this layout; its absence means the state was lost
//	P s:XXXX         set     seen set, part XXXX (16 bits of the fingerprint, 65536 parts), 48-bit members
//	P known          string  how many keys the seen set holds
//	P seenrun        set     fingerprints of PerRun items (robots.txt), cleared when the crawl drains
//	P q:HOST         list    HOST's queue of encoded items (the host is not repeated in them)
//	P h:HOST         hash    HOST's last handout (µs), handouts, inflight, x (robots.txt out), delay, nb (not before)
//	P hosts          set     hosts that ever had an item
//	P sched          zset    hosts that may hand out an item, by the time (µs) they may
//	P queued         string  items in all queues
//	P leases         zset    lease ids by deadline (µs)
//	P l:ID           hash    lease ID: host, item, held (still counts as in flight), n and prev (to refund)
//	P robots         hash    HOST -> robots.txt as last fetched
//	P add:TOKEN      string  answer of a Client.Add batch, for five minutes, so that a retry gets it
//
// Memory: a known URL costs about 8.5 bytes of Redis memory in a crawl of
// a million (INFO used_memory; a 60-byte URL in a plain set costs 119),
// because each part of the seen set stays a compact intset while it holds
// at most set-max-intset-entries (512) members, up to about 25 million
// URLs; beyond, parts turn into hash tables (about 60 bytes a URL) unless
// that setting is raised. Small crawls pay about 100 bytes per part. A
// queued URL costs about 60 bytes more (its path, its parent's, a few
// numbers), given back when it is fetched. BenchmarkMemoryPerURL measures.
//
// # Caveats
//
// Time comes from each process's clock (the injected clock.Clock), not
// Redis's, and is passed to the scripts: the processes of a crawl need
// roughly synchronized clocks (NTP). A skew of s shifts a host's spacing
// and a lease's expiry by up to s. Likewise each claim applies its own
// process's --rate and --per-host: start every process with the same.
//
// A lease that is neither completed, retried nor renewed for LeaseTTL
// (default 2 minutes) expires, and any process's next claim puts its item
// back at the front of its host's queue: so nothing a dead process held is
// lost, and it comes back after LeaseTTL. The price is at-least-once: a
// process that was merely slow may see its page fetched again; Frontier.Lost
// counts such leases. LeaseTTL must exceed the longest time from Next to
// Complete: one fetch attempt (--timeout) plus the time until the record
// is written. Next renews a process's leases when a third of LeaseTTL has
// passed; run KeepAlive beside the crawl when Next may not be called that
// often (slow fetches, an output that blocks). On an orderly stop, call
// Abandon once no worker is left, so that the items come back at once.
//
// Every call retries lost connections with backoff, for up to
// Options.MaxOutage, and Redis starting or loading its data. A retried call
// must not do twice what its first attempt did unseen, and none does: a
// claim carries its lease id, chosen by the client, and a retried claim
// that finds the lease made returns it; Release, Complete and Retry act on
// a lease once; Push re-adds nothing the seen set has (it reports fewer
// items added, that is all); Add keeps its answer under a token.
//
// Redis must keep the state: with appendonly yes and appendfsync always, a
// Redis that crashes and restarts loses nothing acknowledged, and the
// crawl carries on (tested). With appendfsync everysec a crash may lose a
// second of changes: links pushed then are lost, pages fetched then
// fetched again. Without persistence a restart empties the crawl: Next
// returns ErrStateLost, in every process, rather than mistaking the empty
// state for a drained crawl. Redis must not evict (maxmemory-policy
// noeviction). Reset deletes a crawl; a drained crawl's state stays until
// then, so running it again with the same id does nothing new.
//
// Opening a Client silences go-redis's own logging in the whole process;
// outages are reported through Options.Log. Redis Cluster is not tested:
// the keys share a slot, and the scripts declare the meta key only.
package redisfrontier
