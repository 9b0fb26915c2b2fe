package frontier

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config sets the politeness of a frontier.
type Config struct {
	// PerHost is the most leases out at once for one host (>= 1).
	PerHost int
	// Rate is the most requests per second to one host; 0 is unlimited.
	// Handouts of one host are spaced by 1/Rate, or by the host's
	// Crawl-delay when that is longer (see SetDelay).
	Rate float64
	// Clock defaults to RealClock.
	Clock Clock
}

// Memory is a frontier held in memory. It is safe for concurrent use.
//
// Each host has a rate.Limiter with a burst of one. The frontier never
// waits on it: it asks the limiter when its next token comes and keeps
// the host in a schedule ordered by that time, so Next can hand out
// whichever host is ready first.
type Memory struct {
	seen    Seen
	clock   Clock
	perHost int
	limit   rate.Limit // of every host, before Crawl-delay

	// notify holds at most one wake-up for the waiters in Next; a waiter
	// that finds more work than it takes passes one on.
	notify chan struct{}

	mu     sync.Mutex
	syms   symbols
	hosts  map[string]*host
	sched  Schedule[*host]
	queued int
	leased int
}

var _ Frontier = (*Memory)(nil)

// host is one politeness key's queue and schedule.
type host struct {
	key       string
	q         queue
	leased    int
	exclusive bool          // an Exclusive item of this host is leased
	lim       *rate.Limiter // burst 1
	last      time.Time     // last handout
	handouts  uint64        // handouts so far
	notBefore time.Time     // set by Retry
	Slot                    // its place in the schedule
}

// reservation is what a Lease needs to give its rate slot back: the
// host's handout count just after it.
type reservation struct {
	handout uint64
}

// NewMemory returns an empty frontier that deduplicates through seen.
func NewMemory(seen Seen, cfg Config) *Memory {
	m := &Memory{
		seen:    seen,
		clock:   cfg.Clock,
		perHost: max(cfg.PerHost, 1),
		notify:  make(chan struct{}, 1),
		hosts:   make(map[string]*host),
	}
	if m.clock == nil {
		m.clock = RealClock
	}
	m.limit = rate.Inf
	if cfg.Rate > 0 {
		m.limit = rate.Limit(cfg.Rate)
	}
	return m
}

// Push adds the items whose keys were never accepted before; it reports
// how many it added.
func (m *Memory) Push(ctx context.Context, items []Item) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	keys := make([]string, len(items))
	for i := range items {
		keys[i] = items[i].key()
	}
	isNew := make([]bool, len(items))
	if err := m.seen.Add(ctx, keys, isNew); err != nil {
		return 0, err
	}
	now := m.clock.Now()
	added := 0
	m.mu.Lock()
	for i := range items {
		if !isNew[i] {
			continue
		}
		h := m.host(items[i].Host)
		if items[i].Exclusive {
			h.q.pushFront(items[i])
		} else {
			h.q.pushBack(items[i], h.key, &m.syms)
		}
		m.queued++
		added++
		m.update(h, now)
	}
	m.mu.Unlock()
	if added > 0 {
		m.wake()
	}
	return added, nil
}

