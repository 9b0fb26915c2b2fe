// Package frontiertest is the conformance suite every frontier
// implementation runs: call Run from the implementation's own tests.
package frontiertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
)

// Open makes an empty frontier with cfg for one subtest.
type Open func(t *testing.T, cfg frontier.Config) frontier.Frontier

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Run checks the frontier contract on frontiers made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"DedupAndOrder", testDedupAndOrder},
		{"DrainedWhenEmpty", testDrained},
		{"DrainWaitsForLeases", testDrainWaitsForLeases},
		{"DrainWaitsForComplete", testDrainWaitsForComplete},
		{"PerHostLimit", testPerHost},
		{"RateSpacing", testRate},
		{"UnfetchedGivesSlotBack", testRefund},
		{"RetryGoesFirstNotBefore", testRetry},
		{"CrawlDelaySlowsNeverSpeeds", testDelay},
		{"ExclusiveHoldsHost", testExclusive},
		{"SlowHostDoesNotStallOthers", testOtherHosts},
		{"CancelledContext", testCancel},
		{"ConcurrentExactlyOnce", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

func item(host string, path string) frontier.Item {
	return frontier.Item{URL: host + path, Host: host}
}

func push(t *testing.T, f frontier.Frontier, items ...frontier.Item) int {
	t.Helper()
	n, err := f.Push(context.Background(), items)
	if err != nil {
		t.Fatalf("Push: %v", err)
	}
	return n
}

// next leases an item that must be ready now.
func next(t *testing.T, f frontier.Frontier) *frontier.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := f.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return l
}

// done releases a lease and completes it, as the engine does once the
// lease's record is written.
func done(t *testing.T, f frontier.Frontier, l *frontier.Lease, fetched bool) {
	t.Helper()
	if err := f.Release(context.Background(), l, fetched); err != nil {
		t.Fatalf("Release: %v", err)
	}
	l.Result = frontier.Result{Status: 200, Recorded: fetched}
	if err := f.Complete(context.Background(), []*frontier.Lease{l}); err != nil {
		t.Fatalf("Complete: %v", err)
	}
}

// pending starts Next in the background; the result arrives on the channel.
type result struct {
	l   *frontier.Lease
	err error
}

func pending(f frontier.Frontier) (<-chan result, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	c := make(chan result, 1)
	go func() {
		l, err := f.Next(ctx)
		c <- result{l, err}
	}()
	return c, cancel
}

// blocked checks that a pending Next has not returned once it has gone
// to sleep on the fake clock (or after a short grace when it sleeps
// without a timer).
func blocked(t *testing.T, c <-chan result, clk *clock.Fake, timerMade <-chan struct{}) {
	t.Helper()
	select {
	case r := <-c:
		t.Fatalf("Next returned %v, %v; want it to block", lease(r.l), r.err)
	case <-timerMade:
	case <-time.After(50 * time.Millisecond):
	}
	select {
	case r := <-c:
		t.Fatalf("Next returned %v, %v; want it to block", lease(r.l), r.err)
	default:
	}
}

func receive(t *testing.T, c <-chan result) result {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("Next did not return")
		return result{}
	}
}

func lease(l *frontier.Lease) string {
	if l == nil {
		return "<nil>"
	}
	return l.URL
}

func testDedupAndOrder(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 10})
	a := "http://a"
	if n := push(t, f, item(a, "/1"), item(a, "/2"), item(a, "/1")); n != 2 {
		t.Fatalf("Push added %d, want 2", n)
	}
	if n := push(t, f, item(a, "/2"), item(a, "/3")); n != 1 {
		t.Fatalf("second Push added %d, want 1", n)
	}
	other := frontier.Item{URL: a + "/1", Host: a, Key: "other-key"}
	if n := push(t, f, other); n != 1 {
		t.Fatalf("Push with a distinct Key added %d, want 1", n)
	}
	var got []string
	for range 4 {
		l := next(t, f)
		got = append(got, l.URL)
		done(t, f, l, true)
	}
	if want := "[http://a/1 http://a/2 http://a/3 http://a/1]"; fmt.Sprint(got) != want {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func testDrained(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 1})
	if _, err := f.Next(context.Background()); !errors.Is(err, frontier.ErrDrained) {
		t.Fatalf("Next on empty frontier: %v, want ErrDrained", err)
	}
	push(t, f, item("http://a", "/"))
	done(t, f, next(t, f), true)
	if _, err := f.Next(context.Background()); !errors.Is(err, frontier.ErrDrained) {
		t.Fatalf("Next after all done: %v, want ErrDrained", err)
	}
}

