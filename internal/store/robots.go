package store

import (
	"context"
	"time"
)

// Robots is a host's robots.txt as a crawl last fetched it.
type Robots struct {
	Status    int    // HTTP status; 0 when no response came
	Body      []byte // at most 500 KiB
	Failure   string // the error when no response came
	Attempts  int
	FetchedAt time.Time
}

// RobotsStore keeps each host's robots.txt across runs of a crawl (and,
// in a shared store, across the processes of one crawl), so that it is
// fetched again only when it has grown old. Implementations are safe for
// concurrent use.
type RobotsStore interface {
	// LoadRobots returns the robots.txt stored for host (scheme://host[:port]);
	// ok is false when there is none.
	LoadRobots(ctx context.Context, host string) (r Robots, ok bool, err error)
	// SaveRobots stores host's robots.txt, replacing any before.
	SaveRobots(ctx context.Context, host string, r Robots) error
}
