package pebblestore

import (
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
)

func TestRecordRoundTrip(t *testing.T) {
	at := time.Unix(0, epoch.UnixNano())
	recs := map[string]record{
		"http://a/x": {State: stateDone, Run: 3, Host: "http://a", Parent: "http://b/", Scope: "a", Depth: 2, Hops: 1,
			Status: 304, At: at, Prev: frontier.Validators{ETag: "e", LastModified: "lm", Hash: 9, FetchedAt: at}},
		"http://u@a/": {State: stateQueued, PerRun: true, Run: 1, Host: "http://a", Scope: "http://a"},
		"robots x":    {State: stateSkipped, Run: 1 << 40},
		"":            {State: stateSeen},
	}
	for k, want := range recs {
		got, err := decodeRecord(k, encodeRecord(k, &want))
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v\nwant %+v", k, got, err, want)
		}
	}
}

func TestRobotsRoundTrip(t *testing.T) {
	for _, want := range []store.Robots{
		{Status: 200, Body: []byte("User-agent: *\n"), Attempts: 1, FetchedAt: time.Unix(0, epoch.UnixNano())},
		{Failure: "timeout", Attempts: 3},
	} {
		got, err := decodeRobots(encodeRobots(&want))
		if err != nil || string(got.Body) != string(want.Body) || got.Status != want.Status ||
			got.Failure != want.Failure || got.Attempts != want.Attempts || !got.FetchedAt.Equal(want.FetchedAt) {
			t.Errorf("got %+v, %v; want %+v", got, err, want)
		}
	}
}

// FuzzDecode checks that no stored bytes make a decoder panic: a damaged
// value is an error.
func FuzzDecode(f *testing.F) {
	it := frontier.Item{URL: "http://a/x", Host: "http://a", Parent: "http://a/", Key: "k", Depth: 1,
		Prev: frontier.Validators{ETag: "e", FetchedAt: epoch}}
	rec := queuedRecord(&it, 2)
	f.Add(encodeItem(nil, &it))
	f.Add(encodeRecord(it.URL, &rec))
	f.Add(encodeRobots(&store.Robots{Status: 200, Body: []byte("x")}))
	f.Add(encodeRun(&RunInfo{Start: epoch}))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeItem(b, "http://a")
		decodeRecord("http://a/x", b)
		decodeRobots(b)
		decodeRun(b)
		decodeUvarint(b)
	})
}
