package pebblestore

import (
	"testing"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/frontier/frontiertest"
	"github.com/crawlhq/crawl/internal/store"
	"github.com/crawlhq/crawl/internal/store/storetest"
)

// openDB opens a DB in a fresh directory, closed when t ends.
func openDB(t testing.TB, opts Options) *DB {
	t.Helper()
	db, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestFrontierConformance(t *testing.T) {
	frontiertest.Run(t, func(t *testing.T, cfg frontier.Config) frontier.Frontier {
		f, err := openDB(t, Options{Clock: cfg.Clock}).Frontier(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return f
	})
}

func TestVisitedConformance(t *testing.T) {
	storetest.Visited(t, func(t *testing.T) store.Visited { return openDB(t, Options{}) })
}

func TestRobotsConformance(t *testing.T) {
	storetest.RobotsStore(t, func(t *testing.T) store.RobotsStore { return openDB(t, Options{}) })
}
