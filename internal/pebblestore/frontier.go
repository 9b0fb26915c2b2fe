package pebblestore

import (
	"context"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"golang.org/x/time/rate"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
)

// Memory bounds of the queue heads read from disk: each host with queued
// items may hold a fair share of maxBuffered entries in memory, between 1
// and refillBatch. Shares shrink as hosts come, so the total stays near
// maxBuffered, and below maxBuffered·ln(hosts) + hosts in any case.
const (
	maxBuffered = 8192
	refillBatch = 64
)

// Frontier is a frontier.Frontier whose queues live in the DB. Its
// schedule (which host is ready when, leases per host, rate limiters) is
// in memory, like frontier.Memory's; of its queues only a few entries of
// each host's head are. It is safe for concurrent use.
type Frontier struct {
	db      *DB
	clock   clock.Clock
	perHost int
	limit   rate.Limit // of every host, before Crawl-delay

	// notify holds at most one wake-up for the waiters in Next.
	notify chan struct{}

	mu         sync.Mutex
	configured bool
	hosts      map[string]*host
	sched      frontier.Schedule[*host]
	pending    int // hosts with queued entries
	leased     int // leases not yet completed or retried
	buffered   int // entries in the hosts' bufs
	pushes     int // since the last sweep of idle hosts
}

var _ frontier.Frontier = (*Frontier)(nil)

func newFrontier(db *DB) *Frontier {
	return &Frontier{db: db, clock: db.clock, perHost: 1, limit: rate.Inf,
		notify: make(chan struct{}, 1), hosts: make(map[string]*host)}
}

// configure sets the politeness and puts the hosts with queued entries
// in the schedule.
func (f *Frontier) configure(cfg frontier.Config) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.perHost = max(cfg.PerHost, 1)
	if cfg.Rate > 0 {
		f.limit = rate.Limit(cfg.Rate)
	}
	if cfg.Clock != nil {
		f.clock = cfg.Clock
	}
	f.configured = true
	now := f.clock.Now()
	for _, h := range f.hosts {
		h.lim = h.limiter(f.limit)
		f.update(h, now)
	}
}

// Stats is a snapshot of a Frontier's memory.
type Stats struct {
	Hosts    int // hosts in memory
	Pending  int // hosts with queued items
	Leased   int // leases outstanding
	Buffered int // queued items read into memory
}

// Stats reports what the frontier holds in memory.
func (f *Frontier) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return Stats{Hosts: len(f.hosts), Pending: f.pending, Leased: f.leased, Buffered: f.buffered}
}

// Next blocks until some host is ready and leases the head of its queue.
// It returns frontier.ErrDrained when nothing is queued and no lease is
// outstanding, ErrClosed when the DB closes, and ctx's error when ctx
// ends first.
func (f *Frontier) Next(ctx context.Context) (*frontier.Lease, error) {
	for {
		l, wait, err := f.tryNext()
		if l != nil || err != nil {
			return l, err
		}
		if err := f.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// tryNext leases an item if one is ready; if not it says how long to
// wait (-1: until woken).
func (f *Frontier) tryNext() (*frontier.Lease, time.Duration, error) {
	if err := f.db.acquire(); err != nil {
		return nil, 0, err
	}
	defer f.db.life.RUnlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		if f.pending == 0 && f.leased == 0 {
			f.wake()
			return nil, 0, frontier.ErrDrained
		}
		now := f.clock.Now()
		h, ok := f.sched.Peek()
		if !ok {
			return nil, -1, nil
		}
		if h.ReadyAt.After(now) {
			return nil, h.ReadyAt.Sub(now), nil
		}
		l, err := f.lease(h, now)
		if err != nil || l != nil {
			if f.sched.Len() > 0 {
				f.wake()
			}
			return l, 0, err
		}
	}
}

// sleep waits for a wake-up, for d to pass (d < 0: no timeout), for the
// DB to close or for ctx to end.
func (f *Frontier) sleep(ctx context.Context, d time.Duration) error {
	var timer <-chan time.Time
	if d >= 0 {
		c, stop := f.clock.NewTimer(d)
		defer stop()
		timer = c
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-f.db.done:
		return ErrClosed
	case <-f.notify:
	case <-timer:
	}
	return nil
}

func (f *Frontier) wake() {
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

// lease hands out the head of h, which is ready at now, reading it from
// disk if need be. It returns nil when h turns out to have nothing it
// may hand out.
func (f *Frontier) lease(h *host, now time.Time) (*frontier.Lease, error) {
	if h.head() == nil && h.more {
		if err := f.refill(h); err != nil {
			return nil, err
		}
	}
	if e := h.head(); e == nil || (e.it.Exclusive && h.leased > 0) {
		f.update(h, now)
		return nil, nil
	}
	e, fromBuf := h.pop()
	if fromBuf {
		f.buffered--
	}
	h.lim.ReserveN(now, 1) // ready: at most a rounding error early
	h.last = now
	h.handouts++
	h.leased++
	h.out++
	h.exclusive = h.exclusive || e.it.Exclusive
	f.leased++
	f.update(h, now)
	return &frontier.Lease{Item: e.it, Handle: &ticket{h: h, seq: e.seq, handout: h.handouts}}, nil
}

// share is how many entries a host may hold in memory.
func (f *Frontier) share() int {
	return min(refillBatch, max(1, maxBuffered/max(f.pending, 1)))
}

// refill reads h's share of entries after its cursor from disk.
func (f *Frontier) refill(h *host) error {
	n := f.share()
	iter, err := f.db.pdb.NewIter(&pebble.IterOptions{
		LowerBound: queueKey(h.key, h.cursor+1),
		UpperBound: queueEnd(h.key),
	})
	if err != nil {
		return corrupt(f.db.dir, "queue of "+h.key, err)
	}
	valid := iter.First()
	for ; valid && n > 0; valid = iter.Next() {
		e, err := f.readEntry(iter, h.key)
		if err != nil {
			iter.Close()
			return err
		}
		h.buf = append(h.buf, e)
		h.cursor = e.seq
		f.buffered++
		n--
	}
	h.more = valid
	if err := iter.Close(); err != nil {
		return corrupt(f.db.dir, "queue of "+h.key, err)
	}
	return nil
}

func (f *Frontier) readEntry(iter *pebble.Iterator, hostKey string) (entry, error) {
	_, seq, ok := parseQueueKey(iter.Key())
	v, err := iter.ValueAndErr()
	if err != nil {
		return entry{}, corrupt(f.db.dir, "queue of "+hostKey, err)
	}
	it, err := decodeItem(v, hostKey)
	if err != nil || !ok {
		return entry{}, corrupt(f.db.dir, "queue entry "+quote(iter.Key()), errDecode)
	}
	return entry{seq: seq, it: it}, nil
}

// update puts h in the schedule, at the time it may next be fetched from,
// when it has work it may hand out, and takes it out otherwise.
func (f *Frontier) update(h *host, now time.Time) {
	if w := h.hasWork(); w != h.pending {
		h.pending = w
		if w {
			f.pending++
		} else {
			f.pending--
		}
	}
	e := h.head()
	eligible := f.configured && h.hasWork() && !h.exclusive && h.leased < f.perHost &&
		!(e != nil && e.it.Exclusive && h.leased > 0)
	if !eligible {
		f.sched.Remove(h)
		return
	}
	at := frontier.TokenTime(h.lim, now)
	if h.notBefore.After(at) {
		at = h.notBefore
	}
	h.ReadyAt = at
	f.sched.Set(h)
}
