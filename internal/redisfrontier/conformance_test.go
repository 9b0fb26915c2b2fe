package redisfrontier_test

import (
	"testing"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/frontier/frontiertest"
	"github.com/crawlhq/crawl/internal/redisfrontier"
	"github.com/crawlhq/crawl/internal/store"
	"github.com/crawlhq/crawl/internal/store/storetest"
)

func TestFrontier(t *testing.T) {
	redisAddr(t)
	frontiertest.Run(t, func(t *testing.T, cfg frontier.Config) frontier.Frontier {
		return open(t, newCrawlID(t), redisfrontier.Options{}).Frontier(cfg)
	})
}

func TestVisited(t *testing.T) {
	redisAddr(t)
	storetest.Visited(t, func(t *testing.T) store.Visited {
		return open(t, newCrawlID(t), redisfrontier.Options{})
	})
}

func TestRobotsStore(t *testing.T) {
	redisAddr(t)
	storetest.RobotsStore(t, func(t *testing.T) store.RobotsStore {
		return open(t, newCrawlID(t), redisfrontier.Options{})
	})
}
