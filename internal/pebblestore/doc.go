// Package pebblestore keeps a crawl's state on disk, in a pebble store in
// a directory (crawl --state DIR), so that a crawl stopped in any way can
// be resumed and a finished one recrawled. It is the only package that
// imports pebble.
//
// # Basics
//
// Open takes the directory (creating it), locks it and starts a new run
// of the crawl; Close ends the process's use of it. A DB is the crawl's
// visited set (store.Visited), its robots.txt cache (store.RobotsStore)
// and, through DB.Frontier, its frontier (frontier.Frontier):
//
//	db, err := pebblestore.Open(dir, pebblestore.Options{RecrawlAfter: 24 * time.Hour})
//	if err != nil {
//		return err // ErrLocked, ErrVersion, ErrCorrupt: see errors.go
//	}
//	defer db.Close()
//	f, err := db.Frontier(frontier.Config{PerHost: 2, Rate: 1})
//	...
//	err = db.EndRun(ctx, pebblestore.RunStats{Records: n})
//
// Every key the crawl ever queued has a record: queued, done, failed or
// skipped, with the run that last queued it and, for URLs, what their
// last fetch found (status, ETag, Last-Modified, body hash, time). Push
// queues a key it has no record of; it drops a known key, except an
// Item.PerRun key (a robots.txt) the first time it comes in a run, and,
// with Options.RecrawlAfter, a URL fetched longer ago than that, which
// it queues again with Item.Prev set so that the fetch can be
// conditional. Open queues all such stale URLs at once.
//
// The frontier's queues are on disk, one per host in the order of their
// keys; its politeness (which host is ready when, leases per host, rate
// limiters, Retry's not-before times) is in memory, as in
// frontier.Memory, and so is a small head of each busy host's queue. A
// leased item stays in its queue until Complete deletes it and writes
// its key's record, in one batch: a crawl resumed after any stop hands
// out again exactly the leases that were not completed. Crawl-delays are
// kept per host, so a resumed crawl keeps them.
//
// Summarize reads a state directory for `crawl state DIR`.
//
// # Caveats
//
// Crash model. Every Push, Complete, Retry, SetDelay and SaveRobots is
// one pebble batch, in the write-ahead log before the call returns: in
// the OS's page cache, not forced to the disk (see wal.go for how). It
// survives the end of the process, kill -9 included, but a power loss or
// kernel crash can lose what the OS had not yet written back (on Linux
// up to about 30 seconds of work), and may leave a log the next Open
// reports as ErrCorrupt. Options.Fsync trades speed for durability
// against those too. The engine must call Complete for a lease only once
// the lease's record is written: then a crash repeats no record except
// for leases in flight.
//
// Memory. Per URL, nothing stays in memory: records and queues are on
// disk, behind pebble's block cache (Options.CacheSize, 16 MiB) and two
// 4 MiB memtables. What memory holds grows with hosts, not URLs: a few
// hundred bytes per host with queued items or leases (hosts idle a while
// are dropped and read back when needed), plus the heads of their queues
// (a fair share of 8192 items, 1 to 64 per host).
//
// One process per directory: Open fails at once with ErrLocked while
// another DB has it open, in this process or another (the error names
// its pid). Summarize takes the lock too, so it fails while a crawl
// runs. A DB makes one Frontier.
//
// Versions. The state records its format version; Open refuses another
// with ErrVersion, and a store it cannot read or decode with ErrCorrupt.
// It never replaces a state it cannot read: remove the directory to
// start afresh.
//
// Dedup keys are exact strings: URLs as the crawl normalized them, or
// Item.Key. Add (store.Visited) records its keys as URLs.
package pebblestore
