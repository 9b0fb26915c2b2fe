// Package storetest is the conformance suite every store implementation
// runs: call Visited from the implementation's own tests.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

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
