package pebblestore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

func TestRecrawl(t *testing.T) {
	clk := fakeClock()
	dir := t.TempDir()
	opts := Options{Clock: clk, RecrawlAfter: 24 * time.Hour}
	db, f := open(t, dir, opts)
	a := "http://a"
	mustPush(t, f, items(a, "/old", "/failed", "/fresh", "/skipped")...)
	v1 := frontier.Validators{ETag: `"v1"`, LastModified: "Thu, 01 Jan 2026 00:00:00 GMT", Hash: 42, FetchedAt: epoch}
	results := map[string]frontier.Result{
		a + "/old":     {Validators: v1, Status: 200, Recorded: true},
		a + "/failed":  {Failed: true, Recorded: true},
		a + "/fresh":   {Validators: frontier.Validators{ETag: `"f"`, FetchedAt: epoch.Add(20 * time.Hour)}, Status: 200, Recorded: true},
		a + "/skipped": {},
	}
	for range results {
		l := mustNext(t, f)
		finish(t, f, l, results[l.URL])
	}
	// Within the run that fetched them, nothing is due.
	if n := mustPush(t, f, items(a, "/old", "/failed")...); n != 0 {
		t.Fatalf("Push in the same run added %d", n)
	}
	db.Close()

	clk.Advance(25 * time.Hour)
	_, f = open(t, dir, opts)
	got := map[string]frontier.Validators{}
	for range 2 {
		l := mustNext(t, f)
		got[l.URL] = l.Prev
		if n := mustPush(t, f, items(a, "/old", "/failed", "/fresh", "/skipped")...); n != 0 {
			t.Fatalf("Push of stale URLs found as links added %d", n)
		}
		finish(t, f, l, frontier.Result{Validators: frontier.Validators{ETag: `"v2"`, FetchedAt: clk.Now()}, Status: 200, Recorded: true})
	}
	if !sameValidators(got[a+"/old"], v1) || len(got) != 2 || !got[a+"/failed"].FetchedAt.IsZero() {
		t.Fatalf("requeued %v; want /old with Prev %v and /failed", got, v1)
	}
	if rest := drain(t, f); len(rest) != 0 {
		t.Fatalf("also handed out %v", rest)
	}
	// /fresh grows stale during the run: a link to it queues it, once.
	clk.Advance(20 * time.Hour)
	if n := mustPush(t, f, items(a, "/fresh", "/fresh", "/old")...); n != 1 {
		t.Fatalf("Push of a URL gone stale in the run added %d, want 1", n)
	}
	l := mustNext(t, f)
	if l.URL != a+"/fresh" || l.Prev.ETag != `"f"` {
		t.Fatalf("got %s with Prev %+v", l.URL, l.Prev)
	}
}

func TestNoRecrawlByDefault(t *testing.T) {
	clk := fakeClock()
	dir := t.TempDir()
	db, f := open(t, dir, Options{Clock: clk})
	mustPush(t, f, items("http://a", "/1")...)
	finish(t, f, mustNext(t, f), frontier.Result{Validators: frontier.Validators{FetchedAt: epoch}, Status: 200, Recorded: true})
	db.Close()
	clk.Advance(1000 * time.Hour)
	_, f = open(t, dir, Options{Clock: clk})
	if n := mustPush(t, f, items("http://a", "/1")...); n != 0 {
		t.Fatalf("Push added %d", n)
	}
	if _, err := f.Next(context.Background()); err != frontier.ErrDrained {
		t.Fatalf("Next: %v, want ErrDrained", err)
	}
}

// TestCrawlDelaySurvives checks that a host's Crawl-delay spaces its
// fetches in a later run too.
func TestCrawlDelaySurvives(t *testing.T) {
	clk := fakeClock()
	dir := t.TempDir()
	db, f := open(t, dir, Options{Clock: clk})
	if err := f.SetDelay(context.Background(), "http://a", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	mustPush(t, f, items("http://a", "/1", "/2")...)
	db.Close()
	_, f = open(t, dir, Options{Clock: clk})
	finish(t, f, mustNext(t, f), ok200)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	made := clk.TimerMade()
	c := make(chan string, 1)
	go func() {
		l, err := f.Next(ctx)
		if err == nil {
			c <- l.URL
		}
	}()
	<-made
	clk.Advance(9 * time.Second)
	select {
	case u := <-c:
		t.Fatalf("%s handed out 9s after the last fetch, Crawl-delay 10s", u)
	case <-time.After(20 * time.Millisecond):
	}
	clk.Advance(time.Second)
	select {
	case u := <-c:
		if !slices.Contains([]string{"http://a/2"}, u) {
			t.Fatalf("got %s", u)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing after the Crawl-delay")
	}
}

func sameValidators(a, b frontier.Validators) bool {
	return a.ETag == b.ETag && a.LastModified == b.LastModified && a.Hash == b.Hash && a.FetchedAt.Equal(b.FetchedAt)
}

// TestResumeWithRecrawl checks that resuming soon after a stop, with
// RecrawlAfter set, repeats no URL: failed and skipped ones included.
func TestResumeWithRecrawl(t *testing.T) {
	clk := fakeClock()
	dir := t.TempDir()
	opts := Options{Clock: clk, RecrawlAfter: 24 * time.Hour}
	db, f := open(t, dir, opts)
	mustPush(t, f, items("http://a", "/done", "/failed", "/skipped", "/left")...)
	for _, r := range []frontier.Result{ok200, {Failed: true, Recorded: true}, {}} {
		finish(t, f, mustNext(t, f), r)
	}
	db.Close()
	clk.Advance(time.Hour)
	_, f = open(t, dir, opts)
	if got := drain(t, f); !slices.Equal(got, []string{"http://a/left"}) {
		t.Fatalf("resumed crawl handed out %v, want only http://a/left", got)
	}
}
