package crawler

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"golang.org/x/net/publicsuffix"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/urlnorm"
)

// link is an outlink of a page, or the target of a redirect.
type link struct {
	url      string
	depth    int32
	hops     int32
	nofollow bool
	redirect bool
}

// pushLinks filters a page's links by the crawl rules and pushes those to
// follow, with the robots.txt of hosts not seen before, in one batch.
func (c *Crawler) pushLinks(ctx context.Context, l *frontier.Lease, links []link) error {
	if len(links) == 0 {
		return nil
	}
	b := c.newBatch(len(links))
	for _, k := range links {
		if c.filter(ctx, l, k) {
			continue
		}
		it := frontier.Item{URL: k.url, Host: urlnorm.HostKeyOf(k.url), Parent: l.URL, Scope: l.Scope, Depth: k.depth, Hops: k.hops}
		if err := b.add(ctx, it); err != nil {
			return err
		}
	}
	return b.push(ctx)
}

// filter reports whether a link is not to be followed, and counts why.
func (c *Crawler) filter(ctx context.Context, l *frontier.Lease, k link) bool {
	switch {
	case k.nofollow:
		c.skip(ctx, k.url, &c.stats.SkippedRobots)
	case c.cfg.MaxDepth >= 0 && int(k.depth) > c.cfg.MaxDepth:
		c.skip(ctx, k.url, &c.stats.SkippedDepth)
	case !c.inScope(l.Scope, k.url):
		c.skip(ctx, k.url, &c.stats.SkippedScope)
	case !c.matches(k.url):
		c.skip(ctx, k.url, &c.stats.SkippedFilter)
	default:
		return false
	}
	return true
}

// inScope reports whether u is within scope of a page whose seed had
// scope (a hostname, or a registrable domain).
func (c *Crawler) inScope(scope, u string) bool {
	if c.cfg.Scope == ScopeAny {
		return true
	}
	return c.scopeOf(urlnorm.HostnameOf(u)) == scope
}

// scopeOf is what the scope rule compares for a hostname.
func (c *Crawler) scopeOf(hostname string) string {
	switch c.cfg.Scope {
	case ScopeDomain:
		if d, err := publicsuffix.EffectiveTLDPlusOne(hostname); err == nil {
			return d
		}
		return hostname // an IP address, localhost, or a public suffix
	case ScopeHost:
		return hostname
	}
	return ""
}

// matches applies --include and --exclude.
func (c *Crawler) matches(u string) bool {
	if len(c.cfg.Include) > 0 {
		ok := false
		for _, re := range c.cfg.Include {
			if re.MatchString(u) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, re := range c.cfg.Exclude {
		if re.MatchString(u) {
			return false
		}
	}
	return true
}

// skip counts a URL that will not be fetched, once per URL.
func (c *Crawler) skip(ctx context.Context, u string, counter *atomic.Int64) {
	var isNew [1]bool
	if err := c.skipped.Add(ctx, []string{u}, isNew[:]); err == nil && isNew[0] {
		counter.Add(1)
	}
}

// batch gathers items to push, with the robots.txt items of new hosts.
type batch struct {
	c     *Crawler
	items []frontier.Item
}

func (c *Crawler) newBatch(n int) *batch {
	return &batch{c: c, items: make([]frontier.Item, 0, n)}
}

// add queues it unless robots.txt, already known, forbids it. The first
// time a host comes up, its robots.txt goes first, unless a fresh one was
// stored; then its Crawl-delay is set before anything of it is queued.
func (b *batch) add(ctx context.Context, it frontier.Item) error {
	c := b.c
	if !c.cfg.IgnoreRobots {
		v, r, first, err := c.robots.check(ctx, it.Host, it.URL)
		if err != nil {
			return err
		}
		switch {
		case first && v == unknown:
			b.items = append(b.items, frontier.Item{
				URL: it.Host + "/robots.txt", Host: it.Host, Key: "robots " + it.Host,
				Exclusive: true, PerRun: true,
			})
		case first:
			if d := r.crawlDelay(); d > 0 {
				if err := c.front.SetDelay(ctx, it.Host, d); err != nil {
					return err
				}
			}
		}
		if v == disallowed {
			c.skip(ctx, it.URL, &c.stats.SkippedRobots)
			return nil
		}
	}
	b.items = append(b.items, it)
	return nil
}

func (b *batch) push(ctx context.Context) error {
	if _, err := b.c.front.Push(ctx, b.items); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	return nil
}

// headerNoFollow reports an X-Robots-Tag header that says nofollow for
// every crawler.
func headerNoFollow(h http.Header) bool {
	for _, v := range h.Values("X-Robots-Tag") {
		for _, d := range strings.Split(v, ",") {
			d = strings.ToLower(strings.TrimSpace(d))
			if d == "nofollow" || d == "none" {
				return true
			}
		}
	}
	return false
}
