package store_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/crawlhq/crawl/internal/store"
	"github.com/crawlhq/crawl/internal/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Visited(t, func(*testing.T) store.Visited { return store.NewMemory() })
}

func BenchmarkMemoryAdd(b *testing.B) {
	m := store.NewMemory()
	keys := make([]string, 10)
	isNew := make([]bool, 10)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j := range keys {
			keys[j] = "https://example.com/p/" + strconv.Itoa(i*10+j)
		}
		if err := m.Add(ctx, keys, isNew); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMemoryRobots(t *testing.T) {
	storetest.RobotsStore(t, func(*testing.T) store.RobotsStore { return new(store.MemoryRobots) })
}