func testDrainWaitsForLeases(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/"))
	l := next(t, f)
	c1, cancel1 := pending(f)
	defer cancel1()
	c2, cancel2 := pending(f)
	defer cancel2()
	blocked(t, c1, nil, nil)
	push(t, f, item("http://a", "/child"))
	done(t, f, l, true)
	// One waiter gets the child; the other must learn, once the child is
	// done, that the frontier has drained.
	var r result
	other := c2
	select {
	case r = <-c1:
	case r = <-c2:
		other = c1
	case <-time.After(5 * time.Second):
		t.Fatal("no waiter got the child")
	}
	if r.err != nil || r.l.URL != "http://a/child" {
		t.Fatalf("Next = %v, %v; want http://a/child", lease(r.l), r.err)
	}
	blocked(t, other, nil, nil)
	done(t, f, r.l, true)
	if r := receive(t, other); !errors.Is(r.err, frontier.ErrDrained) {
		t.Fatalf("waiter got %v, %v; want ErrDrained", lease(r.l), r.err)
	}
}

func testDrainWaitsForComplete(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/"))
	l := next(t, f)
	if err := f.Release(context.Background(), l, true); err != nil {
		t.Fatal(err)
	}
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, nil, nil) // released but not complete: not drained
	l.Result = frontier.Result{Status: 200, Recorded: true}
	if err := f.Complete(context.Background(), []*frontier.Lease{l}); err != nil {
		t.Fatal(err)
	}
	if r := receive(t, c); !errors.Is(r.err, frontier.ErrDrained) {
		t.Fatalf("after Complete: %v, %v; want ErrDrained", lease(r.l), r.err)
	}
}

func testPerHost(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 2})
	for i := range 5 {
		push(t, f, item("http://a", fmt.Sprintf("/%d", i)))
	}
	l1, l2 := next(t, f), next(t, f)
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, nil, nil)
	done(t, f, l1, true)
	r := receive(t, c)
	if r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("Next after Done = %v, %v; want http://a/2", lease(r.l), r.err)
	}
	done(t, f, l2, true)
	done(t, f, r.l, true)
}

func testRate(t *testing.T, open Open) {
	clk := clock.NewFake(epoch)
	f := open(t, frontier.Config{PerHost: 5, Rate: 2, Clock: clk})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"))
	done(t, f, next(t, f), true)
	made := clk.TimerMade()
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, clk, made)
	clk.Advance(499 * time.Millisecond)
	blocked(t, c, clk, nil)
	clk.Advance(time.Millisecond)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("Next after 500ms = %v, %v", lease(r.l), r.err)
	}
}

func testRefund(t *testing.T, open Open) {
	clk := clock.NewFake(epoch)
	f := open(t, frontier.Config{PerHost: 5, Rate: 1, Clock: clk})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"), item("http://a", "/3"))
	done(t, f, next(t, f), false) // no request made: slot given back
	l := next(t, f)               // ready at once
	if l.URL != "http://a/2" {
		t.Fatalf("got %s, want http://a/2", l.URL)
	}
	done(t, f, l, true)
	made := clk.TimerMade()
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, clk, made)
	clk.Advance(time.Second)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/3" {
		t.Fatalf("Next = %v, %v", lease(r.l), r.err)
	}
}

func testRetry(t *testing.T, open Open) {
	clk := clock.NewFake(epoch)
	f := open(t, frontier.Config{PerHost: 5, Clock: clk})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"), item("http://b", "/1"))
	l := next(t, f)
	if l.URL != "http://a/1" {
		// order across hosts is free; find a/1
		done(t, f, l, true)
		l = next(t, f)
	}
	l.Attempts++
	if err := f.Retry(context.Background(), l, epoch.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	for {
		l := next(t, f)
		if l.Host == "http://a" {
			t.Fatalf("host a handed out %s before the retry time", l.URL)
		}
		done(t, f, l, true)
		if l.URL == "http://b/1" {
			break
		}
	}
	made := clk.TimerMade()
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, clk, made)
	clk.Advance(3 * time.Second)
	r := receive(t, c)
	if r.err != nil || r.l.URL != "http://a/1" || r.l.Attempts != 1 {
		t.Fatalf("after retry time Next = %v (attempts %d), %v; want http://a/1 with attempts 1", lease(r.l), r.l.Attempts, r.err)
	}
}

