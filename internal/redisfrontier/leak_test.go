package redisfrontier_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

// TestCloseLeavesNoGoroutine: the engine proves that no goroutine
// outlives a crawl; a closed Client must leave none behind.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	addr := redisAddr(t)
	before := goleak.IgnoreCurrent()
	c, err := redisfrontier.Open(context.Background(), redisfrontier.Options{URL: "redis://" + addr + "/0", CrawlID: newCrawlID(t)})
	if err != nil {
		t.Fatal(err)
	}
	f := c.Frontier(frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/"))
	done(t, f, next(t, f))
	if err := c.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, before)
}
