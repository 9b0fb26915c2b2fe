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
	Output       io.Writer
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
	visited store.Visited
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
	visited := store.NewMemory()
	c := &Crawler{
		cfg:     cfg,
		fetcher: fetch.New(cfg.Fetch),
		visited: visited,
		agent:   agentToken(cfg.Fetch.UserAgent),
		skipped: store.NewMemory(),
	}
	c.front = frontier.NewMemory(visited, frontier.Config{PerHost: cfg.PerHost, Rate: cfg.Rate})
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

	c.out = newOutput(c.cfg.Output, c.cfg.Concurrency, c.cfg.FlushDelay, c.cfg.Observe)
	var outErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		_, outErr = c.out.run(c.cfg.MaxPages, func(err error) {
			if err != nil {
				cancel(fmt.Errorf("%w: %w", ErrOutput, err))
			} else {
				cancel(errMaxPages)
			}
		})
	})

	err := c.pushSeeds(crawlCtx)
	if err == nil {
		err = c.runWorkers(crawlCtx)
	}
	close(c.out.in)
	wg.Wait()

	switch cause := context.Cause(crawlCtx); {
	case errors.Is(cause, ErrOutput):
		return cause
	case outErr != nil:
		return fmt.Errorf("%w: %w", ErrOutput, outErr)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(cause, errMaxPages), errors.Is(cause, errMaxTime):
		return nil
	}
	return err
}

// runWorkers runs Concurrency workers until the frontier drains or ctx
// ends.
func (c *Crawler) runWorkers(ctx context.Context) error {
	errs := make(chan error, c.cfg.Concurrency)
	var wg sync.WaitGroup
	for range c.cfg.Concurrency {
		wg.Go(func() { errs <- c.work(ctx) })
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
			return err
		}
		recorded, err := c.handle(ctx, l)
		if c.budget != nil && !recorded {
			c.budget.release()
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
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
		b.add(ctx, frontier.Item{URL: u, Host: urlnorm.HostKeyOf(u), Scope: scope})
	}
	return b.push(ctx)
}
