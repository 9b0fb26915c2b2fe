package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/crawlhq/crawl/internal/extract"
	"github.com/crawlhq/crawl/internal/fetch"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
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
		v, r, _, err := c.robots.check(ctx, l.Host, l.URL)
		if err == nil && v == unknown && c.cfg.Robots != nil {
			if err = c.robots.reload(ctx, l.Host); err == nil {
				v, r, _, err = c.robots.check(ctx, l.Host, l.URL)
			}
		}
		if err != nil {
			return false, err
		}
		switch v {
		case disallowed:
			c.skip(ctx, l.URL, &c.stats.SkippedRobots)
			return c.finish(ctx, l, false, nil)
		case unreachable:
			l.Result = frontier.Result{Failed: true}
			return c.finish(ctx, l, false, &Record{
				URL: l.URL, Depth: int(l.Depth), Parent: l.Parent, FetchedAt: time.Now(),
				Attempts: int(r.attempts), Error: r.failure,
			})
		}
	}
	l.Attempts++
	cond := fetch.Conditional{ETag: l.Prev.ETag, LastModified: l.Prev.LastModified}
	resp := c.fetcher.Get(ctx, l.URL, cond, extract.IsHTML)
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
	return c.finish(ctx, l, true, rec)
}

// finish ends a lease whose work is over: it releases the host, then
// hands the record (if any) to the output, which completes the lease once
// the record is written, or completes it at once. It reports whether a
// record is written.
func (c *Crawler) finish(ctx context.Context, l *frontier.Lease, fetched bool, rec *Record) (bool, error) {
	if err := c.front.Release(ctx, l, fetched); err != nil {
		return false, err
	}
	if rec != nil && c.cfg.OnlyChanged && rec.Changed != nil && !*rec.Changed {
		c.stats.Unchanged.Add(1)
		rec = nil
	}
	if rec == nil {
		return false, c.front.Complete(ctx, []*frontier.Lease{l})
	}
	l.Result.Recorded = true
	c.stats.count(rec)
	c.out.in <- entry{rec, l}
	return true, nil
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
	c.result(l, rec, resp)
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

// result fills in what the lease's fetch found, for frontiers that keep
// it, and whether the page changed since the last fetch (new, or another
// body; not a 304, not the same body).
func (c *Crawler) result(l *frontier.Lease, rec *Record, resp *fetch.Response) {
	res := frontier.Result{Status: resp.Status, Failed: resp.Err != nil}
	switch {
	case resp.Status == http.StatusNotModified:
		res.Validators = l.Prev
	case resp.Err == nil:
		res.ETag = resp.Header.Get("ETag")
		res.LastModified = resp.Header.Get("Last-Modified")
		res.Hash = resp.Hash
	}
	res.FetchedAt = resp.Start
	l.Result = res
	if !c.cfg.TrackChanges {
		return
	}
	var changed bool
	switch {
	case !l.Prev.Known():
		changed = true
	case resp.Err != nil:
		return // no body to compare: the record says nothing
	case resp.Status == http.StatusNotModified:
		changed = false
	default:
		changed = resp.Hash != l.Prev.Hash
	}
	rec.Changed = &changed
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
		resp.Release()
		return c.front.Retry(ctx, l, time.Now().Add(wait))
	}
	rules := rulesFor(resp, c.agent, l.Attempts)
	if c.cfg.Robots != nil {
		saved := store.Robots{Status: resp.Status, Body: resp.Body, Failure: rules.failure,
			Attempts: int(l.Attempts), FetchedAt: resp.Start}
		if err := c.cfg.Robots.SaveRobots(ctx, l.Host, saved); err != nil {
			return fmt.Errorf("%w: %w", ErrState, err)
		}
	}
	resp.Release()
	switch {
	case rules.failure != "":
		c.cfg.Log.Warn("robots.txt unreachable: the host's URLs are recorded as failed", "host", l.Host,
			"error", rules.failure)
	case resp.Status >= 500:
		c.cfg.Log.Warn("robots.txt failed: not crawling the host", "host", l.Host, "status", resp.Status)
	}
	if err := c.robots.set(ctx, l.Host, rules); err != nil {
		return err
	}
	if d := rules.crawlDelay(); d > 0 {
		if err := c.front.SetDelay(ctx, l.Host, d); err != nil {
			return err
		}
	}
	_, err := c.finish(ctx, l, true, nil)
	return err
}