// Next blocks until some host is ready and leases the head of its queue.
// It returns ErrDrained when nothing is queued and nothing is leased, and
// ctx's error when ctx ends first.
func (m *Memory) Next(ctx context.Context) (*Lease, error) {
	for {
		m.mu.Lock()
		if m.queued == 0 && m.leased == 0 {
			m.mu.Unlock()
			m.wake()
			return nil, ErrDrained
		}
		now := m.clock.Now()
		wait := time.Duration(-1)
		if h, ok := m.sched.Peek(); ok {
			if !h.ReadyAt.After(now) {
				l := m.lease(h, now)
				more := m.sched.Len() > 0
				m.mu.Unlock()
				if more {
					m.wake()
				}
				return l, nil
			}
			wait = h.ReadyAt.Sub(now)
		}
		m.mu.Unlock()
		if err := m.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// sleep waits for a wake-up, for d to pass (d < 0: no timeout), or for
// ctx to end.
func (m *Memory) sleep(ctx context.Context, d time.Duration) error {
	var timer <-chan time.Time
	if d >= 0 {
		c, stop := m.clock.NewTimer(d)
		defer stop()
		timer = c
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-m.notify:
	case <-timer:
	}
	return nil
}

// Release ends a lease's hold on its host. fetched reports whether a
// request was made for it: when not, the host's rate slot it took is
// given back.
func (m *Memory) Release(ctx context.Context, l *Lease, fetched bool) error {
	m.mu.Lock()
	h := m.release(l)
	if !fetched && h.handouts == l.res.handout {
		// Nothing went out since: the bucket was full at the handout, so
		// a full bucket gives the slot back exactly.
		h.lim = rate.NewLimiter(h.lim.Limit(), 1)
	}
	m.update(h, m.clock.Now())
	m.mu.Unlock()
	m.wake()
	return nil
}

// Complete ends released leases; the memory frontier keeps nothing of
// them.
func (m *Memory) Complete(ctx context.Context, ls []*Lease) error {
	if len(ls) == 0 {
		return nil
	}
	m.mu.Lock()
	m.leased -= len(ls)
	m.mu.Unlock()
	m.wake()
	return nil
}

// Retry gives a lease back: its item returns to the front of its host's
// queue, and the host is not fetched from again before at.
func (m *Memory) Retry(ctx context.Context, l *Lease, at time.Time) error {
	m.mu.Lock()
	h := m.release(l)
	m.leased--
	h.q.pushFront(l.Item)
	m.queued++
	if at.After(h.notBefore) {
		h.notBefore = at
	}
	m.update(h, m.clock.Now())
	m.mu.Unlock()
	m.wake()
	return nil
}

// SetDelay sets a host's Crawl-delay: its handouts are spaced by d when d
// is longer than the interval of the configured rate.
func (m *Memory) SetDelay(ctx context.Context, hostKey string, d time.Duration) error {
	m.mu.Lock()
	h := m.host(hostKey)
	if limit := rate.Every(d); d > 0 && limit < h.lim.Limit() {
		// A new limiter whose one token went at the last handout: the
		// next request waits d after it.
		h.lim = rate.NewLimiter(limit, 1)
		if h.handouts > 0 {
			h.lim.ReserveN(h.last, 1)
		}
	}
	m.update(h, m.clock.Now())
	m.mu.Unlock()
	m.wake()
	return nil
}

// Stats reports how many items are queued and how many leases are
// outstanding.
func (m *Memory) Stats() (queued, leased int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.queued, m.leased
}

func (m *Memory) wake() {
	select {
	case m.notify <- struct{}{}:
	default:
	}
}

func (m *Memory) host(key string) *host {
	h := m.hosts[key]
	if h == nil {
		h = &host{key: key, lim: rate.NewLimiter(m.limit, 1)}
		m.hosts[key] = h
	}
	return h
}

// lease hands out the head of h, which is ready at now.
func (m *Memory) lease(h *host, now time.Time) *Lease {
	h.lim.ReserveN(now, 1) // ready: at most a rounding error early
	h.last = now
	h.handouts++
	l := &Lease{Item: h.q.popFront(h.key, &m.syms), h: h, res: reservation{handout: h.handouts}}
	h.leased++
	if l.Exclusive {
		h.exclusive = true
	}
	m.queued--
	m.leased++
	m.update(h, now)
	return l
}

func (m *Memory) release(l *Lease) *host {
	h := l.h
	h.leased--
	if l.Exclusive {
		h.exclusive = false
	}
	return h
}

// update puts h in the schedule, at the time it may next be fetched from,
// when it has work it may hand out, and takes it out otherwise.
func (m *Memory) update(h *host, now time.Time) {
	eligible := h.q.len() > 0 && !h.exclusive && h.leased < m.perHost &&
		!(h.q.headExclusive() && h.leased > 0)
	if !eligible {
		m.sched.Remove(h)
		return
	}
	at := TokenTime(h.lim, now)
	if h.notBefore.After(at) {
		at = h.notBefore
	}
	h.ReadyAt = at
	m.sched.Set(h)
}

// TokenTime is when lim next has a whole token: now, when it has one.
// Frontiers schedule a host at this time instead of waiting on its
// limiter, so that no worker waits on one host while another is ready.
func TokenTime(lim *rate.Limiter, now time.Time) time.Time {
	if lim == nil || lim.Limit() == rate.Inf {
		return now
	}
	tokens := lim.TokensAt(now)
	if tokens >= 1-1e-9 {
		return now
	}
	wait := (1 - tokens) / float64(lim.Limit()) * float64(time.Second)
	return now.Add(time.Duration(math.Ceil(wait)))
}
