package redisfrontier

import (
	"reflect"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
)

func TestItemRoundTrip(t *testing.T) {
	at := time.Unix(1767225600, 123456789)
	for _, it := range []frontier.Item{
		{URL: "http://a/", Host: "http://a", Scope: "http://a"},
		{URL: "http://a/x?y#", Host: "http://a", Parent: "http://a/", Scope: "a", Depth: 3, Hops: 2, Attempts: 1},
		{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a", Exclusive: true, PerRun: true},
		{URL: "https://other/z", Host: "http://a", Parent: "https://p:8443/q"},
		{URL: "http://a/p", Host: "http://a", Prev: frontier.Validators{ETag: `"e"`, LastModified: "lm", Hash: 1 << 63, FetchedAt: at}},
		{URL: "http://a/p", Host: "http://a", Prev: frontier.Validators{Hash: 7}},
		{URL: "http://a/p", Host: "http://a", Depth: -1},
	} {
		b := encodeItem(nil, &it, it.Host)
		got, err := decodeItem(b, it.Host)
		if err != nil {
			t.Fatalf("decode(encode(%+v)): %v", it, err)
		}
		if !got.Prev.FetchedAt.Equal(it.Prev.FetchedAt) {
			t.Fatalf("FetchedAt %v, want %v", got.Prev.FetchedAt, it.Prev.FetchedAt)
		}
		got.Prev.FetchedAt, it.Prev.FetchedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, it) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, it)
		}
		if excl := b[0]&1 == 1; excl != it.Exclusive {
			t.Fatalf("bit 0 (read by the scripts) = %v for Exclusive %v", excl, it.Exclusive)
		}
		if perRun := b[0]&32 != 0; perRun != it.PerRun {
			t.Fatalf("bit 5 (read by the scripts) = %v for PerRun %v", perRun, it.PerRun)
		}
	}
}

func TestItemSize(t *testing.T) {
	it := frontier.Item{URL: "https://example.com/blog/2026/01/a-post", Host: "https://example.com",
		Parent: "https://example.com/blog/", Scope: "https://example.com", Depth: 2}
	if n := len(encodeItem(nil, &it, it.Host)); n > 32 {
		t.Errorf("a typical item encodes to %d bytes; the host should not be stored", n)
	}
}

func TestRobotsRoundTrip(t *testing.T) {
	for _, r := range []store.Robots{
		{},
		{Status: 200, Body: []byte("User-agent: *\n"), Attempts: 1, FetchedAt: time.Unix(1700000000, 5)},
		{Failure: "dial tcp: refused", Attempts: 3, FetchedAt: time.Unix(1, 0)},
	} {
		got, err := decodeRobots(encodeRobots(r))
		if err != nil || got.Status != r.Status || string(got.Body) != string(r.Body) || got.Failure != r.Failure ||
			got.Attempts != r.Attempts || !got.FetchedAt.Equal(r.FetchedAt) {
			t.Fatalf("round trip of %+v: %+v, %v", r, got, err)
		}
	}
}

func FuzzDecodeItem(f *testing.F) {
	it := frontier.Item{URL: "http://a/x", Host: "http://a", Parent: "http://b/", Key: "k", Prev: frontier.Validators{ETag: "e"}}
	f.Add(encodeItem(nil, &it, "http://a"))
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := decodeItem(b, "http://a")
		if err != nil {
			return
		}
		again, err := decodeItem(encodeItem(nil, &it, "http://a"), "http://a")
		if err != nil || again.URL != it.URL || again.Key != it.Key || again.Depth != it.Depth {
			t.Fatalf("re-encoding %+v: %+v, %v", it, again, err)
		}
	})
}
