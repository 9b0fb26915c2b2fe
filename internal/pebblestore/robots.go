package pebblestore

import (
	"context"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/crawlhq/crawl/internal/store"
)

// LoadRobots implements store.RobotsStore.
func (db *DB) LoadRobots(ctx context.Context, host string) (store.Robots, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Robots{}, false, err
	}
	if err := db.acquire(); err != nil {
		return store.Robots{}, false, err
	}
	defer db.life.RUnlock()
	v, found, err := db.get(join(prefixRobot, host))
	if err != nil || !found {
		return store.Robots{}, false, err
	}
	r, err := decodeRobots(v)
	if err != nil {
		return store.Robots{}, false, corrupt(db.dir, "robots.txt of "+host, err)
	}
	return r, true, nil
}

// SaveRobots implements store.RobotsStore.
func (db *DB) SaveRobots(ctx context.Context, host string, r store.Robots) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.acquire(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	if err := db.pdb.Set(join(prefixRobot, host), encodeRobots(&r), pebble.Sync); err != nil {
		return fmt.Errorf("pebblestore: %s: write: %w", db.dir, err)
	}
	return nil
}

func encodeRobots(r *store.Robots) []byte {
	b := make([]byte, 0, 16+len(r.Body)+len(r.Failure))
	b = appendUvarint(b, uint64(r.Status))
	b = appendUvarint(b, uint64(len(r.Body)))
	b = append(b, r.Body...)
	b = appendString(b, r.Failure)
	b = appendUvarint(b, uint64(r.Attempts))
	return appendTime(b, r.FetchedAt)
}

func decodeRobots(b []byte) (store.Robots, error) {
	rd := reader{b: b}
	r := store.Robots{Status: int(rd.uvarint())}
	if body := rd.string(); body != "" {
		r.Body = []byte(body)
	}
	r.Failure = rd.string()
	r.Attempts = int(rd.uvarint())
	r.FetchedAt = rd.time()
	return r, rd.done()
}
