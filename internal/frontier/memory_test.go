package frontier_test

import (
	"testing"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/frontier/frontiertest"
	"github.com/crawlhq/crawl/internal/store"
)

func TestMemory(t *testing.T) {
	frontiertest.Run(t, func(t *testing.T, cfg frontier.Config) frontier.Frontier {
		return frontier.NewMemory(store.NewMemory(), cfg)
	})
}
