package crawler

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crawlhq/crawl/internal/fetch"
	"github.com/crawlhq/crawl/internal/robots"
	"github.com/crawlhq/crawl/internal/store"
	"github.com/crawlhq/crawl/internal/urlnorm"
)

// maxCrawlDelay bounds a robots.txt Crawl-delay, so that a typo of a
// million seconds leaves the host waiting a day, not overflowing a time.
const maxCrawlDelay = 24 * time.Hour

// robotsCache holds each host's robots.txt verdict for the crawl. It is
// safe for concurrent use. A sync.Map suits it: each host is written once
// and then read for every link to it, with no lock on the read. With a
// store, a host's robots.txt saved by an earlier run (or another process)
// and younger than maxAge is used rather than fetched again.
type robotsCache struct {
	m      sync.Map   // host key -> *robotsEntry
	mu     sync.Mutex // serializes adding hosts
	store  store.RobotsStore
	maxAge time.Duration
	agent  string
}

// robotsEntry is one host's; rules is nil until its robots.txt is done.
type robotsEntry struct {
	rules atomic.Pointer[hostRules]
}

// entry returns host's entry, adding it when missing (with the rules of
// a fresh stored robots.txt, if any); added reports that it was missing.
func (rc *robotsCache) entry(ctx context.Context, host string) (e *robotsEntry, added bool, err error) {
	if v, ok := rc.m.Load(host); ok {
		return v.(*robotsEntry), false, nil
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if v, ok := rc.m.Load(host); ok {
		return v.(*robotsEntry), false, nil
	}
	e = &robotsEntry{}
	if rc.store != nil {
		saved, ok, err := rc.store.LoadRobots(ctx, host)
		if err != nil {
			return nil, false, fmt.Errorf("%w: %w", ErrState, err)
		}
		if ok && time.Since(saved.FetchedAt) < rc.maxAge {
			e.rules.Store(rulesFromStore(saved, rc.agent))
		}
	}
	rc.m.Store(host, e)
	return e, true, nil
}

// hostRules is what a host's robots.txt fetch decided.
type hostRules struct {
	group *robots.Group
	// failure is set when robots.txt got no response at all (after
	// retries): the host is unreachable, and its URLs are recorded as
	// failed with this message, without being requested.
	failure  string
	attempts int32
}

type verdict int

const (
	unknown     verdict = iota // robots.txt not fetched yet
	allowed                    // fetch it
	disallowed                 // robots.txt forbids it: no record
	unreachable                // the host did not answer robots.txt
)

// check returns the verdict on u of host's robots.txt, and whether host
// was never asked about before: the caller then sets its Crawl-delay, if
// the rules are known, or queues its robots.txt.
func (rc *robotsCache) check(ctx context.Context, host, u string) (v verdict, r *hostRules, first bool, err error) {
	e, first, err := rc.entry(ctx, host)
	if err != nil {
		return unknown, nil, false, err
	}
	r = e.rules.Load()
	switch {
	case r == nil:
		return unknown, nil, first, nil
	case r.failure != "":
		return unreachable, r, first, nil
	case !r.group.Allowed(urlnorm.RequestURIOf(u)):
		return disallowed, r, first, nil
	}
	return allowed, r, first, nil
}

// reload looks host's robots.txt up in the store again, when its rules
// are not known here: with a shared store another process may have
// fetched it. It is called when a URL of host is about to be fetched (the
// frontier hands one out only after the host's robots.txt is done).
func (rc *robotsCache) reload(ctx context.Context, host string) error {
	if rc.store == nil {
		return nil
	}
	e, _, err := rc.entry(ctx, host)
	if err != nil || e.rules.Load() != nil {
		return err
	}
	saved, ok, err := rc.store.LoadRobots(ctx, host)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	if ok {
		e.rules.CompareAndSwap(nil, rulesFromStore(saved, rc.agent))
	}
	return nil
}

// set records host's rules, fetched by this crawl.
func (rc *robotsCache) set(ctx context.Context, host string, r *hostRules) error {
	e, _, err := rc.entry(ctx, host)
	if err != nil {
		return err
	}
	e.rules.Store(r)
	return nil
}

// rulesFor turns a robots.txt response into the rules for agent.
func rulesFor(resp *fetch.Response, agent string, attempts int32) *hostRules {
	return makeRules(resp.Status, resp.Body, fetch.Message(resp.Err), attempts, agent)
}

// rulesFromStore is rulesFor of a stored robots.txt.
func rulesFromStore(r store.Robots, agent string) *hostRules {
	return makeRules(r.Status, r.Body, r.Failure, int32(r.Attempts), agent)
}

// makeRules applies RFC 9309 section 2.3.1: a success is parsed; a 4xx,
// or a redirect chain too long to follow, allows everything; a 5xx
// forbids everything; no response at all (failure) makes the host
// unreachable, which forbids everything too.
func makeRules(status int, body []byte, failure string, attempts int32, agent string) *hostRules {
	switch {
	case strings.Contains(failure, "redirects"):
		return &hostRules{group: robots.AllowAll().Group(agent)}
	case failure != "" || status == 0:
		if failure == "" {
			failure = "no response"
		}
		return &hostRules{group: robots.DisallowAll().Group(agent), failure: failure, attempts: attempts}
	case status >= 500:
		return &hostRules{group: robots.DisallowAll().Group(agent)}
	case status >= 300: // 4xx, or a redirect without a usable Location
		return &hostRules{group: robots.AllowAll().Group(agent)}
	}
	return &hostRules{group: robots.Parse(body).Group(agent)}
}

// crawlDelay is the Crawl-delay to apply for rules.
func (r *hostRules) crawlDelay() time.Duration {
	return min(r.group.CrawlDelay(), maxCrawlDelay)
}
