package pebblestore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

// TestStress runs workers that push links (many of them duplicates),
// retry some leases and complete the rest, then checks that every URL
// was completed exactly once and that the state agrees after a reopen.
func TestStress(t *testing.T) {
	const hosts, seeds, workers = 20, 400, 8
	dir := t.TempDir()
	db, f := open(t, dir, Options{})
	for i := range seeds {
		h := fmt.Sprintf("http://h%d", i%hosts)
		mustPush(t, f, items(h, fmt.Sprintf("/%d", i))...)
	}
	var mu sync.Mutex
	completed := map[string]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := stressWorker(f, w, &mu, completed); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Each seed has 2 children, each child's links are all known.
	if want := 3 * seeds; len(completed) != want {
		t.Fatalf("%d URLs completed, want %d", len(completed), want)
	}
	for u, n := range completed {
		if n != 1 {
			t.Fatalf("%s completed %d times", u, n)
		}
	}
	db.Close()
	s, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.URLs != 3*seeds || s.Done != 3*seeds || s.Queued != 0 {
		t.Fatalf("summary %+v", s)
	}
}

func stressWorker(f *Frontier, w int, mu *sync.Mutex, completed map[string]int) error {
	ctx := context.Background()
	for i := 0; ; i++ {
		l, err := f.Next(ctx)
		if errors.Is(err, frontier.ErrDrained) {
			return nil
		}
		if err != nil {
			return err
		}
		if l.Attempts == 0 && (i+w)%7 == 0 {
			l.Attempts++
			if err := f.Retry(ctx, l, time.Now()); err != nil {
				return err
			}
			continue
		}
		var links []frontier.Item
		if l.Depth < 1 {
			for c := range 2 {
				links = append(links, frontier.Item{URL: fmt.Sprintf("%s/c%d", l.URL, c), Host: l.Host, Depth: l.Depth + 1})
			}
		}
		links = append(links, frontier.Item{URL: l.URL, Host: l.Host}) // a link to itself
		if _, err := f.Push(ctx, links); err != nil {
			return err
		}
		if err := f.Release(ctx, l, true); err != nil {
			return err
		}
		l.Result = frontier.Result{Status: 200, Recorded: true}
		mu.Lock()
		completed[l.URL]++
		mu.Unlock()
		if err := f.Complete(ctx, []*frontier.Lease{l}); err != nil {
			return err
		}
	}
}
