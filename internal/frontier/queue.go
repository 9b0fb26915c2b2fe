package frontier

import (
	"encoding/binary"
	"strings"
	"time"
)

// queue is one host's FIFO of items. Items pushed to the back, nearly all
// of them, are kept encoded in chunks of bytes: the URL without its host
// (which every item of the queue shares) and without the prefix it shares
// with the URL before it, the parent only when it differs from the one
// before (a page's links are pushed together), small numbers as varints,
// and shared strings (scope, other hosts) as indexes into the frontier's
// symbols. An item costs a few bytes more than what its URL adds to the
// one before, and the chunks hold no pointers, so a frontier of a million
// URLs is cheap to keep and for the garbage collector to ignore. Retries
// and robots.txt, pushed to the front, are rare and kept as they are.
type queue struct {
	front  []Item   // pushed to the front: last pushed comes out first
	chunks [][]byte // encoded items, oldest first
	off    int      // read offset in chunks[0]
	n      int      // items in chunks
	enc    last     // the item last encoded
	dec    last     // the item last decoded
}

// last is what the next encoded item is stored relative to.
type last struct {
	url    string // as stored: without the host when relative
	parent string
}

const (
	firstChunk = 256
	maxChunk   = 64 << 10
)

// Flags of an encoded item.
const (
	flagRelative   = 1 << iota // URL is the host followed by the stored suffix
	flagParent                 // a parent follows
	flagParentSame             // the parent is on the same host: only its suffix is stored
	flagKey                    // a Key follows
	flagExclusive
	flagPerRun
	flagPrev       // validators follow
	flagLastParent // the parent is the previous item's
)

func (q *queue) len() int { return len(q.front) + q.n }

// headExclusive reports whether the item at the head is Exclusive.
func (q *queue) headExclusive() bool {
	if len(q.front) > 0 {
		return q.front[len(q.front)-1].Exclusive
	}
	return q.n > 0 && q.chunks[0][q.off]&flagExclusive != 0
}

func (q *queue) pushFront(it Item) { q.front = append(q.front, it) }

func (q *queue) pushBack(it Item, host string, syms *symbols) {
	size := 1 + 4*binary.MaxVarintLen32 + 8*binary.MaxVarintLen64 + len(it.URL) + len(it.Parent) + len(it.Key) +
		len(it.Prev.ETag) + len(it.Prev.LastModified)
	last := len(q.chunks) - 1
	if last < 0 || cap(q.chunks[last])-len(q.chunks[last]) < size {
		c := firstChunk
		if last >= 0 {
			c = min(cap(q.chunks[last])*2, maxChunk)
		}
		q.chunks = append(q.chunks, make([]byte, 0, max(c, size)))
		last++
	}
	q.chunks[last] = encode(q.chunks[last], &it, host, syms, &q.enc)
	q.n++
}

func (q *queue) popFront(host string, syms *symbols) Item {
	if n := len(q.front); n > 0 {
		it := q.front[n-1]
		q.front[n-1] = Item{}
		q.front = q.front[:n-1]
		return it
	}
	var it Item
	q.off += decode(q.chunks[0][q.off:], &it, host, syms, &q.dec)
	q.n--
	if q.off == len(q.chunks[0]) {
		q.chunks[0] = nil
		q.chunks = q.chunks[1:]
		q.off = 0
		if len(q.chunks) == 0 {
			q.chunks = nil
		}
	}
	return it
}

