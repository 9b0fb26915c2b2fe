package pebblestore

import (
	"context"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/crawlhq/crawl/internal/frontier"
)

// Sweeps of idle hosts: every sweepEvery Pushes once the frontier holds
// more than sweepHosts hosts.
const (
	sweepEvery = 4096
	sweepHosts = 1024
)

// placed is an entry on its way into a host's queue.
type placed struct {
	h     *host
	e     entry
	front bool
}

// Push adds the items whose keys are not known, in one batch, and
// reports how many it added. A key known from any run is dropped, except
// an Item.PerRun key not yet queued in this run, and, with
// Options.RecrawlAfter, a URL fetched longer ago than that and not yet
// queued in this run, which is queued again with Item.Prev set to what
// its last fetch found. Exclusive items go to the front of their host's
// queue.
func (f *Frontier) Push(ctx context.Context, items []frontier.Item) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := f.db.acquire(); err != nil {
		return 0, err
	}
	defer f.db.life.RUnlock()
	f.db.wmu.Lock()
	defer f.db.wmu.Unlock()
	b := f.db.pdb.NewBatch()
	defer b.Close()
	adds, newKeys, err := f.dedup(b, items)
	if err != nil || len(adds) == 0 {
		return 0, err
	}
	ps, err := f.place(b, adds)
	if err != nil {
		return 0, err
	}
	if err := f.db.commitKeys(b, newKeys); err != nil {
		return 0, err
	}
	f.enqueue(ps)
	f.sweep()
	return len(adds), nil
}

// dedup returns the items to queue and writes their records into b;
// newKeys counts the keys never seen before. The caller holds wmu.
func (f *Frontier) dedup(b *pebble.Batch, items []frontier.Item) (adds []frontier.Item, newKeys int, err error) {
	now := f.db.clock.Now()
	var taken map[string]bool // record keys queued by this batch
	for i := range items {
		it := items[i]
		k, explicit := itemKey(&it)
		key := recordKey(k, explicit)
		if taken[string(key)] {
			continue
		}
		rec, found, err := f.db.getRecord(key, k)
		if err != nil {
			return nil, 0, err
		}
		if found && !f.requeue(&rec, &it, now) {
			continue
		}
		if !found {
			newKeys++
		}
		if taken == nil {
			taken = make(map[string]bool, len(items))
		}
		taken[string(key)] = true
		qr := queuedRecord(&it, f.db.run)
		b.Set(key, encodeRecord(k, &qr), nil)
		adds = append(adds, it)
	}
	return adds, newKeys, nil
}

// itemKey is the key an item is deduplicated by, and whether it is an
// explicit Item.Key rather than the URL.
func itemKey(it *frontier.Item) (string, bool) {
	if it.Key != "" {
		return it.Key, true
	}
	return it.URL, false
}

// requeue reports whether a known key is queued again in this run; for a
// recrawl it sets it.Prev.
func (f *Frontier) requeue(rec *record, it *frontier.Item, now time.Time) bool {
	if rec.State == stateQueued {
		return false
	}
	if it.PerRun {
		return rec.Run < f.db.run
	}
	if it.Key == "" && rec.stale(f.db.run, now, f.db.opts.RecrawlAfter) {
		it.Prev = rec.Prev
		return true
	}
	return false
}

// place gives each item a seq in its host's queue and writes the entries
// into b. The caller holds wmu.
func (f *Frontier) place(b *pebble.Batch, adds []frontier.Item) ([]placed, error) {
	ps := make([]placed, len(adds))
	for i := range adds {
		h, err := f.host(b, adds[i].Host)
		if err != nil {
			return nil, err
		}
		ps[i] = placed{h: h, e: entry{it: adds[i]}, front: adds[i].Exclusive}
	}
	f.mu.Lock()
	for i := range ps {
		ps[i].e.seq = ps[i].h.nextSeq(ps[i].front)
	}
	f.mu.Unlock()
	for i := range ps {
		b.Set(queueKey(ps[i].h.key, ps[i].e.seq), encodeItem(nil, &ps[i].e.it), nil)
	}
	return ps, nil
}

// nextSeq takes the seq of the next front or back push.
func (h *host) nextSeq(front bool) uint64 {
	if front {
		h.frontSeq--
		return h.frontSeq + 1
	}
	h.backSeq++
	return h.backSeq - 1
}

// enqueue puts committed entries into their hosts' memory, or leaves
// them on disk for a refill, and wakes a waiter.
func (f *Frontier) enqueue(ps []placed) {
	f.mu.Lock()
	now := f.clock.Now()
	for _, p := range ps {
		h := p.h
		switch {
		case p.front:
			h.pushFront(p.e) // below the cursor: no refill reads it
		case p.e.seq <= h.cursor:
			// A refill read it between the commit and now.
		case !h.more && len(h.buf) < f.share():
			h.buf = append(h.buf, p.e)
			h.cursor = p.e.seq
			f.buffered++
		default:
			h.more = true
		}
		f.update(h, now)
	}
	f.mu.Unlock()
	f.wake()
}

// host returns the host of key, loading it from disk or making it (and
// writing its record into b, if b is not nil) when it is not in memory.
// The caller holds wmu, which guards the making of hosts.
func (f *Frontier) host(b *pebble.Batch, key string) (*host, error) {
	f.mu.Lock()
	h := f.hosts[key]
	f.mu.Unlock()
	if h != nil {
		return h, nil
	}
	v, found, err := f.db.get(join(prefixHost, key))
	if err != nil {
		return nil, err
	}
	var delay uint64
	if found {
		if delay, err = decodeUvarint(v); err != nil {
			return nil, corrupt(f.db.dir, "host "+key, err)
		}
	} else if b != nil {
		b.Set(join(prefixHost, key), uvarintValue(0), nil)
	}
	h = newHost(key, time.Duration(delay))
	f.mu.Lock()
	if f.configured {
		h.lim = h.limiter(f.limit)
	}
	f.hosts[key] = h
	f.mu.Unlock()
	return h, nil
}

// sweep forgets, now and then, the hosts that hold nothing a host loaded
// afresh from disk would not, so that memory follows the hosts active
// now rather than every host of the crawl. The caller holds wmu.
func (f *Frontier) sweep() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pushes++; f.pushes < sweepEvery || len(f.hosts) < sweepHosts {
		return
	}
	f.pushes = 0
	now := f.clock.Now()
	for k, h := range f.hosts {
		if h.idle(now) {
			delete(f.hosts, k)
		}
	}
}
