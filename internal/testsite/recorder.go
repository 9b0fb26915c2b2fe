// Package testsite serves web sites for the crawler's tests and
// benchmarks, and records what the server saw.
package testsite

import (
	"net/http"
	"sort"
	"sync"
	"time"
)

// Request is one request as the server saw it.
type Request struct {
	Host   string // Host header
	Path   string // path and query
	Start  time.Time
	End    time.Time
	Header http.Header
}

// Recorder wraps a handler and records every request it serves: hits per
// path, start and end times, and the most requests in flight at once. It
// is safe for concurrent use.
type Recorder struct {
	mu          sync.Mutex
	reqs        []Request
	inflight    int
	maxInflight int
	hit         chan struct{} // closed and replaced on every request
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{hit: make(chan struct{})} }

// Wrap returns h, recording.
func (rec *Recorder) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec.mu.Lock()
		rec.inflight++
		rec.maxInflight = max(rec.maxInflight, rec.inflight)
		rec.mu.Unlock()
		h.ServeHTTP(w, r)
		rec.mu.Lock()
		rec.inflight--
		rec.reqs = append(rec.reqs, Request{
			Host: r.Host, Path: r.URL.RequestURI(), Start: start, End: time.Now(), Header: r.Header.Clone(),
		})
		close(rec.hit)
		rec.hit = make(chan struct{})
		rec.mu.Unlock()
	})
}

// Requests returns the requests served so far, by start time.
func (rec *Recorder) Requests() []Request {
	rec.mu.Lock()
	reqs := append([]Request(nil), rec.reqs...)
	rec.mu.Unlock()
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Start.Before(reqs[j].Start) })
	return reqs
}

// Hits returns how many requests each path (with query) received.
func (rec *Recorder) Hits() map[string]int {
	hits := map[string]int{}
	for _, r := range rec.Requests() {
		hits[r.Path]++
	}
	return hits
}

// Total is how many requests were served.
func (rec *Recorder) Total() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.reqs)
}

// MaxInFlight is the most requests that were being served at once.
func (rec *Recorder) MaxInFlight() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.maxInflight
}

// Served returns a channel closed when the next request has been served.
func (rec *Recorder) Served() <-chan struct{} {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.hit
}

// WaitTotal blocks until at least n requests were served or the timeout
// passes; it reports whether they were.
func (rec *Recorder) WaitTotal(n int, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		served := rec.Served()
		if rec.Total() >= n {
			return true
		}
		select {
		case <-served:
		case <-deadline:
			return false
		}
	}
}
