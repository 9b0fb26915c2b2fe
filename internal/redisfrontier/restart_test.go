package redisfrontier_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/redisfrontier"
)

// server is a redis-server of the test's own, persisting every write to
// an append-only file in dir before it replies, or not persisting at all.
type server struct {
	t       *testing.T
	port    int
	dir     string
	persist bool
	cmd     *exec.Cmd
}

func startServer(t *testing.T, persist bool) *server {
	redisAddr(t) // Redis tests are on
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not in PATH, skipping a test that restarts its own")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &server{t: t, port: port, dir: t.TempDir(), persist: persist}
	s.start()
	t.Cleanup(s.kill)
	return s
}

func (s *server) url() string { return "redis://127.0.0.1:" + strconv.Itoa(s.port) + "/0" }

func (s *server) start() {
	aof := "no"
	if s.persist {
		aof = "yes"
	}
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", aof, "--appendfsync", "always", "--dir", s.dir)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(s.port), MaxRetries: -1})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if rdb.Ping(context.Background()).Err() == nil {
			return
		}
	}
	s.t.Fatal("redis-server did not come up")
}

// kill stops the server as a crash would (SIGKILL).
func (s *server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}

// TestRedisRestart crashes and restarts the Redis of a crawl twice while
// two processes push, claim and complete: they wait for it, carry on, and
// every item is handed out exactly once.
func TestRedisRestart(t *testing.T) {
	srv := startServer(t, true)
	id := newCrawlID(t)
	var log syncBuffer
	opts := redisfrontier.Options{URL: srv.url(), LeaseTTL: time.Minute, MaxOutage: 30 * time.Second,
		Log: slog.New(slog.NewTextHandler(&log, nil))}
	c := open(t, id, opts)
	fs := []*redisfrontier.Frontier{
		c.Frontier(frontier.Config{PerHost: 2}),
		open(t, id, redisfrontier.Options{URL: opts.URL, LeaseTTL: opts.LeaseTTL, MaxOutage: opts.MaxOutage}).
			Frontier(frontier.Config{PerHost: 2}),
	}
	const hosts, pages = 10, 30
	for h := range hosts {
		var batch []frontier.Item
		for i := range pages {
			batch = append(batch, item(fmt.Sprintf("http://h%d", h), fmt.Sprintf("/%d", i)))
		}
		push(t, fs[0], batch...)
	}
	var completed atomic.Int64
	crashes := make(chan struct{})
	go func() {
		defer close(crashes)
		for _, at := range []int64{100, 350} {
			for completed.Load() < at {
				time.Sleep(time.Millisecond)
			}
			srv.kill()
			time.Sleep(300 * time.Millisecond)
			srv.start()
		}
	}()
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for _, f := range fs {
		for range 3 {
			wg.Go(func() { work(t, f, &mu, seen, &completed) })
		}
	}
	wg.Wait()
	<-crashes
	if want := 2 * hosts * pages; len(seen) != want {
		t.Fatalf("%d distinct items handed out, want %d", len(seen), want)
	}
	for u, n := range seen {
		if n != 1 {
			t.Errorf("%s handed out %d times", u, n)
		}
	}
	st, err := c.Stats(context.Background())
	if want := (redisfrontier.Stats{Known: 2 * hosts * pages, Hosts: hosts}); err != nil || st != want {
		t.Errorf("Stats = %+v, %v; want %+v", st, err, want)
	}
	if n := strings.Count(log.String(), "redis is back"); n != 2 {
		t.Errorf("the first process saw %d outages end, want 2:\n%s", n, log.String())
	}
}

// TestRedisRestartWithoutPersistence: the crawl's state is gone, and Next
// says so rather than reporting the crawl drained.
func TestRedisRestartWithoutPersistence(t *testing.T) {
	srv := startServer(t, false)
	f := open(t, newCrawlID(t), redisfrontier.Options{URL: srv.url()}).Frontier(frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/1"), item("http://a", "/2"))
	done(t, f, next(t, f))
	srv.kill()
	srv.start()
	if _, err := f.Next(context.Background()); !errors.Is(err, redisfrontier.ErrStateLost) {
		t.Fatalf("Next after an empty restart: %v, want ErrStateLost", err)
	}
}

// TestRedisGone: a call gives up with ErrUnavailable once Redis has been
// unreachable for MaxOutage, and with ctx's error when ctx ends first.
func TestRedisGone(t *testing.T) {
	srv := startServer(t, false)
	f := open(t, newCrawlID(t), redisfrontier.Options{URL: srv.url(), MaxOutage: 300 * time.Millisecond}).
		Frontier(frontier.Config{PerHost: 1})
	push(t, f, item("http://a", "/1"))
	srv.kill()
	if _, err := f.Next(context.Background()); !errors.Is(err, redisfrontier.ErrUnavailable) ||
		!strings.Contains(err.Error(), strconv.Itoa(srv.port)) {
		t.Fatalf("Next with Redis gone: %v, want ErrUnavailable naming the address", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.Push(ctx, []frontier.Item{item("http://a", "/2")}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Push with Redis gone and a deadline: %v, want context.DeadlineExceeded", err)
	}
	srv.start() // for the cleanup
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// work is a crawl worker: it leases, "fetches", pushes a child of every
// seed, and completes, until the crawl drains.
func work(t *testing.T, f *redisfrontier.Frontier, mu *sync.Mutex, seen map[string]int, completed *atomic.Int64) {
	ctx := context.Background()
	for {
		l, err := f.Next(ctx)
		if errors.Is(err, frontier.ErrDrained) {
			return
		}
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		seen[l.URL]++
		mu.Unlock()
		time.Sleep(time.Millisecond)
		if l.Depth == 0 {
			child := frontier.Item{URL: l.URL + "/child", Host: l.Host, Depth: 1}
			if _, err := f.Push(ctx, []frontier.Item{child}); err != nil {
				t.Error(err)
				return
			}
		}
		if err := f.Release(ctx, l, true); err != nil {
			t.Error(err)
			return
		}
		if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
			t.Error(err)
			return
		}
		completed.Add(1)
	}
}
