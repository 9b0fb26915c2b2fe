package frontier

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestQueueRoundTrip(t *testing.T) {
	const host = "http://a.example:8080"
	items := []Item{
		{URL: host + "/", Host: host, Scope: "a.example"},
		{URL: host + "/p?q=1", Host: host, Parent: host + "/", Scope: "a.example", Depth: 3, Hops: 2, Attempts: 1},
		{URL: "http://user@a.example:8080/x", Host: host, Parent: "https://other.example/from", Scope: "example"},
		{URL: host + "/robots.txt", Host: host, Key: "robots " + host, Exclusive: true, PerRun: true},
		{URL: host + "/again", Host: host, Prev: Validators{ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT", Hash: 1 << 63, FetchedAt: time.Unix(1700000000, 5)}},
		{URL: host + "/" + strings.Repeat("long", 600), Host: host, Parent: "http://b/" + strings.Repeat("p", 3000), Depth: 1 << 20},
	}
	var q queue
	var syms symbols
	for range 300 { // across many chunks
		for _, it := range items {
			q.pushBack(it, host, &syms)
		}
	}
	if q.len() != 300*len(items) {
		t.Fatalf("len %d", q.len())
	}
	for i := range 300 * len(items) {
		want := items[i%len(items)]
		if q.headExclusive() != want.Exclusive {
			t.Fatalf("item %d: headExclusive %v", i, q.headExclusive())
		}
		if got := q.popFront(host, &syms); !reflect.DeepEqual(got, want) {
			t.Fatalf("item %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if q.len() != 0 || q.chunks != nil {
		t.Fatalf("queue not empty: len %d, %d chunks", q.len(), len(q.chunks))
	}
}

func TestQueueFrontFirst(t *testing.T) {
	const host = "http://h"
	var q queue
	var syms symbols
	q.pushBack(Item{URL: host + "/1", Host: host}, host, &syms)
	q.pushBack(Item{URL: host + "/2", Host: host}, host, &syms)
	q.pushFront(Item{URL: host + "/retry", Host: host})
	q.pushFront(Item{URL: host + "/robots.txt", Host: host, Exclusive: true})
	var got []string
	for q.len() > 0 {
		got = append(got, strings.TrimPrefix(q.popFront(host, &syms).URL, host))
	}
	if want := "[/robots.txt /retry /1 /2]"; fmt.Sprint(got) != want {
		t.Fatalf("order %v, want %v", got, want)
	}
}

// nopSeen accepts every key, so benchmarks measure the frontier alone.
type nopSeen struct{}

func (nopSeen) Add(_ context.Context, keys []string, isNew []bool) error {
	for i := range isNew {
		isNew[i] = true
	}
	return nil
}

func BenchmarkPushNextDone(b *testing.B) {
	m := NewMemory(nopSeen{}, Config{PerHost: 64})
	ctx := context.Background()
	const host = "http://127.0.0.1:8080"
	batch := make([]Item, 10)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j := range batch {
			batch[j] = Item{URL: fmt.Sprintf("%s/p/%d", host, i*10+j), Host: host, Parent: host + "/p/1", Scope: "127.0.0.1", Depth: 3}
		}
		if _, err := m.Push(ctx, batch); err != nil {
			b.Fatal(err)
		}
		for range batch {
			l, err := m.Next(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if err := m.Release(ctx, l, true); err != nil {
				b.Fatal(err)
			}
		}
	}
}
