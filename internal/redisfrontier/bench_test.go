package redisfrontier_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

// pageURL is the i-th URL of a synthetic crawl over 100 hosts, about 60
// bytes long like the URLs of a real crawl.
func pageURL(i int) (host, u string) {
	host = "https://www.host" + strconv.Itoa(i%100) + ".example.com"
	return host, host + "/articles/2026/" + strconv.Itoa(i) + "/some-title-of-a-page"
}

func batch(start, n int) []frontier.Item {
	items := make([]frontier.Item, n)
	for i := range items {
		host, u := pageURL(start + i)
		items[i] = frontier.Item{URL: u, Host: host, Parent: host + "/", Scope: host, Depth: 1}
	}
	return items
}

// BenchmarkPush pushes batches of 10 new URLs, a page's worth of links.
func BenchmarkPush(b *testing.B) {
	f := open(b, newCrawlID(b), redisfrontier.Options{}).Frontier(frontier.Config{PerHost: 2})
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := f.Push(ctx, batch(i, 10)); err != nil {
			b.Fatal(err)
		}
		i += 10
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "urls/s")
}

// BenchmarkPushKnown pushes batches of 10 URLs the crawl already has,
// most of a page's links in a real crawl.
func BenchmarkPushKnown(b *testing.B) {
	f := open(b, newCrawlID(b), redisfrontier.Options{}).Frontier(frontier.Config{PerHost: 2})
	ctx := context.Background()
	known := batch(0, 10)
	if _, err := f.Push(ctx, known); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Push(ctx, known); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10*b.N)/b.Elapsed().Seconds(), "urls/s")
}

// BenchmarkLease is one page's round trips with the frontier: Next,
// Release and Complete, from 16 workers at once.
func BenchmarkLease(b *testing.B) {
	f := open(b, newCrawlID(b), redisfrontier.Options{}).Frontier(frontier.Config{PerHost: 1000})
	ctx := context.Background()
	for i := 0; i < b.N; i += 1000 {
		if _, err := f.Push(ctx, batch(i, 1000)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.SetParallelism(8) // × GOMAXPROCS workers
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l, err := f.Next(ctx)
			if err != nil {
				b.Error(err)
				return
			}
			if err := f.Release(ctx, l, true); err != nil {
				b.Error(err)
			}
			if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkMemoryPerURL measures what Redis holds per URL (its INFO
// used_memory before and after), each in a crawl of its own: a known URL
// (its fingerprint in the seen set, all that is left of it once fetched),
// a queued URL (fingerprint and queued item), and for comparison a whole
// URL in a plain set.
func BenchmarkMemoryPerURL(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			rdb := redis.NewClient(&redis.Options{Addr: redisAddr(b)})
			defer rdb.Close()
			for b.Loop() {
				b.ReportMetric(float64(measure(b, rdb, n, addKnown))/float64(n), "bytes/known-url")
				b.ReportMetric(float64(measure(b, rdb, n, pushQueued))/float64(n), "bytes/queued-url")
				b.ReportMetric(float64(measure(b, rdb, n, addWhole))/float64(n), "bytes/whole-url")
			}
		})
	}
}

func addKnown(b *testing.B, c *redisfrontier.Client, rdb *redis.Client, id string, keys []string) {
	if err := c.Add(context.Background(), keys, make([]bool, len(keys))); err != nil {
		b.Fatal(err)
	}
}

func pushQueued(b *testing.B, c *redisfrontier.Client, rdb *redis.Client, id string, keys []string) {
	items := make([]frontier.Item, len(keys))
	for i, u := range keys {
		host := u[:strings.Index(u, "/articles")]
		items[i] = frontier.Item{URL: u, Host: host, Parent: host + "/", Scope: host, Depth: 1}
	}
	if _, err := c.Frontier(frontier.Config{}).Push(context.Background(), items); err != nil {
		b.Fatal(err)
	}
}

func addWhole(b *testing.B, c *redisfrontier.Client, rdb *redis.Client, id string, keys []string) {
	if err := rdb.SAdd(context.Background(), "crawl:{"+id+"}:urls", keys).Err(); err != nil {
		b.Fatal(err)
	}
}

// measure is the growth of Redis's used memory as n URLs go through fill,
// in batches of 1000, in a new crawl.
func measure(b *testing.B, rdb *redis.Client, n int,
	fill func(*testing.B, *redisfrontier.Client, *redis.Client, string, []string)) int64 {
	id := newCrawlID(b)
	c := open(b, id, redisfrontier.Options{})
	before := usedMemory(b, rdb)
	keys := make([]string, 0, 1000)
	for i := 0; i < n; i += 1000 {
		keys = keys[:0]
		for j := i; j < i+1000; j++ {
			_, u := pageURL(j)
			keys = append(keys, u)
		}
		fill(b, c, rdb, id, keys)
	}
	used := usedMemory(b, rdb) - before
	if err := c.Reset(context.Background()); err != nil {
		b.Fatal(err)
	}
	return used
}

func usedMemory(b *testing.B, rdb *redis.Client) int64 {
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal(fmt.Sprintf("no used_memory in %q", info))
	return 0
}
