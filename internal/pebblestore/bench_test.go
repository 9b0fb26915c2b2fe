package pebblestore

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

// fill pushes n URLs over hosts hosts in batches of 10 links, as pages'
// links arrive.
func fill(tb testing.TB, f *Frontier, prefix string, n, hosts int) {
	batch := make([]frontier.Item, 0, 10)
	for i := range n {
		h := fmt.Sprintf("https://h%d.example", i%hosts)
		u := h + "/" + prefix + "/page/" + strconv.Itoa(i)
		batch = append(batch, frontier.Item{URL: u, Host: h, Scope: h, Parent: h + "/", Depth: 2})
		if len(batch) == cap(batch) {
			mustPush(tb, f, batch...)
			batch = batch[:0]
		}
	}
}

const benchKnown = 300_000

// BenchmarkPush pushes batches of 10 new links into a state that knows
// benchKnown URLs.
func BenchmarkPush(b *testing.B) {
	_, f := open(b, b.TempDir(), Options{})
	fill(b, f, "old", benchKnown, 1000)
	batch := make([]frontier.Item, 10)
	b.ReportAllocs()
	start := time.Now()
	i := 0
	for b.Loop() {
		for j := range batch {
			h := "https://h" + strconv.Itoa(i%1000) + ".example"
			batch[j] = frontier.Item{URL: h + "/new/page/" + strconv.Itoa(i), Host: h, Scope: h, Parent: h + "/", Depth: 3}
			i++
		}
		mustPush(b, f, batch...)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(i), "µs/URL")
}

// BenchmarkPushKnown pushes batches of 10 links that are all known, the
// common case deep in a crawl.
func BenchmarkPushKnown(b *testing.B) {
	_, f := open(b, b.TempDir(), Options{})
	fill(b, f, "old", benchKnown, 1000)
	batch := make([]frontier.Item, 10)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		for j := range batch {
			k := (i * 7919) % benchKnown
			h := "https://h" + strconv.Itoa(k%1000) + ".example"
			batch[j] = frontier.Item{URL: h + "/old/page/" + strconv.Itoa(k), Host: h}
			i++
		}
		if n := mustPush(b, f, batch...); n != 0 {
			b.Fatalf("added %d", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(i), "µs/URL")
}

// BenchmarkNextComplete leases, releases and completes one URL at a time
// from a state with benchKnown queued URLs.
func BenchmarkNextComplete(b *testing.B) {
	_, f := open(b, b.TempDir(), Options{})
	fill(b, f, "q", benchKnown, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		l := benchNext(b, f, n)
		if err := f.Release(ctx, l, true); err != nil {
			b.Fatal(err)
		}
		l.Result = frontier.Result{Status: 200, Recorded: true,
			Validators: frontier.Validators{ETag: `"abc"`, Hash: uint64(n), FetchedAt: time.Now()}}
		if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/URL")
}

// TestMemory1M pushes 1,000,000 URLs on one host (or on
// PEBBLESTORE_MEM_HOSTS hosts) and drains them, reporting the Go heap
// and the process's RSS. It takes about 15 s: set PEBBLESTORE_MEM=1 to
// run it.
func TestMemory1M(t *testing.T) {
	if os.Getenv("PEBBLESTORE_MEM") == "" {
		t.Skip("set PEBBLESTORE_MEM=1")
	}
	const n = 1_000_000
	hosts, _ := strconv.Atoi(os.Getenv("PEBBLESTORE_MEM_HOSTS"))
	db, f := open(t, t.TempDir(), Options{})
	start := time.Now()
	fill(t, f, "p", n, max(hosts, 1))
	t.Log(db.pdb.Metrics().String())
	pushed := time.Since(start)
	t.Logf("pushed %d URLs in %v (%.1f µs/URL); %s", n, pushed, float64(pushed.Microseconds())/n, memory(f))
	ctx := context.Background()
	start = time.Now()
	for i := 0; ; i++ {
		l, err := f.Next(ctx)
		if err == frontier.ErrDrained {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		f.Release(ctx, l, true)
		l.Result = frontier.Result{Status: 200, Recorded: true, Validators: frontier.Validators{FetchedAt: time.Now()}}
		if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
			t.Fatal(err)
		}
		if i%250_000 == 0 {
			t.Logf("drained %d: %s", i, memory(f))
		}
	}
	drained := time.Since(start)
	t.Logf("drained in %v (%.1f µs/URL); %s", drained, float64(drained.Microseconds())/n, memory(f))
}

func memory(f *Frontier) string {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	status, _ := os.ReadFile("/proc/self/status")
	var rss, hwm string
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	return fmt.Sprintf("heap in use %d MiB, sys %d MiB, RSS %s, peak RSS %s, frontier %+v",
		ms.HeapInuse>>20, ms.Sys>>20, rss, hwm, f.Stats())
}

// BenchmarkNextCompleteBatch16 is BenchmarkNextComplete with Complete
// called once per 16 leases, as an engine settling a flushed batch of
// records does.
func BenchmarkNextCompleteBatch16(b *testing.B) {
	_, f := open(b, b.TempDir(), Options{})
	fill(b, f, "q", benchKnown, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	ls := make([]*frontier.Lease, 0, 16)
	for b.Loop() {
		l := benchNext(b, f, n)
		if err := f.Release(ctx, l, true); err != nil {
			b.Fatal(err)
		}
		l.Result = frontier.Result{Status: 200, Recorded: true,
			Validators: frontier.Validators{ETag: `"abc"`, Hash: uint64(n), FetchedAt: time.Now()}}
		if ls = append(ls, l); len(ls) == cap(ls) {
			if err := f.Complete(ctx, ls); err != nil {
				b.Fatal(err)
			}
			ls = ls[:0]
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/URL")
}

// benchNext leases the next URL, queueing benchKnown more, off the clock,
// when the frontier has drained.
func benchNext(b *testing.B, f *Frontier, n int) *frontier.Lease {
	l, err := f.Next(context.Background())
	if err == frontier.ErrDrained {
		b.StopTimer()
		fill(b, f, "q"+strconv.Itoa(n), benchKnown, 1000)
		b.StartTimer()
		l, err = f.Next(context.Background())
	}
	if err != nil {
		b.Fatal(err)
	}
	return l
}