func encode(b []byte, it *Item, host string, syms *symbols, prev *last) []byte {
	var flags byte
	u := it.URL
	if strings.HasPrefix(u, host) {
		flags |= flagRelative
		u = u[len(host):]
	}
	shared := commonPrefix(u, prev.url)
	prev.url = u
	p, parentHost := it.Parent, ""
	switch {
	case p != "" && p == prev.parent:
		flags |= flagParent | flagLastParent
	case p != "":
		flags |= flagParent
		prev.parent = it.Parent
		if strings.HasPrefix(p, host) {
			flags |= flagParentSame
			p = p[len(host):]
		} else {
			parentHost = hostOf(p)
			p = p[len(parentHost):]
		}
	}
	if it.Key != "" {
		flags |= flagKey
	}
	if it.Exclusive {
		flags |= flagExclusive
	}
	if it.PerRun {
		flags |= flagPerRun
	}
	if it.Prev != (Validators{}) {
		flags |= flagPrev
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(shared))
	b = appendString(b, u[shared:])
	if flags&(flagParent|flagLastParent) == flagParent {
		if flags&flagParentSame == 0 {
			b = binary.AppendUvarint(b, uint64(syms.id(parentHost)))
		}
		b = appendString(b, p)
	}
	if flags&flagKey != 0 {
		b = appendString(b, it.Key)
	}
	b = binary.AppendUvarint(b, uint64(syms.id(it.Scope)))
	b = binary.AppendUvarint(b, uint64(it.Depth))
	b = binary.AppendUvarint(b, uint64(it.Hops))
	b = binary.AppendUvarint(b, uint64(it.Attempts))
	if flags&flagPrev != 0 {
		b = appendString(b, it.Prev.ETag)
		b = appendString(b, it.Prev.LastModified)
		b = binary.AppendUvarint(b, it.Prev.Hash)
		b = binary.AppendVarint(b, it.Prev.FetchedAt.UnixNano())
	}
	return b
}

// decode reads one item from b into it and returns its length.
func decode(b []byte, it *Item, host string, syms *symbols, prev *last) int {
	r := reader{b: b, i: 1}
	flags := b[0]
	shared := int(r.uvarint())
	rest := r.bytes()
	if flags&flagRelative != 0 {
		it.URL = host + prev.url[:shared] + string(rest)
		prev.url = it.URL[len(host):]
	} else {
		it.URL = prev.url[:shared] + string(rest)
		prev.url = it.URL
	}
	it.Host = host
	switch {
	case flags&flagLastParent != 0:
		it.Parent = prev.parent
	case flags&flagParent != 0:
		ph := host
		if flags&flagParentSame == 0 {
			ph = syms.name(r.uvarint())
		}
		it.Parent = ph + string(r.bytes())
		prev.parent = it.Parent
	}
	if flags&flagKey != 0 {
		it.Key = string(r.bytes())
	}
	it.Exclusive = flags&flagExclusive != 0
	it.PerRun = flags&flagPerRun != 0
	it.Scope = syms.name(r.uvarint())
	it.Depth = int32(r.uvarint())
	it.Hops = int32(r.uvarint())
	it.Attempts = int32(r.uvarint())
	if flags&flagPrev != 0 {
		it.Prev.ETag = string(r.bytes())
		it.Prev.LastModified = string(r.bytes())
		it.Prev.Hash = r.uvarint()
		it.Prev.FetchedAt = time.Unix(0, r.varint())
	}
	return r.i
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

type reader struct {
	b []byte
	i int
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[r.i:])
	r.i += n
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b[r.i:])
	r.i += n
	return v
}

func (r *reader) bytes() []byte {
	n := int(r.uvarint())
	s := r.b[r.i : r.i+n]
	r.i += n
	return s
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

// symbols interns the few distinct strings items share (scopes, hosts),
// so that an encoded item refers to them by number. Not safe for
// concurrent use: the frontier's lock guards it.
type symbols struct {
	ids   map[string]uint32
	names []string
}

func (s *symbols) id(name string) uint32 {
	if id, ok := s.ids[name]; ok {
		return id
	}
	if s.ids == nil {
		s.ids = make(map[string]uint32)
	}
	id := uint32(len(s.names))
	s.ids[name] = id
	s.names = append(s.names, name)
	return id
}

func (s *symbols) name(id uint64) string { return s.names[id] }
