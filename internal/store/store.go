// Package store remembers what a crawl knows about URLs.
//
// For now that is the visited set: the normalized URLs the crawl has
// accepted into its frontier. The set is checked and updated in one step
// when a URL is enqueued, so each URL is queued at most once per crawl.
//
// Implementations must be safe for concurrent use and pass the conformance
// suite in package storetest.
package store

import (
	"context"
	"errors"
)

// ErrClosed is returned by a store used after Close.
var ErrClosed = errors.New("store: closed")

// Visited is the set of keys (normalized URLs, or other crawl-unique names
// such as a host's robots.txt) a crawl has accepted.
type Visited interface {
	// Add marks every key as seen. isNew must have len(keys); Add sets
	// isNew[i] to true when keys[i] was not seen before (by any earlier
	// call, or earlier in the same batch). A batch lets implementations
	// backed by disk or network make one round trip for a page's links.
	Add(ctx context.Context, keys []string, isNew []bool) error
	// Len reports how many distinct keys have been added.
	Len() int
}
