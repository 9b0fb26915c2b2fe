package redisfrontier_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

// redisAddr is the Redis the tests use, from CRAWL_TEST_REDIS; tests that
// need one are skipped without it.
func redisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("CRAWL_TEST_REDIS")
	if addr == "" {
		t.Skip("CRAWL_TEST_REDIS is not set, skipping a test that needs Redis; run e.g. " +
			"redis-server --port 6390 --save '' --appendonly no --daemonize yes; export CRAWL_TEST_REDIS=127.0.0.1:6390")
	}
	return addr
}

// newCrawlID is a crawl id of its own for the test, so that tests sharing
// a Redis do not meet.
func newCrawlID(t testing.TB) string {
	var b [4]byte
	rand.Read(b[:])
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, t.Name())
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return "test-" + name + "-" + hex.EncodeToString(b[:])
}

// open opens a client of crawl id on the test Redis (a "process" of the
// crawl); the crawl's keys are deleted when the test ends.
func open(t testing.TB, id string, opts redisfrontier.Options) *redisfrontier.Client {
	t.Helper()
	if opts.URL == "" {
		opts.URL = "redis://" + redisAddr(t) + "/0"
	}
	opts.CrawlID = id
	c, err := redisfrontier.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.Reset(ctx); err != nil {
			t.Errorf("Reset: %v", err)
		}
		c.Close()
	})
	return c
}

func item(host, path string) frontier.Item {
	return frontier.Item{URL: host + path, Host: host, Scope: host}
}

func push(t testing.TB, f frontier.Frontier, items ...frontier.Item) int {
	t.Helper()
	n, err := f.Push(context.Background(), items)
	if err != nil {
		t.Fatalf("Push: %v", err)
	}
	return n
}

func next(t testing.TB, f frontier.Frontier) *frontier.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := f.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return l
}

func done(t testing.TB, f frontier.Frontier, l *frontier.Lease) {
	t.Helper()
	ctx := context.Background()
	if err := f.Release(ctx, l, true); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
		t.Fatalf("Complete: %v", err)
	}
}

type result struct {
	l   *frontier.Lease
	err error
}

// pending runs Next in the background.
func pending(t testing.TB, f frontier.Frontier) <-chan result {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := make(chan result, 1)
	go func() {
		l, err := f.Next(ctx)
		c <- result{l, err}
	}()
	return c
}

// quiet checks that a pending Next does not return within d.
func quiet(t testing.TB, c <-chan result, d time.Duration) {
	t.Helper()
	select {
	case r := <-c:
		t.Fatalf("Next returned %v, %v; want it to wait", url(r.l), r.err)
	case <-time.After(d):
	}
}

func receive(t testing.TB, c <-chan result) result {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("Next did not return")
		return result{}
	}
}

func url(l *frontier.Lease) string {
	if l == nil {
		return "<nil>"
	}
	return l.URL
}
