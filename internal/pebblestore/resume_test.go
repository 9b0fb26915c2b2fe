package pebblestore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

// TestResumeAfterCrash leases, completes and retries items, copies the
// directory as a kill -9 would leave it, and resumes from the copy.
func TestResumeAfterCrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	_, f := open(t, dir, Options{})
	a := "http://a"
	mustPush(t, f, items(a, "/1", "/2", "/3", "/4", "/5", "/6")...)
	mustPush(t, f, items("http://b", "/1")...)
	ls := map[string]*frontier.Lease{}
	for range 5 {
		l := mustNext(t, f)
		ls[l.URL] = l
	}
	if len(ls) != 5 || ls[a+"/4"] == nil {
		t.Fatalf("leased %v", ls)
	}
	finish(t, f, ls[a+"/1"], ok200)
	finish(t, f, ls[a+"/2"], frontier.Result{Failed: true})
	l3 := ls[a+"/3"]
	l3.Attempts++
	if err := f.Retry(ctx, l3, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, ls[a+"/4"], true); err != nil { // released, never completed
		t.Fatal(err)
	}
	// a/4 and one other lease are out when the process dies.

	_, f2 := open(t, crashCopy(t, dir), Options{})
	if n := mustPush(t, f2, items(a, "/1", "/2", "/3", "/5")...); n != 0 {
		t.Fatalf("after resume, Push of known URLs added %d", n)
	}
	var gotA []string
	for _, u := range drain(t, f2) {
		if u[:len(a)] == a {
			gotA = append(gotA, u)
		}
	}
	want := []string{a + "/3", a + "/4", a + "/5", a + "/6"}
	if !slices.Equal(gotA, want) {
		t.Fatalf("host a after resume: %v, want %v", gotA, want)
	}
}

// TestRetryAttemptsSurvive checks that a retried item comes back first,
// with its attempts, after a clean Close.
func TestRetryAttemptsSurvive(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, f := open(t, dir, Options{})
	mustPush(t, f, items("http://a", "/1", "/2")...)
	l := mustNext(t, f)
	l.Attempts = 3
	if err := f.Retry(ctx, l, time.Now()); err != nil {
		t.Fatal(err)
	}
	mustNext(t, f) // a/1 again, leased when the crawl stops
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, f2 := open(t, dir, Options{})
	l = mustNext(t, f2)
	if l.URL != "http://a/1" || l.Attempts != 3 {
		t.Fatalf("first after reopen: %s attempts %d, want http://a/1 attempts 3", l.URL, l.Attempts)
	}
}

func TestPerRunKeyOncePerRun(t *testing.T) {
	dir := t.TempDir()
	robots := frontier.Item{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a",
		Exclusive: true, PerRun: true}
	for run := 1; run <= 3; run++ {
		db, f := open(t, dir, Options{})
		mustPush(t, f, items("http://a", "/")...)
		if n := mustPush(t, f, robots); n != 1 {
			t.Fatalf("run %d: first Push of the robots item added %d", run, n)
		}
		if n := mustPush(t, f, robots); n != 0 {
			t.Fatalf("run %d: second Push of the robots item added %d", run, n)
		}
		l := mustNext(t, f)
		if !l.Exclusive || l.Key != robots.Key {
			t.Fatalf("run %d: first out %+v, want the robots item", run, l.Item)
		}
		finish(t, f, l, ok200)
		if n := mustPush(t, f, robots); n != 0 {
			t.Fatalf("run %d: Push after completing added %d", run, n)
		}
		drain(t, f)
		if db.Run() != uint64(run) {
			t.Fatalf("run id %d, want %d", db.Run(), run)
		}
		db.Close()
	}
}

// TestItemRoundTrip pushes items with every field set and checks that
// they come back equal, from memory and from disk.
func TestItemRoundTrip(t *testing.T) {
	at := time.Unix(0, epoch.UnixNano())
	its := []frontier.Item{
		{URL: "http://a/x?q=1", Host: "http://a", Key: "k1", Parent: "http://a/", Scope: "a", Depth: 3, Hops: 2,
			Attempts: 1, PerRun: true, Prev: frontier.Validators{ETag: `"e"`, LastModified: "Mon", Hash: 1<<64 - 1, FetchedAt: at}},
		{URL: "http://u@a/y", Host: "http://a", Parent: "https://b:8443/p", Scope: "http://a", Depth: -1},
		{URL: "http://a/robots.txt", Host: "http://a", Key: "robots http://a", Exclusive: true},
		{URL: "http://a/", Host: "http://a", Prev: frontier.Validators{Hash: 5}},
	}
	for _, viaDisk := range []bool{false, true} {
		t.Run(fmt.Sprintf("disk=%v", viaDisk), func(t *testing.T) {
			dir := t.TempDir()
			db, f := open(t, dir, Options{})
			if n := mustPush(t, f, its...); n != len(its) {
				t.Fatalf("pushed %d", n)
			}
			if viaDisk {
				db.Close()
				_, f = open(t, dir, Options{})
			}
			got := map[string]frontier.Item{}
			for range its {
				l := mustNext(t, f)
				got[l.URL] = l.Item
				finish(t, f, l, ok200)
			}
			for _, want := range its {
				if g := got[want.URL]; g != want {
					t.Errorf("got  %+v\nwant %+v", g, want)
				}
			}
		})
	}
}

// TestLongQueues pushes more items than the memory budget over two
// hosts and checks the per-host order and the bound, before and after a
// reopen.
func TestLongQueues(t *testing.T) {
	const n = maxBuffered + 2000
	dir := t.TempDir()
	db, f := open(t, dir, Options{})
	var batch []frontier.Item
	for i := range n {
		h := "http://a"
		if i%3 == 0 {
			h = "http://b"
		}
		batch = append(batch, items(h, fmt.Sprintf("/%d", i))...)
		if len(batch) == 100 {
			mustPush(t, f, batch...)
			batch = batch[:0]
		}
	}
	checkOrder := func(f *Frontier, from int) {
		last := map[string]int{"http://a": from - 1, "http://b": from - 1}
		count := 0
		for {
			l, err := f.Next(context.Background())
			if err != nil {
				break
			}
			var i int
			fmt.Sscanf(l.URL[len(l.Host):], "/%d", &i)
			if i <= last[l.Host] {
				t.Fatalf("%s after /%d", l.URL, last[l.Host])
			}
			last[l.Host] = i
			if s := f.Stats(); s.Buffered > maxBuffered {
				t.Fatalf("%d items buffered", s.Buffered)
			}
			finish(t, f, l, ok200)
			if count++; from == 0 && count == n/2 {
				return
			}
		}
	}
	checkOrder(f, 0)
	db.Close()
	_, f = open(t, dir, Options{})
	checkOrder(f, 0)
	if s := f.Stats(); s.Pending != 0 || s.Leased != 0 {
		t.Fatalf("after draining: %+v", s)
	}
}

func TestCloseWakesNext(t *testing.T) {
	db, f := open(t, t.TempDir(), Options{})
	mustPush(t, f, items("http://a", "/")...)
	mustNext(t, f)
	errc := make(chan error, 1)
	go func() {
		_, err := f.Next(context.Background())
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err != ErrClosed {
			t.Fatalf("Next after Close: %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next did not return after Close")
	}
	if _, err := f.Push(context.Background(), items("http://a", "/2")); err != ErrClosed {
		t.Fatalf("Push after Close: %v", err)
	}
}
