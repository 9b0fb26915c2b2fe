package crawler_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/crawlhq/crawl/internal/crawler"
	"github.com/crawlhq/crawl/internal/fetch"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
	"github.com/crawlhq/crawl/internal/testsite"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// site serves /p/N linking to the next ten pages up to n; pages from
// hang on never answer.
func site(t *testing.T, n, hang int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil {
			http.NotFound(w, r)
			return
		}
		if i >= hang {
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<title>%d</title>", i)
		for j := i*10 + 1; j <= i*10+10 && j < n; j++ {
			fmt.Fprintf(w, `<a href="/p/%d">%d</a>`, j, j)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func config(seed string, out io.Writer) crawler.Config {
	return crawler.Config{
		Seeds:       []string{seed},
		Concurrency: 8,
		PerHost:     8,
		MaxDepth:    -1,
		Fetch:       fetch.Config{UserAgent: "crawltest/1", Timeout: 5 * time.Second, MaxBody: 1 << 20, IdlePerHost: 8},
		Retry:       fetch.Policy{Retries: 0},
		Output:      out,
	}
}

func TestRunDrainsAndLeavesNoGoroutines(t *testing.T) {
	srv := site(t, 300, 1<<30)
	var out bytes.Buffer
	c, err := crawler.New(config(srv.URL+"/p/0", &out))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 300 {
		t.Fatalf("%d records, want 300", n)
	}
	if s := c.Stats(); s.Records != 300 || s.Errors != 0 {
		t.Fatalf("stats %+v", s)
	}
	goleak.VerifyNone(t, goleak.IgnoreCurrent())
}

func TestRunCancelled(t *testing.T) {
	srv := site(t, 300, 5)
	var out bytes.Buffer
	cfg := config(srv.URL+"/p/0", &out)
	five := make(chan struct{})
	n := 0
	cfg.Observe = func(*crawler.Record) { // called from one goroutine
		if n++; n == 5 {
			close(five)
		}
	}
	c, err := crawler.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	// Pages 5 and up hang: wait for the five that answer, then cancel.
	select {
	case <-five:
	case err := <-done:
		t.Fatalf("Run returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("five records did not come")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if n := strings.Count(out.String(), "\n"); n != 5 {
		t.Fatalf("%d records, want the 5 finished pages", n)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n++; w.n > 1 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestRunOutputError(t *testing.T) {
	srv := site(t, 300, 1<<30)
	c, err := crawler.New(config(srv.URL+"/p/0", &failWriter{}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Run(context.Background())
	if !errors.Is(err, crawler.ErrOutput) || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run = %v, want ErrOutput wrapping the write error", err)
	}
	if got := c.Stats().Records; got >= 300 {
		t.Fatalf("crawl went on after the output failed: %d records", got)
	}
}

func TestRecordJSON(t *testing.T) {
	r := crawler.Record{
		URL: "http://a/\"q\"", Depth: 1, Parent: "http://a/", Status: 200, Title: "x\u2028\x01\xff",
		Links: []string{}, FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC), Duration: 1500 * time.Microsecond,
		Attempts: 1,
	}
	got := string(r.AppendJSON(nil))
	want := `{"url":"http://a/\"q\"","depth":1,"parent":"http://a/","status":200,"size":0,"title":"x\u2028\u0001\ufffd","links":[],"fetched_at":"2026-01-02T03:04:05.006Z","duration_ms":1.5,"attempts":1}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func BenchmarkRecordJSON(b *testing.B) {
	links := make([]string, 10)
	for i := range links {
		links[i] = fmt.Sprintf("http://127.0.0.1:8080/p/%d", 1000+i)
	}
	r := crawler.Record{
		URL: "http://127.0.0.1:8080/p/100", Depth: 3, Parent: "http://127.0.0.1:8080/p/10", Status: 200,
		ContentType: "text/html; charset=utf-8", Size: 8192, Title: "Page 100", Links: links,
		FetchedAt: time.Now(), Duration: 1234 * time.Microsecond, Attempts: 1,
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendJSON(buf[:0])
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkCrawl crawls a 2,000-page synthetic site in process; pages/s
// is reported as a metric.
func BenchmarkCrawl(b *testing.B) {
	site, err := testsite.NewSite(testsite.SiteConfig{Pages: 2000, Size: 8192, Links: 10})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	b.ReportAllocs()
	pages := 0
	for b.Loop() {
		cfg := config(srv.URL+testsite.Path(0), io.Discard)
		cfg.Concurrency, cfg.PerHost, cfg.FlushDelay = 64, 64, 5*time.Millisecond
		c, err := crawler.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		pages += int(c.Stats().Records)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// brokenFrontier is a memory frontier whose Push fails after a while, as
// a state store on a full disk would.
type brokenFrontier struct {
	*frontier.Memory
	pushes atomic.Int32
}

func (b *brokenFrontier) Push(ctx context.Context, items []frontier.Item) (int, error) {
	if b.pushes.Add(1) > 3 {
		return 0, errors.New("disk full")
	}
	return b.Memory.Push(ctx, items)
}

func TestStateErrorStopsTheCrawl(t *testing.T) {
	srv := site(t, 300, 1<<30)
	var out bytes.Buffer
	cfg := config(srv.URL+"/p/0", &out)
	cfg.Frontier = &brokenFrontier{Memory: frontier.NewMemory(store.NewMemory(), frontier.Config{PerHost: 8})}
	c, err := crawler.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Run(context.Background())
	if !errors.Is(err, crawler.ErrState) || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run = %v, want ErrState wrapping the store's error", err)
	}
	if n := c.Stats().Records; n > 20 {
		t.Fatalf("%d records after the store failed", n)
	}
}