func testDelay(t *testing.T, open Open) {
	clk := clock.NewFake(epoch)
	f := open(t, frontier.Config{PerHost: 5, Rate: 2, Clock: clk})
	ctx := context.Background()
	if err := f.SetDelay(ctx, "http://a", 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := f.SetDelay(ctx, "http://b", 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	push(t, f, item("http://a", "/1"), item("http://a", "/2"), item("http://b", "/1"), item("http://b", "/2"))
	done(t, f, next(t, f), true)
	done(t, f, next(t, f), true) // one of each host
	clk.Advance(500 * time.Millisecond)
	if l := next(t, f); l.URL != "http://b/2" {
		t.Fatalf("at 500ms got %s, want http://b/2 (rate, not the shorter Crawl-delay)", l.URL)
	} else {
		done(t, f, l, true)
	}
	made := clk.TimerMade()
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, clk, made)
	clk.Advance(1499 * time.Millisecond)
	blocked(t, c, clk, nil)
	clk.Advance(time.Millisecond)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("at 2s Next = %v, %v; want http://a/2", lease(r.l), r.err)
	}
}

func testExclusive(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 4})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"))
	l1 := next(t, f)
	robots := frontier.Item{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a", Exclusive: true}
	push(t, f, robots)
	// a/2 is behind the exclusive item, which waits for a/1 to finish.
	c, cancel := pending(f)
	defer cancel()
	blocked(t, c, nil, nil)
	done(t, f, l1, true)
	r := receive(t, c)
	if r.err != nil || !r.l.Exclusive {
		t.Fatalf("Next = %v, %v; want the exclusive item", lease(r.l), r.err)
	}
	c2, cancel2 := pending(f)
	defer cancel2()
	blocked(t, c2, nil, nil)
	done(t, f, r.l, true)
	if r := receive(t, c2); r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("after exclusive Done, Next = %v, %v", lease(r.l), r.err)
	}
}

func testOtherHosts(t *testing.T, open Open) {
	clk := clock.NewFake(epoch)
	f := open(t, frontier.Config{PerHost: 1, Rate: 0.1, Clock: clk})
	push(t, f, item("http://slow", "/1"), item("http://slow", "/2"))
	done(t, f, next(t, f), true)
	push(t, f, item("http://fast", "/1"))
	if l := next(t, f); l.URL != "http://fast/1" {
		t.Fatalf("got %s, want http://fast/1 while http://slow waits", l.URL)
	}
}

func testCancel(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"))
	next(t, f)
	c, cancel := pending(f)
	blocked(t, c, nil, nil)
	cancel()
	if r := receive(t, c); !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Next after cancel = %v, %v; want context.Canceled", lease(r.l), r.err)
	}
}

func testConcurrent(t *testing.T, open Open) {
	f := open(t, frontier.Config{PerHost: 3})
	const hosts, perHost, workers = 7, 60, 8
	for h := range hosts {
		var batch []frontier.Item
		for i := range perHost {
			batch = append(batch, item(fmt.Sprintf("http://h%d", h), fmt.Sprintf("/%d", i)))
		}
		push(t, f, batch...)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	inflight := map[string]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				l, err := f.Next(context.Background())
				if errors.Is(err, frontier.ErrDrained) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[l.URL]++
				inflight[l.Host]++
				if inflight[l.Host] > 3 {
					t.Errorf("%d leases out for %s, limit 3", inflight[l.Host], l.Host)
				}
				mu.Unlock()
				// children pushed before Done keep the frontier from draining
				if l.Depth == 0 {
					child := frontier.Item{URL: l.URL + "/c", Host: l.Host, Depth: 1}
					if _, err := f.Push(context.Background(), []frontier.Item{child}); err != nil {
						t.Error(err)
					}
				}
				mu.Lock()
				inflight[l.Host]--
				mu.Unlock()
				if err := f.Release(context.Background(), l, true); err != nil {
					t.Error(err)
				}
				if err := f.Complete(context.Background(), []*frontier.Lease{l}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 2*hosts*perHost {
		t.Fatalf("%d distinct items handed out, want %d", len(seen), 2*hosts*perHost)
	}
	for u, n := range seen {
		if n != 1 {
			t.Fatalf("%s handed out %d times", u, n)
		}
	}
}
