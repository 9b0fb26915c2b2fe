package redisfrontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
)

// Frontier is a crawl's shared frontier in Redis, as one process sees it.
// It is safe for concurrent use. Make it with Client.Frontier.
type Frontier struct {
	c     *Client
	clock clock.Clock
	pol   politeness
	ttl   time.Duration
	poll  time.Duration

	idPrefix string // random: lease ids are unique across processes
	seq      atomic.Uint64

	// notify holds at most one wake-up for this process's waiters in
	// Next. poller is held by the one waiter that asks Redis again every
	// Poll; the others wait for a wake-up.
	notify  chan struct{}
	poller  chan struct{}
	waiting atomic.Int32

	lost atomic.Int64 // leases that expired before they were completed

	mu      sync.Mutex
	held    map[string]struct{} // lease ids this process holds
	renewed time.Time
}

var _ frontier.Frontier = (*Frontier)(nil)

// Frontier returns this process's view of the crawl's frontier, with cfg's
// politeness. Every process of a crawl should use the same PerHost and
// Rate: each claim applies its own process's.
func (c *Client) Frontier(cfg frontier.Config) *Frontier {
	var id [6]byte
	rand.Read(id[:])
	f := &Frontier{
		c:        c,
		clock:    cfg.Clock,
		pol:      politeness{perHost: max(cfg.PerHost, 1)},
		ttl:      c.opts.LeaseTTL,
		poll:     c.opts.Poll,
		idPrefix: hex.EncodeToString(id[:]) + "-",
		notify:   make(chan struct{}, 1),
		poller:   make(chan struct{}, 1),
		held:     make(map[string]struct{}),
	}
	if f.clock == nil {
		f.clock = c.opts.Clock
	}
	if cfg.Rate > 0 {
		f.pol.interval = int64(math.Ceil(1e6 / cfg.Rate))
	}
	f.renewed = f.clock.Now()
	return f
}

func (f *Frontier) now() int64 { return f.clock.Now().UnixMicro() }

// Push adds the items whose keys the crawl never accepted before, in one
// round trip, and reports how many it added. A Push retried after its
// reply was lost reports fewer than it added: the first attempt took them.
func (f *Frontier) Push(ctx context.Context, items []frontier.Item) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	args := make([]any, 0, 4*len(items))
	for i := range items {
		it := &items[i]
		key := it.Key
		if key == "" {
			key = it.URL
		}
		host := it.Host
		if host == "" {
			host = hostOf(it.URL)
		}
		bucket, member := fingerprint(key)
		args = append(args, bucket, member, host, encodeItem(nil, it, host))
	}
	var added int64
	err := f.c.retry(ctx, f.clock, func(ctx context.Context) (err error) {
		added, err = f.c.run(ctx, pushScript, f.now(), f.pol, args...).Int64()
		return err
	})
	if err != nil {
		return 0, err
	}
	if added > 0 {
		f.wake()
	}
	return int(added), nil
}

// Next leases an item that may be fetched now, waiting while there is
// none. It returns frontier.ErrDrained when nothing is queued and no lease
// is outstanding in any process, ErrStateLost when the crawl's keys
// vanished, and ctx's error when ctx ends first.
func (f *Frontier) Next(ctx context.Context) (*frontier.Lease, error) {
	if err := f.renewIfDue(ctx); err != nil {
		return nil, err
	}
	// One id for every attempt: a claim retried after its reply was lost
	// finds the lease it made rather than making a second.
	id := f.idPrefix + strconv.FormatUint(f.seq.Add(1), 36)
	for {
		r, err := f.claim(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				f.giveBackLost(id)
			}
			return nil, err
		}
		switch r.kind {
		case "L":
			if r.more || f.waiting.Load() > 0 {
				f.wake()
			}
			return r.lease, nil
		case "D":
			f.wake()
			return nil, frontier.ErrDrained
		case "X":
			f.wake()
			return nil, ErrStateLost
		}
		if err := f.sleep(ctx, r.wait); err != nil {
			if f.waiting.Load() > 0 {
				f.wake() // hand the polling on
			}
			return nil, err
		}
	}
}

type claimed struct {
	kind  string // L leased, W wait, D drained, X state lost
	lease *frontier.Lease
	more  bool
	wait  time.Duration // until a host is ready or a lease expires
}

