package redisfrontier

import (
	"context"
	"strings"
	"time"
)

// Renew moves the deadline of every lease this process holds to LeaseTTL
// from now, in one round trip. Leases that had already expired are
// counted in Lost and forgotten.
func (f *Frontier) Renew(ctx context.Context) error {
	f.mu.Lock()
	f.renewed = f.clock.Now()
	f.mu.Unlock()
	return f.renew(ctx)
}

func (f *Frontier) renew(ctx context.Context) error {
	f.mu.Lock()
	ids := make([]any, 0, 1+len(f.held))
	ids = append(ids, f.ttl.Microseconds())
	for id := range f.held {
		ids = append(ids, id)
	}
	f.mu.Unlock()
	if len(ids) == 1 {
		return nil
	}
	var lost []any
	err := f.c.retry(ctx, f.clock, func(ctx context.Context) (err error) {
		lost, err = f.c.run(ctx, renewScript, f.now(), f.pol, ids...).Slice()
		return err
	})
	if err != nil {
		return err
	}
	// A lease completed while the renewal was on its way is not lost.
	f.lost.Add(int64(f.forget(lost...)))
	return nil
}

// renewIfDue renews the leases when a third of LeaseTTL has passed since
// they last were, so that a process whose workers keep calling Next keeps
// its leases without KeepAlive.
func (f *Frontier) renewIfDue(ctx context.Context) error {
	f.mu.Lock()
	now := f.clock.Now()
	due := len(f.held) > 0 && now.Sub(f.renewed) >= f.ttl/3
	if due {
		f.renewed = now // one caller renews
	}
	f.mu.Unlock()
	if !due {
		return nil
	}
	return f.renew(ctx)
}

// KeepAlive renews this process's leases every third of LeaseTTL until
// ctx ends, when it returns nil; it returns an error only when Redis
// stays unreachable (see Options.MaxOutage). Run it beside the crawl when
// a lease may be held longer than Next is called (slow fetches, a slow
// output holding records back from Complete).
func (f *Frontier) KeepAlive(ctx context.Context) error {
	for {
		if err := sleep(ctx, f.clock, f.ttl/3); err != nil {
			return nil
		}
		if err := f.Renew(ctx); err != nil && ctx.Err() == nil {
			return err
		}
	}
}

// Abandon gives every lease this process still holds back to the front of
// its host's queue, in one round trip, so that other processes need not
// wait for them to expire. Call it when the crawl stops early, once no
// worker is left: what was leased but not completed has no record.
func (f *Frontier) Abandon(ctx context.Context) error {
	f.mu.Lock()
	ids := make([]any, 0, len(f.held))
	for id := range f.held {
		ids = append(ids, id)
	}
	f.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	err := f.c.retry(ctx, f.clock, func(ctx context.Context) error {
		return f.c.run(ctx, givebackScript, f.now(), f.pol, ids...).Err()
	})
	if err != nil {
		return err
	}
	f.forget(ids...)
	f.wake()
	return nil
}

// giveBackLost gives back lease id, which a claim cut short by its context
// may or may not have made: its caller never learns of it. One attempt,
// briefly; if it fails the lease expires as usual.
func (f *Frontier) giveBackLost(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	f.c.run(ctx, givebackScript, f.now(), f.pol, id)
}

// hostOf returns scheme://authority of an absolute URL.
func hostOf(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	if j := strings.IndexAny(u[i+3:], "/?#"); j >= 0 {
		return u[:i+3+j]
	}
	return u
}
