package crawler

import (
	"context"
	"net/url"
	"time"

	"github.com/crawlhq/crawl/internal/extract"
	"github.com/crawlhq/crawl/internal/fetch"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/urlnorm"
)

// maxHops is how many redirects in a row are followed.
const maxHops = 10

// handle does one lease's work: robots.txt, or one attempt at a page. It
// reports whether a record was written for it. An error means the crawl
// cannot go on (the frontier failed, or ctx ended).
func (c *Crawler) handle(ctx context.Context, l *frontier.Lease) (bool, error) {
	if l.Exclusive {
		return false, c.handleRobots(ctx, l)
	}
	if !c.cfg.IgnoreRobots {
		switch v, r, _ := c.robots.check(l.Host, l.URL); v {
		case disallowed:
			c.skip(ctx, l.URL, &c.stats.SkippedRobots)
			return false, c.front.Done(ctx, l, false)
		case unreachable:
			return true, c.unreachable(ctx, l, r)
		}
	}
	l.Attempts++
	resp := c.fetcher.Get(ctx, l.URL, extract.IsHTML)
	if ctx.Err() != nil {
		return false, ctx.Err() // in flight when the crawl stopped: no record
	}
	if wait, again := c.cfg.Retry.Next(int(l.Attempts), resp, time.Now()); again {
		c.cfg.Log.Debug("retrying", "url", l.URL, "attempt", l.Attempts, "status", resp.Status,
			"error", fetch.Message(resp.Err), "wait", wait)
		resp.Release()
		return false, c.front.Retry(ctx, l, time.Now().Add(wait))
	}
	rec, follow := c.record(l, resp)
	resp.Release()
	if err := c.pushLinks(ctx, l, follow); err != nil {
		return false, err
	}
	if err := c.front.Done(ctx, l, true); err != nil {
		return false, err
	}
	c.emit(rec)
	return true, nil
}

// unreachable records a URL of a host that did not answer its robots.txt:
// it is not requested, and its record carries the robots.txt error.
func (c *Crawler) unreachable(ctx context.Context, l *frontier.Lease, r *hostRules) error {
	if err := c.front.Done(ctx, l, false); err != nil {
		return err
	}
	c.emit(&Record{
		URL: l.URL, Depth: int(l.Depth), Parent: l.Parent, FetchedAt: time.Now(),
		Attempts: int(r.attempts), Error: r.failure,
	})
	return nil
}

// emit hands a finished record to the output.
func (c *Crawler) emit(rec *Record) {
	c.stats.count(rec)
	c.out.in <- rec
}

// record turns a page's last attempt into its record, and returns the
// links to follow from it.
func (c *Crawler) record(l *frontier.Lease, resp *fetch.Response) (*Record, []link) {
	rec := &Record{
		URL:         l.URL,
		Depth:       int(l.Depth),
		Parent:      l.Parent,
		Status:      resp.Status,
		ContentType: resp.ContentType,
		Size:        resp.Size,
		Truncated:   resp.Truncated,
		FetchedAt:   resp.Start,
		Duration:    resp.Duration,
		Attempts:    int(l.Attempts),
		Error:       fetch.Message(resp.Err),
		responded:   resp.Status != 0,
	}
	if resp.Err != nil {
		return rec, nil
	}
	base, err := url.Parse(l.URL)
	if err != nil {
		return rec, nil
	}
	if resp.Status >= 300 && resp.Status < 400 {
		return rec, c.redirect(rec, l, base, resp)
	}
	if resp.Status < 200 || resp.Status >= 300 || !extract.IsHTML(resp.ContentType) {
		return rec, nil
	}
	page := extract.HTML(resp.Body, resp.ContentType, base)
	rec.Title = page.Title
	rec.Links = make([]string, len(page.Links))
	follow := make([]link, 0, len(page.Links))
	nofollowAll := !c.cfg.IgnoreRobots && (page.NoFollow || headerNoFollow(resp.Header))
	for i, pl := range page.Links {
		rec.Links[i] = pl.URL
		nofollow := !c.cfg.IgnoreRobots && (nofollowAll || pl.NoFollow)
		follow = append(follow, link{url: pl.URL, depth: l.Depth + 1, nofollow: nofollow})
	}
	return rec, follow
}

// redirect fills in a 3xx record's target and returns it as the link to
// follow, at the same depth.
func (c *Crawler) redirect(rec *Record, l *frontier.Lease, base *url.URL, resp *fetch.Response) []link {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil
	}
	target, ok := urlnorm.Resolve(base, loc)
	if !ok {
		return nil
	}
	rec.Redirect = target
	if l.Hops >= maxHops {
		rec.Error = "too many redirects"
		return nil
	}
	return []link{{url: target, depth: l.Depth, hops: l.Hops + 1, redirect: true}}
}

// handleRobots fetches a host's robots.txt and makes its rules known.
func (c *Crawler) handleRobots(ctx context.Context, l *frontier.Lease) error {
	l.Attempts++
	resp := c.fetcher.Robots(ctx, l.Host)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if wait, again := c.cfg.Retry.Next(int(l.Attempts), resp, time.Now()); again {
		return c.front.Retry(ctx, l, time.Now().Add(wait))
	}
	rules := rulesFor(resp, c.agent, l.Attempts)
	resp.Release()
	switch {
	case rules.failure != "":
		c.cfg.Log.Warn("robots.txt unreachable: the host's URLs are recorded as failed", "host", l.Host,
			"error", rules.failure)
	case resp.Status >= 500:
		c.cfg.Log.Warn("robots.txt failed: not crawling the host", "host", l.Host, "status", resp.Status)
	}
	c.robots.set(l.Host, rules)
	if d := rules.crawlDelay(); d > 0 {
		if err := c.front.SetDelay(ctx, l.Host, d); err != nil {
			return err
		}
	}
	return c.front.Done(ctx, l, true)
}
