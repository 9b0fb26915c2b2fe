package redisfrontier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/crawlhq/crawl/internal/clock"
)

var (
	// ErrUnavailable is wrapped by the errors of Open when Redis cannot
	// be reached, and of any call that kept failing to reach it for
	// Options.MaxOutage.
	ErrUnavailable = errors.New("redisfrontier: redis unavailable")
	// ErrStateLost is returned by Next when the crawl's keys are gone
	// from Redis while the crawl runs: Redis restarted without
	// persistence, evicted them, or the crawl was reset.
	ErrStateLost = errors.New("redisfrontier: the crawl's state is gone from redis (restarted without persistence, evicted, or reset)")
)

// layoutVersion is the version of the key layout and encodings, stored in
// the crawl's meta hash.
const layoutVersion = "1"

// Options configure a Client. URL and CrawlID are required.
type Options struct {
	// URL is redis://[user:password@]host:port/db (or rediss://, unix://);
	// go-redis options such as ?pool_size=64 may follow.
	URL string
	// CrawlID names the crawl: processes with the same URL and CrawlID
	// share one crawl. Letters, digits, '.', '_' and '-', at most 64.
	CrawlID string
	// LeaseTTL is how long a leased item stays with its process without
	// being completed or renewed before any process may hand it out
	// again. Default 2 minutes.
	LeaseTTL time.Duration
	// Poll is the longest a waiting Next goes without asking Redis
	// again (work pushed by other processes is seen this late). Default
	// 25ms.
	Poll time.Duration
	// MaxOutage is how long a call keeps retrying while Redis cannot be
	// reached before it fails with ErrUnavailable. Default 5 minutes.
	MaxOutage time.Duration
	// Clock defaults to the wall clock; a Frontier whose Config has a
	// Clock uses that one.
	Clock clock.Clock
	// Log receives a warning when Redis is lost and a note when it is
	// back. Default: discard.
	Log *slog.Logger
}

// Client is a connection to one crawl's state in Redis. It is safe for
// concurrent use. It implements store.Visited and store.RobotsStore, and
// makes Frontiers.
type Client struct {
	rdb    *redis.Client
	opts   Options
	addr   string
	prefix string   // crawl:{ID}:
	meta   []string // the crawl's meta key: KEYS[1] of the scripts

	down    atomic.Bool  // an outage is being retried
	lastLen atomic.Int64 // Len's answer when Redis does not answer
}

// quietOnce silences go-redis's own logging, process-wide (this package
// is its only user): retry reports outages through Options.Log instead.
var quietOnce sync.Once

var validID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Open connects to the Redis at opts.URL and joins the crawl
// opts.CrawlID, creating it when new. It fails fast, with an error
// wrapping ErrUnavailable, when Redis cannot be reached.
func Open(ctx context.Context, opts Options) (*Client, error) {
	if !validID.MatchString(opts.CrawlID) {
		return nil, fmt.Errorf("redisfrontier: invalid crawl id %q: want 1 to 64 letters, digits, '.', '_' or '-'", opts.CrawlID)
	}
	ro, err := redis.ParseURL(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("redisfrontier: invalid redis URL: %w", err)
	}
	ro.MaxRetries = -1 // the Client retries, knowing what is safe to retry
	ro.ContextTimeoutEnabled = true
	ro.DisableIdentity = true
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	ro.DialerRetries = 1 // one dial per attempt: retry owns the backoff
	if ro.DialTimeout > 2*time.Second {
		ro.DialTimeout = 2 * time.Second
	}
	quietOnce.Do(logging.Disable)
	c := &Client{rdb: redis.NewClient(ro), opts: withDefaults(opts), addr: ro.Addr}
	c.prefix = "crawl:{" + opts.CrawlID + "}:"
	c.meta = []string{c.prefix + "meta"}
	if err := c.join(ctx); err != nil {
		c.rdb.Close()
		return nil, err
	}
	return c, nil
}

func withDefaults(o Options) Options {
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 2 * time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = 25 * time.Millisecond
	}
	if o.MaxOutage <= 0 {
		o.MaxOutage = 5 * time.Minute
	}
	if o.Clock == nil {
		o.Clock = clock.Real
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// join pings Redis and marks the crawl's keys with the layout version.
func (c *Client) join(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("%w: cannot reach redis at %s: %w", ErrUnavailable, c.addr, err)
	}
	meta := c.prefix + "meta"
	if err := c.rdb.HSetNX(ctx, meta, "version", layoutVersion).Err(); err != nil {
		return fmt.Errorf("redisfrontier: redis at %s: %w", c.addr, err)
	}
	v, err := c.rdb.HGet(ctx, meta, "version").Result()
	if err != nil {
		return fmt.Errorf("redisfrontier: redis at %s: %w", c.addr, err)
	}
	if v != layoutVersion {
		return fmt.Errorf("redisfrontier: crawl %s in redis has key layout %s, this build uses %s", c.opts.CrawlID, v, layoutVersion)
	}
	return nil
}

// Close closes the connections to Redis. The crawl's state stays there.
func (c *Client) Close() error { return c.rdb.Close() }

// Addr is the address of the Redis server, for messages.
func (c *Client) Addr() string { return c.addr }

// CrawlID returns the default crawl id of a crawl of seeds: a short hash
// of the sorted, deduplicated seeds, so that processes started with the
// same seeds join the same crawl.
func CrawlID(seeds []string) string {
	s := slices.Clone(seeds)
	slices.Sort(s)
	s = slices.Compact(s)
	h := sha256.New()
	for _, u := range s {
		h.Write([]byte(u))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// Stats counts a crawl's state in Redis, across all its processes.
type Stats struct {
	Known  int // distinct keys ever accepted
	Queued int // items waiting in host queues
	Leased int // leases outstanding (being fetched, or waiting to be completed)
	Hosts  int // hosts that ever had an item queued
}

// Stats reads the crawl's counters in one round trip.
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var leased, hosts *redis.IntCmd
	var known, queued *redis.StringCmd
	err := c.retry(ctx, c.opts.Clock, func(ctx context.Context) error {
		_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			known = p.Get(ctx, c.prefix+"known")
			queued = p.Get(ctx, c.prefix+"queued")
			leased = p.ZCard(ctx, c.prefix+"leases")
			hosts = p.SCard(ctx, c.prefix+"hosts")
			return nil
		})
		if errors.Is(err, redis.Nil) {
			err = nil // no counter yet
		}
		return err
	})
	if err != nil {
		return Stats{}, err
	}
	k, _ := strconv.Atoi(known.Val())
	q, _ := strconv.Atoi(queued.Val())
	return Stats{Known: k, Queued: q, Leased: int(leased.Val()), Hosts: int(hosts.Val())}, nil
}

// Reset deletes every key of the crawl, ending it for every process that
// shares it (their Next fails with ErrStateLost). Open the crawl again to
// start it anew.
func (c *Client) Reset(ctx context.Context) error {
	return c.retry(ctx, c.opts.Clock, func(ctx context.Context) error {
		iter := c.rdb.Scan(ctx, 0, c.prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			if keys = append(keys, iter.Val()); len(keys) == 1000 {
				if err := c.rdb.Unlink(ctx, keys...).Err(); err != nil {
					return err
				}
				keys = keys[:0]
			}
		}
		if err := iter.Err(); err != nil || len(keys) == 0 {
			return err
		}
		return c.rdb.Unlink(ctx, keys...).Err()
	})
}