func (f *Frontier) claim(ctx context.Context, id string) (claimed, error) {
	var v []any
	err := f.c.retry(ctx, f.clock, func(ctx context.Context) (err error) {
		v, err = f.c.run(ctx, claimScript, f.now(), f.pol, id, f.ttl.Microseconds()).Slice()
		return err
	})
	if err != nil {
		return claimed{}, err
	}
	var kind string
	if len(v) > 0 {
		kind, _ = v[0].(string)
	}
	switch {
	case kind == "L" && len(v) == 4:
		item, _ := v[1].(string)
		host, _ := v[2].(string)
		it, err := decodeItem([]byte(item), host)
		if err != nil {
			return claimed{}, err
		}
		more, _ := v[3].(int64)
		f.mu.Lock()
		f.held[id] = struct{}{}
		f.mu.Unlock()
		return claimed{kind: kind, lease: &frontier.Lease{Item: it, Handle: id}, more: more == 1}, nil
	case kind == "W" && len(v) == 2:
		us, _ := v[1].(int64)
		return claimed{kind: kind, wait: time.Duration(us) * time.Microsecond}, nil
	case kind == "D" || kind == "X":
		return claimed{kind: kind}, nil
	}
	return claimed{}, fmt.Errorf("redisfrontier: unexpected claim reply %v", v)
}

// sleep waits for a wake-up, for d (at most Poll) to pass, or for ctx to
// end. Only one waiter at a time keeps the timer and so asks Redis again
// every Poll; the others wait for this process's own events.
func (f *Frontier) sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-f.notify: // news since the claim: look again before waiting
		return nil
	default:
	}
	var timer <-chan time.Time
	select {
	case f.poller <- struct{}{}:
		defer func() { <-f.poller }()
		if d < 0 || d > f.poll {
			d = f.poll
		}
		t, stop := f.clock.NewTimer(d)
		defer stop()
		timer = t
	default:
	}
	f.waiting.Add(1)
	defer f.waiting.Add(-1)
	select {
	case <-ctx.Done():
		return ctx.Err()
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

// Release ends the lease's hold on its host; when fetched is false and
// the host handed out nothing since, its rate slot is given back. The
// lease stays outstanding until Complete.
func (f *Frontier) Release(ctx context.Context, l *frontier.Lease, fetched bool) error {
	id, err := leaseID(l)
	if err != nil {
		return err
	}
	flag := "1"
	if !fetched {
		flag = "0"
	}
	err = f.c.retry(ctx, f.clock, func(ctx context.Context) error {
		return f.c.run(ctx, releaseScript, f.now(), f.pol, id, flag).Err()
	})
	f.wake()
	return err
}

// Complete ends leases for good, in one round trip. A lease that expired
// before it was completed (its item went back to the queue and may be
// fetched again) is counted in Lost.
func (f *Frontier) Complete(ctx context.Context, ls []*frontier.Lease) error {
	if len(ls) == 0 {
		return nil
	}
	ids := make([]any, len(ls))
	for i, l := range ls {
		id, err := leaseID(l)
		if err != nil {
			return err
		}
		ids[i] = id
	}
	var lost int64
	err := f.c.retry(ctx, f.clock, func(ctx context.Context) (err error) {
		lost, err = f.c.run(ctx, completeScript, f.now(), f.pol, ids...).Int64()
		return err
	})
	if err != nil {
		return err
	}
	f.lost.Add(lost)
	f.forget(ids...)
	f.wake()
	return nil
}

// Retry ends the lease and puts its item, as it now is, back at the front
// of its host's queue; the host is not fetched from again before at.
func (f *Frontier) Retry(ctx context.Context, l *frontier.Lease, at time.Time) error {
	id, err := leaseID(l)
	if err != nil {
		return err
	}
	item := encodeItem(nil, &l.Item, l.Host)
	var ok int64
	err = f.c.retry(ctx, f.clock, func(ctx context.Context) (err error) {
		ok, err = f.c.run(ctx, retryScript, f.now(), f.pol, id, at.UnixMicro(), item).Int64()
		return err
	})
	if err != nil {
		return err
	}
	if ok == 0 {
		f.lost.Add(1)
	}
	f.forget(id)
	f.wake()
	return nil
}

// SetDelay sets a host's robots.txt Crawl-delay for every process: its
// handouts are spaced by d when d is longer than the rate's interval.
func (f *Frontier) SetDelay(ctx context.Context, hostKey string, d time.Duration) error {
	err := f.c.retry(ctx, f.clock, func(ctx context.Context) error {
		return f.c.run(ctx, delayScript, f.now(), f.pol, hostKey, d.Microseconds()).Err()
	})
	f.wake()
	return err
}

// Lost reports how many of this process's leases expired before they were
// completed or retried: their items went back to the queue, and may have
// been fetched twice. Nonzero means LeaseTTL is too short for the crawl.
func (f *Frontier) Lost() int64 { return f.lost.Load() }

var errForeignLease = errors.New("redisfrontier: lease not from a redis frontier")

func leaseID(l *frontier.Lease) (string, error) {
	id, ok := l.Handle.(string)
	if !ok {
		return "", errForeignLease
	}
	return id, nil
}

// forget drops leases from those this process holds; it returns how
// many it held.
func (f *Frontier) forget(ids ...any) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, id := range ids {
		if s, ok := id.(string); ok {
			if _, held := f.held[s]; held {
				delete(f.held, s)
				n++
			}
		}
	}
	return n
}
