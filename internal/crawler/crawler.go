// Package crawler is the crawl engine: it wires the frontier, the
// fetcher, link extraction and the visited set, owns every goroutine of a
// crawl, turns outcomes into records, and decides when the crawl ends.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/crawlhq/crawl/internal/fetch"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/robots"
	"github.com/crawlhq/crawl/internal/store"
	"github.com/crawlhq/crawl/internal/urlnorm"
)

// Scope limits which links a crawl follows.
type Scope int

const (
	// ScopeHost follows links to the hostname of the seed they came from.
	ScopeHost Scope = iota
	// ScopeDomain follows links within the seed's registrable domain.
	ScopeDomain
	// ScopeAny follows every link.
	ScopeAny
)

// ErrOutput wraps an error writing records: the crawl stops.
var ErrOutput = errors.New("crawler: writing output")

// ErrState wraps an error of the crawl's state store (the frontier, the
// robots.txt store): the crawl stops.
var ErrState = errors.New("crawler: crawl state")

// Config is a crawl's settings; cmd/crawl fills it from flags.
type Config struct {
	Seeds        []string // absolute http(s) URLs
	Concurrency  int      // fetches in flight, all hosts together
	PerHost      int      // fetches in flight to one host
	Rate         float64  // requests per second per host; 0 = unlimited
	MaxDepth     int      // -1 = no limit
	MaxPages     int      // records; 0 = no limit
	MaxTime      time.Duration
	Scope        Scope
	Include      []*regexp.Regexp
	Exclude      []*regexp.Regexp
	IgnoreRobots bool
	Fetch        fetch.Config // UserAgent's product token is the robots.txt agent
	Retry        fetch.Policy
	// Frontier, when set, replaces the in-memory frontier (and its
	// visited set): on disk for --state, in Redis for --frontier. The
	// caller opens and closes it.
	Frontier frontier.Frontier
	// Robots, when set, keeps robots.txt across runs or processes; one
	// younger than RobotsMaxAge is used rather than fetched again.
	Robots       store.RobotsStore
	RobotsMaxAge time.Duration
	// TrackChanges adds "changed" to records (the frontier must fill in
	// Item.Prev for URLs fetched before); OnlyChanged leaves out records
	// of pages that did not change.
	TrackChanges bool
	OnlyChanged  bool
	Output       io.Writer
	// Journal, when set, completes each batch of leases together with the
	// record lines about to be written for them, before the write (see
	// pebblestore.OutputMark): with an output file whose size tells after
	// a crash whether the write happened, no record is lost or repeated.
	Journal func(ctx context.Context, ls []*frontier.Lease, lines []byte) error
	// FlushDelay is how long finished records may wait in a buffer for
	// more to join them before they are written: 0 writes as soon as no
	// record is waiting (a terminal); a few milliseconds saves a write per
	// line on a pipe or file.
	FlushDelay time.Duration
	// Observe, when set, is called from one goroutine for every record
	// written.
	Observe func(*Record)
	Log     *slog.Logger
}

// Crawler runs one crawl. Make it with New; Run it once.
type Crawler struct {
	cfg     Config
	fetcher *fetch.Fetcher
	front   frontier.Frontier
	agent   string // robots.txt product token
	robots  robotsCache
	budget  *budget
	stats   Stats
	skipped *store.Memory // URLs already counted as skipped
	out     *output
}

