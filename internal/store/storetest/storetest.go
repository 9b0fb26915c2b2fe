// Package storetest is the conformance suite every store implementation
// runs: call Visited from the implementation's own tests.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/store"
)

// Visited checks the contract of store.Visited on sets made by open, each
// of which must start empty.
func Visited(t *testing.T, open func(t *testing.T) store.Visited) {
	t.Run("NewThenSeen", func(t *testing.T) {
		v := open(t)
		got := add(t, v, "a", "b", "a")
		want := []bool{true, true, false}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Add(a, b, a) = %v, want %v", got, want)
		}
		got = add(t, v, "b", "c")
		if fmt.Sprint(got) != fmt.Sprint([]bool{false, true}) {
			t.Fatalf("Add(b, c) = %v, want [false true]", got)
		}
		if v.Len() != 3 {
			t.Fatalf("Len = %d, want 3", v.Len())
		}
	})
	t.Run("EmptyBatch", func(t *testing.T) {
		v := open(t)
		if err := v.Add(context.Background(), nil, nil); err != nil {
			t.Fatal(err)
		}
		if v.Len() != 0 {
			t.Fatalf("Len = %d, want 0", v.Len())
		}
	})
	t.Run("KeysAreExact", func(t *testing.T) {
		v := open(t)
		keys := []string{"http://a/", "http://a", "HTTP://a/", "http://a/?", "http://a/#", ""}
		for i, isNew := range add(t, v, keys...) {
			if !isNew {
				t.Errorf("key %q reported as seen", keys[i])
			}
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		v := open(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := v.Add(ctx, []string{"x"}, make([]bool, 1)); err == nil {
			t.Fatal("Add with a cancelled context succeeded")
		}
	})
	t.Run("ConcurrentOnce", func(t *testing.T) {
		v := open(t)
		const workers, keys = 8, 2000
		var wg sync.WaitGroup
		counts := make([]int, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				batch := make([]string, 0, 10)
				for i := range keys {
					batch = append(batch, fmt.Sprintf("https://h%d/p/%d", i%7, i))
					if len(batch) == cap(batch) {
						isNew := make([]bool, len(batch))
						if err := v.Add(context.Background(), batch, isNew); err != nil {
							t.Error(err)
							return
						}
						for _, n := range isNew {
							if n {
								counts[w]++
							}
						}
						batch = batch[:0]
					}
				}
			}()
		}
		wg.Wait()
		total := 0
		for _, c := range counts {
			total += c
		}
		if total != keys {
			t.Fatalf("%d keys reported new across workers, want exactly %d", total, keys)
		}
		if v.Len() != keys {
			t.Fatalf("Len = %d, want %d", v.Len(), keys)
		}
	})
}

func add(t *testing.T, v store.Visited, keys ...string) []bool {
	t.Helper()
	isNew := make([]bool, len(keys))
	if err := v.Add(context.Background(), keys, isNew); err != nil {
		t.Fatal(err)
	}
	return isNew
}

// RobotsStore checks the contract of store.RobotsStore on stores made by
// open, each of which must start empty.
func RobotsStore(t *testing.T, open func(t *testing.T) store.RobotsStore) {
	ctx := context.Background()
	t.Run("MissingThenSaved", func(t *testing.T) {
		s := open(t)
		if _, ok, err := s.LoadRobots(ctx, "http://a"); err != nil || ok {
			t.Fatalf("LoadRobots on empty store: ok %v, err %v", ok, err)
		}
		at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		want := store.Robots{Status: 200, Body: []byte("User-agent: *\nDisallow: /x\n"), Attempts: 1, FetchedAt: at}
		if err := s.SaveRobots(ctx, "http://a", want); err != nil {
			t.Fatal(err)
		}
		fail := store.Robots{Failure: "connection refused", Attempts: 3, FetchedAt: at}
		if err := s.SaveRobots(ctx, "https://b:8443", fail); err != nil {
			t.Fatal(err)
		}
		for host, w := range map[string]store.Robots{"http://a": want, "https://b:8443": fail} {
			got, ok, err := s.LoadRobots(ctx, host)
			if err != nil || !ok {
				t.Fatalf("LoadRobots(%s): ok %v, err %v", host, ok, err)
			}
			if got.Status != w.Status || string(got.Body) != string(w.Body) || got.Failure != w.Failure ||
				got.Attempts != w.Attempts || !got.FetchedAt.Equal(w.FetchedAt) {
				t.Fatalf("LoadRobots(%s) = %+v, want %+v", host, got, w)
			}
		}
		if _, ok, _ := s.LoadRobots(ctx, "http://a:80"); ok {
			t.Fatal("hosts are exact keys: http://a:80 found")
		}
	})
	t.Run("Replace", func(t *testing.T) {
		s := open(t)
		for i, status := range []int{500, 404} {
			r := store.Robots{Status: status, FetchedAt: time.Unix(int64(1000+i), 0)}
			if err := s.SaveRobots(ctx, "http://a", r); err != nil {
				t.Fatal(err)
			}
		}
		if got, _, _ := s.LoadRobots(ctx, "http://a"); got.Status != 404 || got.FetchedAt.Unix() != 1001 {
			t.Fatalf("after two saves: %+v", got)
		}
	})
}
