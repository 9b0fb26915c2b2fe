package crawler

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crawlhq/crawl/internal/fetch"
	"github.com/crawlhq/crawl/internal/robots"
	"github.com/crawlhq/crawl/internal/urlnorm"
)

// maxCrawlDelay bounds a robots.txt Crawl-delay, so that a typo of a
// million seconds leaves the host waiting a day, not overflowing a time.
const maxCrawlDelay = 24 * time.Hour

// robotsCache holds each host's robots.txt verdict for the crawl. It is
// safe for concurrent use. A sync.Map suits it: each host is written once
// and then read for every link to it, with no lock on the read.
type robotsCache struct {
	m sync.Map // host key -> *robotsEntry
}

// robotsEntry is one host's; rules is nil until its robots.txt is done.
type robotsEntry struct {
	rules atomic.Pointer[hostRules]
}

// entry returns host's entry, adding it when missing; added reports that.
func (rc *robotsCache) entry(host string) (e *robotsEntry, added bool) {
	if v, ok := rc.m.Load(host); ok {
		return v.(*robotsEntry), false
	}
	v, loaded := rc.m.LoadOrStore(host, &robotsEntry{})
	return v.(*robotsEntry), !loaded
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
// was never asked about before (the caller then queues its robots.txt).
func (rc *robotsCache) check(host, u string) (v verdict, r *hostRules, first bool) {
	e, first := rc.entry(host)
	r = e.rules.Load()
	switch {
	case r == nil:
		return unknown, nil, first
	case r.failure != "":
		return unreachable, r, false
	case !r.group.Allowed(urlnorm.RequestURIOf(u)):
		return disallowed, r, false
	}
	return allowed, r, false
}

func (rc *robotsCache) set(host string, r *hostRules) {
	e, _ := rc.entry(host)
	e.rules.Store(r)
}

// rulesFor turns a robots.txt response into the rules for agent (RFC
// 9309 section 2.3.1): a success is parsed; a 4xx, or a redirect chain
// too long to follow, allows everything; a 5xx forbids everything; no
// response at all makes the host unreachable, which forbids everything
// too.
func rulesFor(resp *fetch.Response, agent string, attempts int32) *hostRules {
	switch {
	case resp.Err != nil && strings.Contains(fetch.Message(resp.Err), "redirects"):
		return &hostRules{group: robots.AllowAll().Group(agent)}
	case resp.Err != nil || resp.Status == 0:
		return &hostRules{group: robots.DisallowAll().Group(agent), failure: fetch.Message(resp.Err), attempts: attempts}
	case resp.Status >= 500:
		return &hostRules{group: robots.DisallowAll().Group(agent)}
	case resp.Status >= 300: // 4xx, or a redirect without a usable Location
		return &hostRules{group: robots.AllowAll().Group(agent)}
	}
	return &hostRules{group: robots.Parse(resp.Body).Group(agent)}
}

// crawlDelay is the Crawl-delay to apply for rules.
func (r *hostRules) crawlDelay() time.Duration {
	return min(r.group.CrawlDelay(), maxCrawlDelay)
}
