package pebblestore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// open opens dir and its frontier; the DB is closed when t ends unless
// the test closed it.
func open(t testing.TB, dir string, opts Options) (*DB, *Frontier) {
	t.Helper()
	db, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	f, err := db.Frontier(frontier.Config{PerHost: 100, Clock: opts.Clock})
	if err != nil {
		t.Fatal(err)
	}
	return db, f
}

func items(host string, paths ...string) []frontier.Item {
	its := make([]frontier.Item, len(paths))
	for i, p := range paths {
		its[i] = frontier.Item{URL: host + p, Host: host, Scope: host}
	}
	return its
}

func mustPush(t testing.TB, f *Frontier, its ...frontier.Item) int {
	t.Helper()
	n, err := f.Push(context.Background(), its)
	if err != nil {
		t.Fatalf("Push: %v", err)
	}
	return n
}

func mustNext(t testing.TB, f *Frontier) *frontier.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := f.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return l
}

// finish releases and completes l with r.
func finish(t testing.TB, f *Frontier, l *frontier.Lease, r frontier.Result) {
	t.Helper()
	ctx := context.Background()
	if err := f.Release(ctx, l, true); err != nil {
		t.Fatalf("Release: %v", err)
	}
	l.Result = r
	if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
		t.Fatalf("Complete: %v", err)
	}
}

var ok200 = frontier.Result{Status: 200, Recorded: true}

// drain leases and completes everything left, returning the URLs in the
// order they were handed out.
func drain(t testing.TB, f *Frontier) []string {
	t.Helper()
	var got []string
	for {
		l, err := f.Next(context.Background())
		if errors.Is(err, frontier.ErrDrained) {
			return got
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		got = append(got, l.URL)
		finish(t, f, l, ok200)
	}
}

// crashCopy copies dir as a process killed now would leave it: the
// store's files as the OS has them, pebble's commits without fsync
// included.
func crashCopy(t testing.TB, dir string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func fakeClock() *clock.Fake { return clock.NewFake(epoch) }
