package pebblestore

import (
	"github.com/cockroachdb/pebble/v2"
)

// requeueBatch is how many stale URLs one batch of the recrawl scan
// queues.
const requeueBatch = 1024

// load finds the hosts with queued entries, which the last run left
// (leased ones included: a lease ends on disk only when completed), and,
// with RecrawlAfter, queues the stale URLs again.
func (f *Frontier) load() error {
	if err := f.loadQueues(); err != nil {
		return err
	}
	if f.db.opts.RecrawlAfter > 0 {
		return f.requeueStale()
	}
	return nil
}

// loadQueues visits the first and last entry of each host's queue: the
// host's seqs continue from them, and its entries are read on demand.
func (f *Frontier) loadQueues() error {
	iter, err := f.db.pdb.NewIter(&pebble.IterOptions{LowerBound: prefixQueue, UpperBound: prefixEnd(prefixQueue)})
	if err != nil {
		return corrupt(f.db.dir, "scan queues", err)
	}
	for valid := iter.First(); valid; {
		hostKey, first, ok := parseQueueKey(iter.Key())
		if !ok || !iter.SeekLT(queueEnd(hostKey)) {
			iter.Close()
			return corrupt(f.db.dir, "queue key "+quote(iter.Key()), errDecode)
		}
		_, last, _ := parseQueueKey(iter.Key())
		if err := f.loadQueue(hostKey, first, last); err != nil {
			iter.Close()
			return err
		}
		valid = iter.SeekGE(queueEnd(hostKey))
	}
	if err := iter.Close(); err != nil {
		return corrupt(f.db.dir, "scan queues", err)
	}
	return nil
}

// loadQueue sets up a host whose queue runs from seq first to last.
func (f *Frontier) loadQueue(hostKey string, first, last uint64) error {
	h, err := f.host(nil, hostKey)
	if err != nil {
		return err
	}
	h.frontSeq = min(first, midSeq) - 1
	h.cursor = h.frontSeq
	h.backSeq = max(last+1, midSeq)
	h.more = true
	f.update(h, f.clock.Now())
	return nil
}

// requeueStale queues again, for this run, every URL whose last fetch is
// older than RecrawlAfter, with Item.Prev set.
func (f *Frontier) requeueStale() error {
	iter, err := f.db.pdb.NewIter(&pebble.IterOptions{LowerBound: prefixURL, UpperBound: prefixEnd(prefixURL)})
	if err != nil {
		return corrupt(f.db.dir, "scan URLs", err)
	}
	defer iter.Close()
	b := f.db.pdb.NewBatch()
	defer func() { b.Close() }()
	now := f.db.clock.Now()
	for valid := iter.First(); valid; valid = iter.Next() {
		url := string(iter.Key()[len(prefixURL):])
		v, err := iter.ValueAndErr()
		if err != nil {
			return corrupt(f.db.dir, "scan URLs", err)
		}
		rec, err := decodeRecord(url, v)
		if err != nil {
			return corrupt(f.db.dir, "record of "+url, err)
		}
		if !rec.stale(f.db.run, now, f.db.opts.RecrawlAfter) {
			continue
		}
		if err := f.requeueURL(b, url, &rec); err != nil {
			return err
		}
		if b.Count() >= 3*requeueBatch {
			if err := f.db.commit(b, pebble.NoSync); err != nil {
				return err
			}
			b.Close()
			b = f.db.pdb.NewBatch()
		}
	}
	if err := iter.Error(); err != nil {
		return corrupt(f.db.dir, "scan URLs", err)
	}
	return f.db.commit(b, pebble.Sync)
}

// requeueURL writes into b a queue entry and a queued record for a stale
// URL.
func (f *Frontier) requeueURL(b *pebble.Batch, url string, rec *record) error {
	it := rec.item(url)
	h, err := f.host(b, it.Host)
	if err != nil {
		return err
	}
	seq := h.nextSeq(false)
	b.Set(queueKey(h.key, seq), encodeItem(nil, &it), nil)
	qr := queuedRecord(&it, f.db.run)
	b.Set(join(prefixURL, url), encodeRecord(url, &qr), nil)
	h.more = true
	f.update(h, f.clock.Now())
	return nil
}
