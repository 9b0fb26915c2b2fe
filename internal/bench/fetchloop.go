package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// FetchLoop is the fetch-only limit that a crawler is compared with: it
// GETs base/p/0 .. base/p/n-1 once each from workers goroutines over one
// keep-alive transport, reading and discarding the bodies, with no
// parsing, deduplication or output. It returns how many requests failed
// (no response, or a status other than 200).
func FetchLoop(ctx context.Context, base string, n, workers int) (failed int64, err error) {
	tr := &http.Transport{
		MaxIdleConns:        workers,
		MaxIdleConnsPerHost: workers,
		IdleConnTimeout:     90 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var next, bad atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n) && ctx.Err() == nil; i = next.Add(1) - 1 {
				if !fetch(ctx, client, base+"/p/"+strconv.FormatInt(i, 10)) {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return bad.Load(), fmt.Errorf("bench: fetch loop: %w", err)
	}
	return bad.Load(), nil
}

// fetch GETs url and discards the body; it reports whether a 200 came
// whole.
func fetch(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK
}
