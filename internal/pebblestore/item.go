package pebblestore

import (
	"strings"

	"github.com/crawlhq/crawl/internal/frontier"
)

// Flags of a queued item's encoding.
const (
	itemRelative   = 1 << iota // URL is the host followed by the stored suffix
	itemParent                 // a parent follows
	itemParentSame             // the parent is on the same host: only its suffix is stored
	itemHasKey                 // an explicit Key follows
	itemExclusive
	itemPerRun
	itemPrev      // validators follow
	itemScopeHost // the scope is the host: not stored
)

// encodeItem appends a queue entry's value: the item without its host,
// which the key holds.
func encodeItem(b []byte, it *frontier.Item) []byte {
	flags, u, p := itemFlags(it)
	b = append(b, flags)
	b = appendString(b, u)
	if flags&itemParent != 0 {
		b = appendString(b, p)
	}
	if flags&itemHasKey != 0 {
		b = appendString(b, it.Key)
	}
	if flags&itemScopeHost == 0 {
		b = appendString(b, it.Scope)
	}
	b = appendInt32(b, it.Depth)
	b = appendInt32(b, it.Hops)
	b = appendInt32(b, it.Attempts)
	if flags&itemPrev != 0 {
		b = appendValidators(b, &it.Prev)
	}
	return b
}

// itemFlags returns the flags of it and its URL and parent as stored.
func itemFlags(it *frontier.Item) (flags byte, u, p string) {
	u, p = it.URL, it.Parent
	if rest, ok := strings.CutPrefix(u, it.Host); ok {
		flags |= itemRelative
		u = rest
	}
	if p != "" {
		flags |= itemParent
		if rest, ok := strings.CutPrefix(p, it.Host); ok {
			flags |= itemParentSame
			p = rest
		}
	}
	flags |= bit(it.Key != "", itemHasKey) | bit(it.Exclusive, itemExclusive) |
		bit(it.PerRun, itemPerRun) | bit(it.Prev != frontier.Validators{}, itemPrev) |
		bit(it.Scope == it.Host, itemScopeHost)
	return flags, u, p
}

func bit(cond bool, flag byte) byte {
	if cond {
		return flag
	}
	return 0
}

// decodeItem reads a queue entry's value for host.
func decodeItem(b []byte, host string) (frontier.Item, error) {
	r := reader{b: b}
	flags := r.byte()
	it := frontier.Item{Host: host, URL: r.string()}
	if flags&itemRelative != 0 {
		it.URL = host + it.URL
	}
	if flags&itemParent != 0 {
		it.Parent = r.string()
		if flags&itemParentSame != 0 {
			it.Parent = host + it.Parent
		}
	}
	if flags&itemHasKey != 0 {
		it.Key = r.string()
	}
	it.Scope = host
	if flags&itemScopeHost == 0 {
		it.Scope = r.string()
	}
	it.Depth, it.Hops, it.Attempts = r.int32(), r.int32(), r.int32()
	it.Exclusive = flags&itemExclusive != 0
	it.PerRun = flags&itemPerRun != 0
	if flags&itemPrev != 0 {
		it.Prev = r.validators()
	}
	return it, r.done()
}

func appendValidators(b []byte, v *frontier.Validators) []byte {
	b = appendString(b, v.ETag)
	b = appendString(b, v.LastModified)
	b = appendUint64(b, v.Hash)
	return appendTime(b, v.FetchedAt)
}

func (r *reader) validators() frontier.Validators {
	return frontier.Validators{ETag: r.string(), LastModified: r.string(), Hash: r.uint64(), FetchedAt: r.time()}
}
