package crawler

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what a crawl did. Its counters are updated concurrently.
type Stats struct {
	start         time.Time
	end           atomic.Int64 // UnixNano, 0 while running
	Records       atomic.Int64
	Errors        atomic.Int64
	Bytes         atomic.Int64
	SkippedRobots atomic.Int64
	SkippedScope  atomic.Int64
	SkippedDepth  atomic.Int64
	SkippedFilter atomic.Int64
	Unchanged     atomic.Int64 // left out by OnlyChanged
}

// Snapshot is a copy of Stats at one moment.
type Snapshot struct {
	Records, Errors, Bytes                    int64
	SkippedRobots, SkippedScope, SkippedDepth int64
	SkippedFilter                             int64
	Unchanged                                 int64
	Elapsed                                   time.Duration
}

// Skipped is the number of URLs not fetched, for all reasons.
func (s Snapshot) Skipped() int64 {
	return s.SkippedRobots + s.SkippedScope + s.SkippedDepth + s.SkippedFilter
}

// PagesPerSecond is records per second of elapsed time.
func (s Snapshot) PagesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Records) / s.Elapsed.Seconds()
}

func (s *Stats) count(r *Record) {
	s.Records.Add(1)
	s.Bytes.Add(r.Size)
	if r.Error != "" {
		s.Errors.Add(1)
	}
}

func (s *Stats) snapshot() Snapshot {
	end := time.Now()
	if e := s.end.Load(); e != 0 {
		end = time.Unix(0, e)
	}
	var elapsed time.Duration
	if !s.start.IsZero() {
		elapsed = end.Sub(s.start)
	}
	return Snapshot{
		Records:       s.Records.Load(),
		Errors:        s.Errors.Load(),
		Bytes:         s.Bytes.Load(),
		SkippedRobots: s.SkippedRobots.Load(),
		SkippedScope:  s.SkippedScope.Load(),
		SkippedDepth:  s.SkippedDepth.Load(),
		SkippedFilter: s.SkippedFilter.Load(),
		Unchanged:     s.Unchanged.Load(),
		Elapsed:       elapsed,
	}
}

// budget caps the pages started so that --max-pages records are written
// and no more requests are made than can become records. It is safe for
// concurrent use.
type budget struct {
	mu      sync.Mutex
	left    int
	changed chan struct{}
}

func newBudget(n int) *budget { return &budget{left: n, changed: make(chan struct{})} }

// acquire takes one page from the budget, waiting while none is left;
// false when ctx ends first.
func (b *budget) acquire(ctx context.Context) bool {
	for {
		b.mu.Lock()
		if b.left > 0 {
			b.left--
			b.mu.Unlock()
			return true
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return false
		case <-ch:
		}
	}
}

// release gives back a page that did not become a record.
func (b *budget) release() {
	b.mu.Lock()
	b.left++
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}
