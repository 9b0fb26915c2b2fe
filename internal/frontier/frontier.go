// Package frontier decides what a crawl fetches next, and when.
//
// # Basics
//
// A frontier keeps one queue per host (scheme://host:port) and a schedule
// of the hosts that may be fetched from: a host is ready when its queue is
// not empty, fewer than the per-host limit of its URLs are leased, and its
// rate limiter (the --rate, slowed further by robots.txt Crawl-delay) has
// a token. Next hands out the head of a ready host as a Lease and blocks
// while no host is ready, so a worker never waits on one host's limiter
// while another host could be fetched.
//
// A Lease must be given back with Retry, or released with Release (which
// ends its hold on the host's politeness budget) and then settled with
// Complete (which, in frontiers that keep state, records it as done once
// its record is written). The crawl is drained when nothing is queued and
// no lease is outstanding: Next then returns ErrDrained to every caller.
//
// Push deduplicates: an Item whose Key was ever accepted before is dropped.
// The set of accepted keys lives behind the Seen interface, so that it can
// be kept in memory or on disk.
//
// # Caveats
//
// An Item with Exclusive set (a host's robots.txt) goes to the front of its
// host's queue, is handed out only when nothing else of that host is
// leased, and holds the host until it is completed: the rules it fetches
// must be known before the host's other URLs go out.
package frontier

import (
	"context"
	"errors"
	"time"

	"github.com/crawlhq/crawl/internal/clock"
)

// ErrDrained is returned by Next when nothing is queued and nothing is
// leased: the crawl has run to its end.
var ErrDrained = errors.New("frontier: drained")

// Item is one unit of work: a URL to fetch and what the crawl knows about
// how it was found.
type Item struct {
	// URL is the normalized absolute URL to fetch.
	URL string
	// Host is the politeness key, scheme://host[:port], of URL.
	Host string
	// Key deduplicates items; empty means URL.
	Key string
	// Parent is the URL of the page on which URL was first found; empty
	// for seeds.
	Parent string
	// Scope is what the crawl's scope rule compares links of this page
	// against (the seed's host or registrable domain).
	Scope string
	// Depth is 0 for seeds, N+1 for links found on a depth-N page; a
	// redirect target keeps the depth of the redirect.
	Depth int32
	// Hops counts the redirects that led to URL.
	Hops int32
	// Attempts counts the attempts made so far (retries go back through
	// the frontier).
	Attempts int32
	// Exclusive marks a host's robots.txt: see the package doc.
	Exclusive bool
	// PerRun deduplicates the item within this run of the crawl only:
	// a robots.txt is fetched again by a later run when it has grown old.
	// Frontiers that keep no state across runs ignore it.
	PerRun bool
	// Prev is what an earlier fetch of URL found, for a conditional
	// request; zero when URL was never fetched. Frontiers that keep state
	// across runs fill it in when they hand out a URL again.
	Prev Validators
}

// Validators are what a fetch of a URL found that lets a later fetch ask
// "has it changed?".
type Validators struct {
	ETag         string
	LastModified string
	Hash         uint64 // of the body
	FetchedAt    time.Time
}

// Known reports whether the URL was fetched before.
func (v Validators) Known() bool { return !v.FetchedAt.IsZero() }

// Result is what a lease's fetch found; the engine fills it in before
// Complete, for frontiers that remember URLs.
type Result struct {
	Validators
	Status int
	Failed bool // no usable response came
	// Recorded reports that a record was written for the URL (it was not
	// skipped by robots.txt).
	Recorded bool
}

func (it *Item) key() string {
	if it.Key != "" {
		return it.Key
	}
	return it.URL
}

// Lease is an Item handed out by Next. It belongs to the caller until it
// is passed to Retry, or to Release and then Complete.
type Lease struct {
	Item
	// Result is set by the engine before Complete.
	Result Result
	// Handle is the implementation's reference to the lease (a queue
	// key, a lease id); the memory frontier does not use it.
	Handle any

	h   *host
	res reservation
}

// Seen is the set of accepted keys (see store.Visited). Add sets isNew[i]
// when keys[i] had not been added before.
type Seen interface {
	Add(ctx context.Context, keys []string, isNew []bool) error
}

// Frontier is the seam between the crawl engine and a frontier
// implementation (in memory, on disk, in Redis). Implementations are safe
// for concurrent use and pass the suite in package frontiertest.
type Frontier interface {
	// Push adds the items whose keys were never accepted before, in one
	// batch, and reports how many it added.
	Push(ctx context.Context, items []Item) (int, error)
	// Next blocks until an item may be fetched and leases it; ErrDrained
	// when nothing is queued and no lease is outstanding.
	Next(ctx context.Context) (*Lease, error)
	// Release ends a lease's hold on its host's politeness budget once
	// its fetch is over; fetched reports whether a request was made (if
	// not, the rate slot it took is given back). The lease stays
	// outstanding until Complete.
	Release(ctx context.Context, l *Lease, fetched bool) error
	// Complete settles released leases for good, with their Result: the
	// engine calls it once their records are written, so that a crawl
	// resumed after a crash neither loses nor repeats a record.
	Complete(ctx context.Context, ls []*Lease) error
	// Retry returns a lease to the front of its host's queue; the host is
	// not fetched from again before at. It ends the lease.
	Retry(ctx context.Context, l *Lease, at time.Time) error
	// SetDelay sets a host's robots.txt Crawl-delay.
	SetDelay(ctx context.Context, hostKey string, d time.Duration) error
}

// Clock is the clock a frontier schedules with.
type Clock = clock.Clock

// RealClock is the wall clock.
var RealClock = clock.Real
