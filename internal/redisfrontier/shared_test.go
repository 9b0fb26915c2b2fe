package redisfrontier_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// processes opens n clients of one crawl, as n processes would, and
// returns a frontier of each.
func processes(t *testing.T, n int, opts redisfrontier.Options, cfg frontier.Config) []*redisfrontier.Frontier {
	id := newCrawlID(t)
	fs := make([]*redisfrontier.Frontier, n)
	for i := range fs {
		fs[i] = open(t, id, opts).Frontier(cfg)
	}
	return fs
}

func TestSharedPushQueuesEachKeyOnce(t *testing.T) {
	redisAddr(t)
	id := newCrawlID(t)
	cs := []*redisfrontier.Client{open(t, id, redisfrontier.Options{}), open(t, id, redisfrontier.Options{}), open(t, id, redisfrontier.Options{})}
	fs := []*redisfrontier.Frontier{cs[0].Frontier(frontier.Config{}), cs[1].Frontier(frontier.Config{}), cs[2].Frontier(frontier.Config{})}
	const keys = 3000
	var wg sync.WaitGroup
	added := make([]int, len(fs))
	for p, f := range fs {
		wg.Go(func() {
			for i := 0; i < keys; i += 10 {
				batch := make([]frontier.Item, 0, 10)
				for j := i; j < i+10; j++ {
					batch = append(batch, item(fmt.Sprintf("http://h%d", j%13), fmt.Sprintf("/%d", j)))
				}
				n, err := f.Push(context.Background(), batch)
				if err != nil {
					t.Error(err)
					return
				}
				added[p] += n
			}
		})
	}
	wg.Wait()
	if total := added[0] + added[1] + added[2]; total != keys {
		t.Fatalf("processes added %v, %d in all; want %d", added, total, keys)
	}
	st, err := cs[1].Stats(context.Background())
	if want := (redisfrontier.Stats{Known: keys, Queued: keys, Hosts: 13}); err != nil || st != want {
		t.Fatalf("Stats = %+v, %v; want %+v", st, err, want)
	}
}

// TestSharedExactlyOnce crawls a synthetic site with several processes
// at once: each item goes out once, and no host ever has more than
// PerHost leases out across processes.
func TestSharedExactlyOnce(t *testing.T) {
	redisAddr(t)
	const perHost = 2
	fs := processes(t, 3, redisfrontier.Options{}, frontier.Config{PerHost: perHost})
	const hosts, pages = 5, 40
	for h := range hosts {
		var batch []frontier.Item
		for i := range pages {
			batch = append(batch, item(fmt.Sprintf("http://h%d", h), fmt.Sprintf("/%d", i)))
		}
		push(t, fs[h%len(fs)], batch...)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	inflight := map[string]int{}
	var wg sync.WaitGroup
	for _, f := range fs {
		for range 4 {
			wg.Go(func() {
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
					if inflight[l.Host] > perHost {
						t.Errorf("%d leases out for %s across processes, limit %d", inflight[l.Host], l.Host, perHost)
					}
					mu.Unlock()
					if l.Depth == 0 { // every process pushes the same children
						kids := []frontier.Item{
							{URL: l.Host + "/c", Host: l.Host, Depth: 1},
							{URL: l.URL + "/c", Host: l.Host, Depth: 1},
						}
						if _, err := f.Push(context.Background(), kids); err != nil {
							t.Error(err)
						}
					}
					time.Sleep(time.Millisecond) // a fetch
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
			})
		}
	}
	wg.Wait()
	if want := hosts * (2*pages + 1); len(seen) != want {
		t.Fatalf("%d distinct items handed out, want %d", len(seen), want)
	}
	for u, n := range seen {
		if n != 1 {
			t.Fatalf("%s handed out %d times", u, n)
		}
	}
}

func TestSharedRateSpacing(t *testing.T) {
	redisAddr(t)
	clk := clock.NewFake(epoch)
	fs := processes(t, 2, redisfrontier.Options{}, frontier.Config{PerHost: 5, Rate: 1, Clock: clk})
	a, b := fs[0], fs[1]
	push(t, a, item("http://a", "/1"), item("http://a", "/2"))
	done(t, a, next(t, a))
	made := clk.TimerMade()
	c := pending(t, b)
	<-made
	quiet(t, c, 50*time.Millisecond)
	clk.Advance(999 * time.Millisecond)
	quiet(t, c, 50*time.Millisecond)
	clk.Advance(time.Millisecond)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("second process at 1s: %v, %v; want http://a/2", url(r.l), r.err)
	}
}

func TestSharedCrawlDelay(t *testing.T) {
	redisAddr(t)
	clk := clock.NewFake(epoch)
	fs := processes(t, 2, redisfrontier.Options{}, frontier.Config{PerHost: 5, Rate: 10, Clock: clk})
	a, b := fs[0], fs[1]
	if err := a.SetDelay(context.Background(), "http://a", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	push(t, b, item("http://a", "/1"), item("http://a", "/2"))
	done(t, b, next(t, b))
	clk.Advance(2999 * time.Millisecond)
	c := pending(t, b)
	quiet(t, c, 50*time.Millisecond)
	clk.Advance(time.Millisecond)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("at the Crawl-delay set by the other process: %v, %v", url(r.l), r.err)
	}
}

func TestSharedPerHostAndDrain(t *testing.T) {
	redisAddr(t)
	fs := processes(t, 2, redisfrontier.Options{}, frontier.Config{PerHost: 1})
	a, b := fs[0], fs[1]
	push(t, a, item("http://a", "/1"), item("http://a", "/2"))
	la := next(t, a)
	c := pending(t, b)
	quiet(t, c, 100*time.Millisecond) // a/2 waits for a's lease of a/1
	done(t, a, la)
	r := receive(t, c)
	if r.err != nil || r.l.URL != "http://a/2" {
		t.Fatalf("b got %v, %v; want http://a/2", url(r.l), r.err)
	}
	// Not drained while b holds a lease, released or not.
	ca := pending(t, a)
	quiet(t, ca, 100*time.Millisecond)
	if err := b.Release(context.Background(), r.l, true); err != nil {
		t.Fatal(err)
	}
	quiet(t, ca, 100*time.Millisecond)
	if err := b.Complete(context.Background(), []*frontier.Lease{r.l}); err != nil {
		t.Fatal(err)
	}
	if r := receive(t, ca); !errors.Is(r.err, frontier.ErrDrained) {
		t.Fatalf("a after b completed: %v, %v; want ErrDrained", url(r.l), r.err)
	}
	if _, err := b.Next(context.Background()); !errors.Is(err, frontier.ErrDrained) {
		t.Fatalf("b: %v, want ErrDrained", err)
	}
}

func TestSharedExclusive(t *testing.T) {
	redisAddr(t)
	fs := processes(t, 2, redisfrontier.Options{}, frontier.Config{PerHost: 4})
	a, b := fs[0], fs[1]
	robots := frontier.Item{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a", Exclusive: true, PerRun: true}
	push(t, a, robots, item("http://a", "/1"))
	if n := push(t, b, robots, item("http://a", "/2")); n != 1 {
		t.Fatalf("second process's push added %d, want 1 (robots.txt is known)", n)
	}
	lr := next(t, a)
	if !lr.Exclusive {
		t.Fatalf("first out: %s, want robots.txt", lr.URL)
	}
	c := pending(t, b)
	quiet(t, c, 100*time.Millisecond) // robots.txt holds the host in every process
	done(t, a, lr)
	if r := receive(t, c); r.err != nil || r.l.URL != "http://a/1" {
		t.Fatalf("after robots.txt: %v, %v", url(r.l), r.err)
	}
}
