package redisfrontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crawlhq/crawl/internal/store"
)

var (
	_ store.Visited     = (*Client)(nil)
	_ store.RobotsStore = (*Client)(nil)
)

// Add implements store.Visited over the crawl's seen set, the one Push
// deduplicates with, in one round trip. A batch retried after its reply
// was lost gets the answer of its first attempt.
func (c *Client) Add(ctx context.Context, keys []string, isNew []bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	var token [12]byte
	rand.Read(token[:])
	args := make([]any, 0, 1+2*len(keys))
	args = append(args, hex.EncodeToString(token[:]))
	for _, k := range keys {
		bucket, member := fingerprint(k)
		args = append(args, bucket, member)
	}
	var got string
	err := c.retry(ctx, c.opts.Clock, func(ctx context.Context) (err error) {
		got, err = c.run(ctx, addScript, 0, politeness{}, args...).Text()
		return err
	})
	if err != nil {
		return err
	}
	if len(got) != len(keys) {
		return fmt.Errorf("redisfrontier: add: %d answers for %d keys", len(got), len(keys))
	}
	for i := range keys {
		isNew[i] = got[i] == '1'
	}
	return nil
}

// Len implements store.Visited: the size of the crawl's seen set. It has
// no way to report an error: when Redis does not answer within a few
// seconds it returns its last answer.
func (c *Client) Len() int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	n, err := c.rdb.Get(ctx, c.prefix+"known").Int64()
	if errors.Is(err, redis.Nil) {
		n, err = 0, nil
	}
	if err != nil {
		return int(c.lastLen.Load())
	}
	c.lastLen.Store(n)
	return int(n)
}

// LoadRobots implements store.RobotsStore: the crawl's robots.txt of host,
// as any of its processes saved it.
func (c *Client) LoadRobots(ctx context.Context, host string) (store.Robots, bool, error) {
	var b []byte
	err := c.retry(ctx, c.opts.Clock, func(ctx context.Context) (err error) {
		b, err = c.rdb.HGet(ctx, c.prefix+"robots", host).Bytes()
		if errors.Is(err, redis.Nil) {
			b, err = nil, nil
		}
		return err
	})
	if err != nil || b == nil {
		return store.Robots{}, false, err
	}
	r, err := decodeRobots(b)
	return r, err == nil, err
}

// SaveRobots implements store.RobotsStore.
func (c *Client) SaveRobots(ctx context.Context, host string, r store.Robots) error {
	b := encodeRobots(r)
	return c.retry(ctx, c.opts.Clock, func(ctx context.Context) error {
		return c.rdb.HSet(ctx, c.prefix+"robots", host, b).Err()
	})
}
