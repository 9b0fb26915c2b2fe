package pebblestore

import (
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
	"golang.org/x/time/rate"
)

// host is one politeness key: the head of its queue, which lives on
// disk under q/<host>\x00, and its schedule, which lives in memory only.
type host struct {
	key string

	// The queue. Entries with seqs up to cursor are in front or buf, or
	// leased; more says whether any entry after cursor is on disk.
	front    []entry // pushed to the front, lowest seq (the head) last
	buf      []entry // read from disk or appended by Push, in seq order
	cursor   uint64
	more     bool
	frontSeq uint64 // next seq for a front push; counts down
	backSeq  uint64 // next seq for a back push; counts up
	out      int    // leases not yet completed or retried
	pending  bool   // counted in Frontier.pending

	// Politeness, as in frontier.Memory.
	leased        int  // leases not yet released
	exclusive     bool // an Exclusive item is leased
	delay         time.Duration
	lim           *rate.Limiter // burst 1
	last          time.Time
	handouts      uint64
	notBefore     time.Time
	frontier.Slot // its place in the schedule
}

// entry is a queued item and its seq.
type entry struct {
	seq uint64
	it  frontier.Item
}

// ticket is a Lease's Handle: what Release, Complete and Retry need.
type ticket struct {
	h       *host
	seq     uint64
	handout uint64 // the host's handout count just after this one
	settled bool
}

func newHost(key string, delay time.Duration) *host {
	return &host{key: key, delay: delay, cursor: midSeq - 1, frontSeq: midSeq - 1, backSeq: midSeq}
}

// hasWork reports whether anything of h is queued (not leased).
func (h *host) hasWork() bool { return len(h.front) > 0 || len(h.buf) > 0 || h.more }

// head is the next entry in memory, nil when none is (h.more may still
// be set).
func (h *host) head() *entry {
	if n := len(h.front); n > 0 {
		return &h.front[n-1]
	}
	if len(h.buf) > 0 {
		return &h.buf[0]
	}
	return nil
}

// pop removes the head, which must exist; fromBuf reports where it was.
func (h *host) pop() (e entry, fromBuf bool) {
	if n := len(h.front); n > 0 {
		e = h.front[n-1]
		h.front[n-1] = entry{}
		h.front = h.front[:n-1]
		return e, false
	}
	e = h.buf[0]
	h.buf[0] = entry{}
	h.buf = h.buf[1:]
	if len(h.buf) == 0 {
		h.buf = nil
	}
	return e, true
}

// pushFront adds e among the front entries, which stay sorted so that
// memory and disk agree on the order whoever commits first.
func (h *host) pushFront(e entry) {
	i := len(h.front)
	for i > 0 && h.front[i-1].seq < e.seq {
		i--
	}
	h.front = append(h.front, entry{})
	copy(h.front[i+1:], h.front[i:])
	h.front[i] = e
}

// limiter is h's rate limiter under limit, slowed by its Crawl-delay.
func (h *host) limiter(limit rate.Limit) *rate.Limiter {
	if d := rate.Every(h.delay); h.delay > 0 && d < limit {
		limit = d
	}
	return rate.NewLimiter(limit, 1)
}

// idle reports whether h holds nothing a fresh host loaded from disk
// would not: no queue, no lease, a full rate bucket.
func (h *host) idle(now time.Time) bool {
	return !h.hasWork() && h.out == 0 && h.leased == 0 && !h.Scheduled() &&
		!h.notBefore.After(now) && !frontier.TokenTime(h.lim, now).After(now)
}
