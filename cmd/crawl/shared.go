package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"time"

	"github.com/crawlhq/crawl/internal/crawler"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

var crawlIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// checkShared checks --frontier and --crawl-id before anything runs.
func (o *options) checkShared() error {
	if o.frontierURL != "" {
		u, err := url.Parse(o.frontierURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return usagef("invalid value %q for --frontier: want redis://HOST:PORT/DB", o.frontierURL)
		}
	}
	if o.crawlID != "" && !crawlIDPattern.MatchString(o.crawlID) {
		return usagef("invalid value %q for --crawl-id: want 1 to 64 letters, digits, '.', '_' or '-'", o.crawlID)
	}
	if o.leaseTTL < 0 {
		return usagef("invalid value %s for --lease-ttl: must be more than 0", o.leaseTTL)
	}
	return nil
}

// openShared joins the crawl in Redis named by --frontier and --crawl-id
// (by default derived from the seeds) and wires it into cfg. The function
// it returns gives back this process's unfinished leases and disconnects.
func openShared(ctx context.Context, o *options, cfg *crawler.Config, seeds []string, log *slog.Logger) (func(), error) {
	id := o.crawlID
	if id == "" {
		id = redisfrontier.CrawlID(seeds)
	}
	client, err := redisfrontier.Open(ctx, redisfrontier.Options{
		URL: o.frontierURL, CrawlID: id, LeaseTTL: time.Duration(o.leaseTTL), Log: log,
	})
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	f := client.Frontier(frontier.Config{PerHost: o.perHost, Rate: o.rate})
	cfg.Frontier = f
	cfg.Robots = client
	log.Info("joined shared crawl", "frontier", client.Addr(), "crawl_id", id)
	return func() {
		_ = f.Abandon(context.WithoutCancel(ctx))
		_ = client.Close()
	}, nil
}
