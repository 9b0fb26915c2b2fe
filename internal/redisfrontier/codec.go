package redisfrontier

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
)

// Flags of an encoded item, its first byte. The scripts read two of them:
// bit 0 (Exclusive) and bit 5 (PerRun); keep those where they are.
const (
	flagExclusive  = 1 << iota // 1
	flagRelative               // URL is the host followed by the stored suffix
	flagParent                 // a parent follows
	flagParentSame             // the parent is on the item's host: only its suffix is stored
	flagKey                    // a Key follows
	flagPerRun                 // 32
	flagScopeHost              // Scope is the item's host: not stored
	flagPrev                   // validators follow
)

var errCorrupt = errors.New("redisfrontier: corrupt item in redis")

// fingerprint is what the seen set holds for a key: the first 64 bits of
// its SHA-256, as a bucket (16 bits, in hex) naming one of the set's
// 65536 parts and a member of it (48 bits, in decimal, so that Redis keeps
// it as an integer). Two of n keys share one with probability about
// n²/2⁶⁵ (3 in a million for ten million URLs), as in store.Memory; the
// key that loses is not crawled.
func fingerprint(key string) (bucket, member string) {
	sum := sha256.Sum256([]byte(key))
	v := binary.BigEndian.Uint64(sum[:8])
	const hex = "0123456789abcdef"
	b := [4]byte{hex[v>>60], hex[v>>56&15], hex[v>>52&15], hex[v>>48&15]}
	return string(b[:]), strconv.FormatUint(v&(1<<48-1), 10)
}

// encodeItem appends it, which is queued under host, to b. The host is
// not stored: the queue (or lease) it is kept under names it.
func encodeItem(b []byte, it *frontier.Item, host string) []byte {
	var flags byte
	u := it.URL
	if strings.HasPrefix(u, host) {
		flags |= flagRelative
		u = u[len(host):]
	}
	p := it.Parent
	if p != "" {
		flags |= flagParent
		if strings.HasPrefix(p, host) {
			flags |= flagParentSame
			p = p[len(host):]
		}
	}
	flags |= bit(it.Key != "", flagKey) | bit(it.Exclusive, flagExclusive) | bit(it.PerRun, flagPerRun) |
		bit(it.Scope == host, flagScopeHost) | bit(it.Prev != (frontier.Validators{}), flagPrev)
	b = append(b, flags)
	b = appendString(b, u)
	if flags&flagParent != 0 {
		b = appendString(b, p)
	}
	if flags&flagKey != 0 {
		b = appendString(b, it.Key)
	}
	if flags&flagScopeHost == 0 {
		b = appendString(b, it.Scope)
	}
	b = binary.AppendUvarint(b, uint64(uint32(it.Depth)))
	b = binary.AppendUvarint(b, uint64(uint32(it.Hops)))
	b = binary.AppendUvarint(b, uint64(uint32(it.Attempts)))
	if flags&flagPrev != 0 {
		b = appendString(b, it.Prev.ETag)
		b = appendString(b, it.Prev.LastModified)
		b = binary.AppendUvarint(b, it.Prev.Hash)
		b = appendTime(b, it.Prev.FetchedAt)
	}
	return b
}

func bit(cond bool, flag byte) byte {
	if cond {
		return flag
	}
	return 0
}

// decodeItem reads an item encoded by encodeItem under host.
func decodeItem(b []byte, host string) (frontier.Item, error) {
	if len(b) == 0 {
		return frontier.Item{}, errCorrupt
	}
	flags := b[0]
	r := reader{b: b, i: 1}
	it := frontier.Item{Host: host, URL: r.string()}
	if flags&flagRelative != 0 {
		it.URL = host + it.URL
	}
	if flags&flagParent != 0 {
		it.Parent = r.string()
		if flags&flagParentSame != 0 {
			it.Parent = host + it.Parent
		}
	}
	if flags&flagKey != 0 {
		it.Key = r.string()
	}
	it.Scope = host
	if flags&flagScopeHost == 0 {
		it.Scope = r.string()
	}
	it.Depth = int32(r.uvarint())
	it.Hops = int32(r.uvarint())
	it.Attempts = int32(r.uvarint())
	it.Exclusive = flags&flagExclusive != 0
	it.PerRun = flags&flagPerRun != 0
	if flags&flagPrev != 0 {
		it.Prev.ETag = r.string()
		it.Prev.LastModified = r.string()
		it.Prev.Hash = r.uvarint()
		it.Prev.FetchedAt = r.time()
	}
	if r.err || r.i != len(b) {
		return frontier.Item{}, errCorrupt
	}
	return it, nil
}

// encodeRobots encodes a host's robots.txt for the robots hash.
func encodeRobots(r store.Robots) []byte {
	b := make([]byte, 0, 32+len(r.Failure)+len(r.Body))
	b = binary.AppendVarint(b, int64(r.Status))
	b = binary.AppendVarint(b, int64(r.Attempts))
	b = appendTime(b, r.FetchedAt)
	b = appendString(b, r.Failure)
	return append(b, r.Body...)
}

func decodeRobots(b []byte) (store.Robots, error) {
	r := reader{b: b}
	var s store.Robots
	s.Status = int(r.varint())
	s.Attempts = int(r.varint())
	s.FetchedAt = r.time()
	s.Failure = r.string()
	if r.err {
		return store.Robots{}, errors.New("redisfrontier: corrupt robots.txt in redis")
	}
	s.Body = b[r.i:]
	return s, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendTime stores t as Unix nanoseconds, with 0 for the zero time.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(b, 0)
	}
	return binary.AppendVarint(b, t.UnixNano())
}

// reader decodes what the append functions wrote; err is set, and every
// later read returns zero, once the input runs short.
type reader struct {
	b   []byte
	i   int
	err bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[min(r.i, len(r.b)):])
	if n <= 0 {
		r.err = true
		return 0
	}
	r.i += n
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b[min(r.i, len(r.b)):])
	if n <= 0 {
		r.err = true
		return 0
	}
	r.i += n
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err || n > uint64(len(r.b)-r.i) {
		r.err = true
		return ""
	}
	s := string(r.b[r.i : r.i+int(n)])
	r.i += int(n)
	return s
}

func (r *reader) time() time.Time {
	ns := r.varint()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
