package pebblestore

import (
	"strings"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

// state is where a key stands.
type state byte

const (
	stateQueued  state = 1 + iota // in a host queue (maybe leased)
	stateDone                     // fetched and recorded
	stateFailed                   // no usable response came
	stateSkipped                  // completed without a fetch (robots.txt forbade it)
	stateSeen                     // added through Visited.Add, never queued
)

// record is the value of a u/ or k/ key: where the key stands, the item
// fields a recrawl needs to queue its URL again, and what the last fetch
// found.
type record struct {
	State  state
	PerRun bool
	Run    uint64 // when last queued
	Host   string
	Parent string
	Scope  string
	Depth  int32
	Hops   int32
	Status int
	At     time.Time // when last completed
	Prev   frontier.Validators
}

// Flags of a record's encoding.
const (
	recPerRun     = 1 << iota
	recHostPrefix // the host is a prefix of the key: only its length is stored
	recPrev       // validators follow
	recScopeHost  // the scope is the host
)

func encodeRecord(key string, rec *record) []byte {
	flags := bit(rec.PerRun, recPerRun) | bit(strings.HasPrefix(key, rec.Host), recHostPrefix) |
		bit(rec.Prev != frontier.Validators{}, recPrev) | bit(rec.Scope == rec.Host, recScopeHost)
	b := make([]byte, 0, 32+len(rec.Parent)+len(rec.Prev.ETag)+len(rec.Prev.LastModified))
	b = append(b, byte(rec.State), flags)
	b = appendUvarint(b, rec.Run)
	if flags&recHostPrefix != 0 {
		b = appendUvarint(b, uint64(len(rec.Host)))
	} else {
		b = appendString(b, rec.Host)
	}
	b = appendString(b, rec.Parent)
	if flags&recScopeHost == 0 {
		b = appendString(b, rec.Scope)
	}
	b = appendInt32(b, rec.Depth)
	b = appendInt32(b, rec.Hops)
	b = appendUvarint(b, uint64(rec.Status))
	b = appendTime(b, rec.At)
	if flags&recPrev != 0 {
		b = appendValidators(b, &rec.Prev)
	}
	return b
}

func decodeRecord(key string, b []byte) (record, error) {
	r := reader{b: b}
	rec := record{State: state(r.byte())}
	flags := r.byte()
	rec.PerRun = flags&recPerRun != 0
	rec.Run = r.uvarint()
	if flags&recHostPrefix != 0 {
		n := r.uvarint()
		if n > uint64(len(key)) {
			r.fail()
		} else {
			rec.Host = key[:n]
		}
	} else {
		rec.Host = r.string()
	}
	rec.Parent = r.string()
	rec.Scope = rec.Host
	if flags&recScopeHost == 0 {
		rec.Scope = r.string()
	}
	rec.Depth, rec.Hops = r.int32(), r.int32()
	rec.Status = int(r.uvarint())
	rec.At = r.time()
	if flags&recPrev != 0 {
		rec.Prev = r.validators()
	}
	if rec.State < stateQueued || rec.State > stateSeen {
		r.fail()
	}
	return rec, r.done()
}

// queuedRecord is the record of an item as it is queued in run.
func queuedRecord(it *frontier.Item, run uint64) record {
	return record{State: stateQueued, PerRun: it.PerRun, Run: run, Host: it.Host, Parent: it.Parent,
		Scope: it.Scope, Depth: it.Depth, Hops: it.Hops, Prev: it.Prev}
}

// completedRecord is the record of a lease settled in run at now.
func completedRecord(l *frontier.Lease, run uint64, now time.Time) record {
	rec := queuedRecord(&l.Item, run)
	rec.Status = l.Result.Status
	rec.At = l.Result.FetchedAt
	if rec.At.IsZero() {
		rec.At = now
	}
	switch {
	case l.Result.Failed:
		rec.State = stateFailed
	case l.Result.Recorded:
		rec.State = stateDone
	default:
		rec.State = stateSkipped
	}
	if l.Result.Validators != (frontier.Validators{}) {
		rec.Prev = l.Result.Validators
	}
	return rec
}

// stale reports whether a URL record is due for a recrawl in run: it was
// fetched (or failed) in an earlier run, longer than after ago. URLs
// robots.txt kept from being fetched are not: fetching them again would
// repeat their records.
func (rec *record) stale(run uint64, now time.Time, after time.Duration) bool {
	if after <= 0 || rec.Run >= run || (rec.State != stateDone && rec.State != stateFailed) {
		return false
	}
	return now.Sub(rec.At) >= after
}

// item rebuilds the item of a URL record for a recrawl.
func (rec *record) item(url string) frontier.Item {
	return frontier.Item{URL: url, Host: rec.Host, Parent: rec.Parent, Scope: rec.Scope,
		Depth: rec.Depth, Hops: rec.Hops, Prev: rec.Prev}
}
