package redisfrontier_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

// TestLeaseExpires: a process that dies holding a lease (it never
// completes) loses it after LeaseTTL to another process, which gets the
// item again with the host's in-flight budget back.
func TestLeaseExpires(t *testing.T) {
	redisAddr(t)
	clk := clock.NewFake(epoch)
	fs := processes(t, 2, redisfrontier.Options{LeaseTTL: 10 * time.Second}, frontier.Config{PerHost: 1, Clock: clk})
	a, b := fs[0], fs[1]
	push(t, a, item("http://a", "/1"), item("http://a", "/2"))
	la := next(t, a) // a "dies" holding a/1
	made := clk.TimerMade()
	c := pending(t, b)
	<-made
	clk.Advance(9 * time.Second)
	quiet(t, c, 50*time.Millisecond)
	clk.Advance(time.Second)
	r := receive(t, c)
	if r.err != nil || r.l.URL != la.URL {
		t.Fatalf("after the TTL b got %v, %v; want %s back first", url(r.l), r.err, la.URL)
	}
	// a comes back to life and completes: too late, and harmless.
	done(t, a, la)
	if a.Lost() != 1 {
		t.Fatalf("a.Lost() = %d, want 1", a.Lost())
	}
	c = pending(t, b)
	quiet(t, c, 50*time.Millisecond) // per-host 1: b's lease still holds the host
	done(t, b, r.l)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("then b got %v, %v; want http://a/2", url(r.l), r.err)
	}
}

func TestRenewKeepsLease(t *testing.T) {
	redisAddr(t)
	clk := clock.NewFake(epoch)
	fs := processes(t, 2, redisfrontier.Options{LeaseTTL: 3 * time.Second}, frontier.Config{PerHost: 1, Clock: clk})
	a, b := fs[0], fs[1]
	push(t, a, item("http://a", "/1"))
	la := next(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error)
	made := clk.TimerMade()
	go func() { stopped <- a.KeepAlive(ctx) }()
	for range 5 { // renewals every second, for five
		<-made
		made = clk.TimerMade()
		clk.Advance(time.Second)
	}
	<-made
	cancel()
	if err := <-stopped; err != nil {
		t.Fatalf("KeepAlive: %v", err)
	}
	made = clk.TimerMade()
	c := pending(t, b)
	<-made
	quiet(t, c, 100*time.Millisecond) // five seconds on, a's lease holds
	done(t, a, la)
	clk.Advance(time.Second) // b polls: processes see each other's changes at the next poll
	if r := receive(t, c); !errors.Is(r.err, frontier.ErrDrained) {
		t.Fatalf("b: %v, %v; want ErrDrained", url(r.l), r.err)
	}
	if a.Lost() != 0 {
		t.Fatalf("a lost %d leases", a.Lost())
	}
}

func TestAbandonGivesBack(t *testing.T) {
	redisAddr(t)
	fs := processes(t, 2, redisfrontier.Options{}, frontier.Config{PerHost: 2})
	a, b := fs[0], fs[1]
	push(t, a, item("http://a", "/1"), item("http://a", "/2"), item("http://a", "/3"))
	next(t, a)
	next(t, a)
	if err := a.Abandon(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 3 {
		l := next(t, b)
		got = append(got, l.URL)
		done(t, b, l)
	}
	if got[2] != "http://a/3" {
		t.Fatalf("order after Abandon %v: given-back items go first", got)
	}
	if _, err := a.Next(context.Background()); !errors.Is(err, frontier.ErrDrained) {
		t.Fatalf("a: %v, want ErrDrained", err)
	}
}

func TestStateLost(t *testing.T) {
	redisAddr(t)
	id := newCrawlID(t)
	c := open(t, id, redisfrontier.Options{})
	f := c.Frontier(frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"))
	next(t, f)
	if err := c.Reset(context.Background()); err != nil { // as a Redis restarted without persistence
		t.Fatal(err)
	}
	if _, err := f.Next(context.Background()); !errors.Is(err, redisfrontier.ErrStateLost) {
		t.Fatalf("Next after the state vanished: %v, want ErrStateLost", err)
	}
}

func TestPerRunComesBackAfterDrain(t *testing.T) {
	redisAddr(t)
	f := open(t, newCrawlID(t), redisfrontier.Options{}).Frontier(frontier.Config{PerHost: 1})
	robots := frontier.Item{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a", Exclusive: true, PerRun: true}
	push(t, f, robots, item("http://a", "/"))
	if n := push(t, f, robots); n != 0 {
		t.Fatalf("robots.txt pushed twice in a run: added %d", n)
	}
	done(t, f, next(t, f))
	done(t, f, next(t, f))
	if _, err := f.Next(context.Background()); !errors.Is(err, frontier.ErrDrained) {
		t.Fatal(err)
	}
	if n := push(t, f, robots, item("http://a", "/")); n != 1 {
		t.Fatalf("after the run drained, push added %d, want 1 (robots.txt again, the page not)", n)
	}
}
