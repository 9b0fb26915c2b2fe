package pebblestore

import (
	"context"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"golang.org/x/time/rate"

	"github.com/crawlhq/crawl/internal/frontier"
)

// ticketOf returns l's ticket if it is outstanding. The caller holds mu.
func ticketOf(l *frontier.Lease) (*ticket, error) {
	t, ok := l.Handle.(*ticket)
	if !ok || t.settled {
		return nil, errForeignLease
	}
	return t, nil
}

// Release ends a lease's hold on its host: one fewer lease of the host
// is out, an Exclusive item no longer holds it, and when fetched is false
// the rate slot the lease took is given back. The lease stays on disk
// and outstanding until Complete.
func (f *Frontier) Release(ctx context.Context, l *frontier.Lease, fetched bool) error {
	f.mu.Lock()
	t, err := ticketOf(l)
	if err != nil {
		f.mu.Unlock()
		return err
	}
	h := t.h
	h.leased--
	if l.Exclusive {
		h.exclusive = false
	}
	if !fetched && h.handouts == t.handout {
		// Nothing went out since: the bucket was full at the handout, so
		// a full bucket gives the slot back exactly.
		h.lim = rate.NewLimiter(h.lim.Limit(), 1)
	}
	f.update(h, f.clock.Now())
	f.mu.Unlock()
	f.wake()
	return nil
}

// Complete settles released leases in one batch: each leaves its host's
// queue for good, and its key's record takes its Result (done, failed,
// or skipped when no record was written) and validators. A lease that is
// not completed (the process died first) is handed out again by the next
// run.
func (f *Frontier) Complete(ctx context.Context, ls []*frontier.Lease) error {
	return f.complete(ctx, ls, nil)
}

// complete is Complete; more, when set, adds to the commit's batch.
func (f *Frontier) complete(ctx context.Context, ls []*frontier.Lease, more func(*pebble.Batch) error) error {
	if len(ls) == 0 && more == nil {
		return nil
	}
	if err := f.db.acquire(); err != nil {
		return err
	}
	defer f.db.life.RUnlock()
	ts, err := f.tickets(ls)
	if err != nil {
		return err
	}
	b := f.db.pdb.NewBatch()
	defer b.Close()
	now := f.db.clock.Now()
	for i, l := range ls {
		b.Delete(queueKey(ts[i].h.key, ts[i].seq), nil)
		k, explicit := itemKey(&l.Item)
		rec := completedRecord(l, f.db.run, now)
		b.Set(recordKey(k, explicit), encodeRecord(k, &rec), nil)
	}
	if more != nil {
		if err := more(b); err != nil {
			return err
		}
	}
	if err := f.db.commit(b, pebble.Sync); err != nil {
		return err
	}
	f.settle(ts)
	return nil
}

func (f *Frontier) tickets(ls []*frontier.Lease) ([]*ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ts := make([]*ticket, len(ls))
	for i, l := range ls {
		t, err := ticketOf(l)
		if err != nil {
			return nil, err
		}
		ts[i] = t
	}
	return ts, nil
}

// settle ends completed leases in memory.
func (f *Frontier) settle(ts []*ticket) {
	f.mu.Lock()
	for _, t := range ts {
		if !t.settled {
			t.settled = true
			t.h.out--
			f.leased--
		}
	}
	f.mu.Unlock()
	f.wake()
}

// Retry moves a lease's item, as l.Item now is (its Attempts, say), to
// the front of its host's queue, on disk and in memory; the host is not
// fetched from again before at. It ends the lease.
func (f *Frontier) Retry(ctx context.Context, l *frontier.Lease, at time.Time) error {
	if err := f.db.acquire(); err != nil {
		return err
	}
	defer f.db.life.RUnlock()
	f.mu.Lock()
	t, err := ticketOf(l)
	var seq uint64
	if err == nil {
		seq = t.h.nextSeq(true)
	}
	f.mu.Unlock()
	if err != nil {
		return err
	}
	b := f.db.pdb.NewBatch()
	defer b.Close()
	b.Delete(queueKey(t.h.key, t.seq), nil)
	b.Set(queueKey(t.h.key, seq), encodeItem(nil, &l.Item), nil)
	if err := f.db.commit(b, pebble.Sync); err != nil {
		return err
	}
	f.requeued(t, l, seq, at)
	return nil
}

// requeued ends a retried lease in memory and queues its item first.
func (f *Frontier) requeued(t *ticket, l *frontier.Lease, seq uint64, at time.Time) {
	f.mu.Lock()
	h := t.h
	t.settled = true
	h.leased--
	h.out--
	f.leased--
	if l.Exclusive {
		h.exclusive = false
	}
	h.pushFront(entry{seq: seq, it: l.Item})
	if at.After(h.notBefore) {
		h.notBefore = at
	}
	f.update(h, f.clock.Now())
	f.mu.Unlock()
	f.wake()
}

// SetDelay sets a host's robots.txt Crawl-delay and keeps it for later
// runs: the host's handouts are spaced by d when d is longer than the
// interval of the configured rate.
func (f *Frontier) SetDelay(ctx context.Context, hostKey string, d time.Duration) error {
	if err := f.db.acquire(); err != nil {
		return err
	}
	defer f.db.life.RUnlock()
	f.db.wmu.Lock()
	defer f.db.wmu.Unlock()
	h, err := f.host(nil, hostKey)
	if err != nil {
		return err
	}
	if err := f.db.pdb.Set(join(prefixHost, hostKey), uvarintValue(uint64(max(d, 0))), pebble.Sync); err != nil {
		return fmt.Errorf("pebblestore: %s: write: %w", f.db.dir, err)
	}
	f.mu.Lock()
	h.delay = d
	if limit := rate.Every(d); d > 0 && limit < h.lim.Limit() {
		// A new limiter whose one token went at the last handout: the
		// next request waits d after it.
		h.lim = rate.NewLimiter(limit, 1)
		if h.handouts > 0 {
			h.lim.ReserveN(h.last, 1)
		}
	}
	f.update(h, f.clock.Now())
	f.mu.Unlock()
	f.wake()
	return nil
}
