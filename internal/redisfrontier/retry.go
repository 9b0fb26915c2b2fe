package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crawlhq/crawl/internal/clock"
)

// Backoff between attempts while Redis cannot be reached.
const (
	minBackoff = 10 * time.Millisecond
	maxBackoff = time.Second
)

// retry runs op until it succeeds, fails in a way a retry cannot mend,
// ctx ends, or Redis has been unreachable for MaxOutage. Every operation
// passed to it must be safe to run twice: an attempt whose reply was lost
// may have taken effect (see the package doc).
func (c *Client) retry(ctx context.Context, clk clock.Clock, op func(context.Context) error) error {
	var since time.Time
	wait := minBackoff
	for {
		err := op(ctx)
		if err == nil {
			if c.down.CompareAndSwap(true, false) {
				c.opts.Log.Info("redis is back", "addr", c.addr)
			}
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if !transient(err) {
			return fmt.Errorf("redisfrontier: redis at %s: %w", c.addr, err)
		}
		now := clk.Now()
		if since.IsZero() {
			since = now
		} else if now.Sub(since) >= c.opts.MaxOutage {
			return fmt.Errorf("%w: redis at %s unreachable for %v: %w", ErrUnavailable, c.addr, now.Sub(since).Round(time.Second), err)
		}
		if c.down.CompareAndSwap(false, true) {
			c.opts.Log.Warn("redis unreachable, retrying", "addr", c.addr, "error", err)
		}
		if err := sleep(ctx, clk, wait); err != nil {
			return err
		}
		wait = min(2*wait, maxBackoff)
	}
}

// transient reports whether err may go away by itself: the connection
// failed or timed out, or Redis is starting, loading its data or failing
// over. Errors Redis replies with otherwise (a script error, a wrong type)
// and a closed client are for good. The caller has checked its context:
// a deadline here is the client's own (dial, read).
func transient(err error) bool {
	if errors.Is(err, redis.ErrClosed) {
		return false
	}
	var re redis.Error
	if !errors.As(err, &re) {
		return true // network, EOF, pool timeout
	}
	for _, p := range []string{"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "MAXCLIENTS", "ERR max number of clients"} {
		if redis.HasErrorPrefix(err, p) {
			return true
		}
	}
	return false
}

// sleep waits for d on clk, or for ctx to end.
func sleep(ctx context.Context, clk clock.Clock, d time.Duration) error {
	t, stop := clk.NewTimer(d)
	defer stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t:
		return nil
	}
}