// New checks cfg and makes a crawler with an in-memory frontier and
// visited set.
func New(cfg Config) (*Crawler, error) {
	if len(cfg.Seeds) == 0 {
		return nil, errors.New("crawler: no seeds")
	}
	if cfg.Concurrency < 1 || cfg.PerHost < 1 {
		return nil, errors.New("crawler: concurrency and per-host must be at least 1")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.TrackChanges {
		cfg.Fetch.HashBodies = true
	}
	if cfg.RobotsMaxAge <= 0 {
		cfg.RobotsMaxAge = 24 * time.Hour // RFC 9309: cache no longer than a day
	}
	c := &Crawler{
		cfg:     cfg,
		fetcher: fetch.New(cfg.Fetch),
		agent:   agentToken(cfg.Fetch.UserAgent),
		skipped: store.NewMemory(),
		front:   cfg.Frontier,
	}
	if c.front == nil {
		c.front = frontier.NewMemory(store.NewMemory(), frontier.Config{PerHost: cfg.PerHost, Rate: cfg.Rate})
	}
	c.robots.store = cfg.Robots
	c.robots.maxAge = cfg.RobotsMaxAge
	c.robots.agent = c.agent
	if cfg.MaxPages > 0 {
		c.budget = newBudget(cfg.MaxPages)
	}
	return c, nil
}

// agentToken is the robots.txt user-agent of a User-Agent header: its
// product token, or none (only the * group applies) when that is not a
// valid token.
func agentToken(ua string) string {
	if tok := robots.ProductToken(ua); robots.ValidProductToken(tok) {
		return tok
	}
	return ""
}

// Stats returns the crawl's counters so far.
func (c *Crawler) Stats() Snapshot { return c.stats.snapshot() }

// errMaxPages and errMaxTime end a crawl early without failing it.
var (
	errMaxPages = errors.New("crawler: max pages reached")
	errMaxTime  = errors.New("crawler: max time reached")
)

// Run crawls until the frontier drains, --max-pages or --max-time is
// reached, ctx is cancelled, or the output fails. Every goroutine it
// starts has exited when it returns. It returns nil when the crawl ran to
// one of its ends, ctx's error when ctx was cancelled, and an error
// wrapping ErrOutput when records could not be written.
func (c *Crawler) Run(ctx context.Context) error {
	c.stats.start = time.Now()
	defer func() { c.stats.end.Store(time.Now().UnixNano()) }()
	defer c.fetcher.Close()

	crawlCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if c.cfg.MaxTime > 0 {
		var stop context.CancelFunc
		crawlCtx, stop = context.WithTimeoutCause(crawlCtx, c.cfg.MaxTime, errMaxTime)
		defer stop()
	}

	// Records flushed after a stop are still completed: the state must
	// say what the output holds.
	completeCtx := context.WithoutCancel(ctx)
	c.out = newOutput(c.cfg.Output, c.cfg.Concurrency, c.cfg.FlushDelay, c.cfg.Observe,
		func(ls []*frontier.Lease) error {
			if err := c.front.Complete(completeCtx, ls); err != nil {
				return fmt.Errorf("%w: %w", ErrState, err)
			}
			return nil
		})
	if c.cfg.Journal != nil {
		c.out.journal = func(ls []*frontier.Lease, lines []byte) error {
			if err := c.cfg.Journal(completeCtx, ls, lines); err != nil {
				return fmt.Errorf("%w: %w", ErrState, err)
			}
			return nil
		}
	}
	var outErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		_, outErr = c.out.run(c.cfg.MaxPages, func(err error) {
			switch {
			case errors.Is(err, ErrState):
				cancel(err)
			case err != nil:
				cancel(fmt.Errorf("%w: %w", ErrOutput, err))
			default:
				cancel(errMaxPages)
			}
		})
	})

	err := c.pushSeeds(crawlCtx)
	if err == nil {
		err = c.runWorkers(crawlCtx, cancel)
	}
	close(c.out.in)
	wg.Wait()

	switch cause := context.Cause(crawlCtx); {
	case errors.Is(cause, ErrOutput), errors.Is(cause, ErrState):
		return cause
	case errors.Is(outErr, ErrState):
		return outErr
	case outErr != nil:
		return fmt.Errorf("%w: %w", ErrOutput, outErr)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(cause, errMaxPages), errors.Is(cause, errMaxTime):
		return nil
	case cause != nil && !errors.Is(cause, context.Canceled):
		return cause // a worker failed
	}
	return err
}

// runWorkers runs Concurrency workers until the frontier drains or ctx
// ends; the first worker to fail stops the others.
func (c *Crawler) runWorkers(ctx context.Context, stop context.CancelCauseFunc) error {
	errs := make(chan error, c.cfg.Concurrency)
	var wg sync.WaitGroup
	for range c.cfg.Concurrency {
		wg.Go(func() {
			err := c.work(ctx)
			if err != nil {
				stop(err)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// work takes leases from the frontier and handles them, one at a time.
func (c *Crawler) work(ctx context.Context) error {
	for {
		if c.budget != nil && !c.budget.acquire(ctx) {
			return nil
		}
		l, err := c.front.Next(ctx)
		if err != nil {
			if c.budget != nil {
				c.budget.release()
			}
			if errors.Is(err, frontier.ErrDrained) || ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("%w: %w", ErrState, err)
		}
		recorded, err := c.handle(ctx, l)
		if c.budget != nil && !recorded {
			c.budget.release()
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !errors.Is(err, ErrState) {
				err = fmt.Errorf("%w: %w", ErrState, err)
			}
			return err
		}
	}
}

// pushSeeds puts the seeds in the frontier, robots.txt first.
func (c *Crawler) pushSeeds(ctx context.Context) error {
	b := c.newBatch(len(c.cfg.Seeds))
	for _, s := range c.cfg.Seeds {
		u, err := urlnorm.Normalize(s)
		if err != nil {
			return fmt.Errorf("crawler: seed %q: %w", s, err)
		}
		scope := c.scopeOf(urlnorm.HostnameOf(u))
		if err := b.add(ctx, frontier.Item{URL: u, Host: urlnorm.HostKeyOf(u), Scope: scope}); err != nil {
			return err
		}
	}
	return b.push(ctx)
}
