package fetch

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func TestRetryable(t *testing.T) {
	for status, want := range map[int]bool{
		200: false, 301: false, 304: false, 400: false, 403: false, 404: false, 410: false,
		408: true, 429: true, 500: true, 501: false, 502: true, 503: true, 504: true, 505: false,
	} {
		if got := Retryable(&Response{Status: status}); got != want {
			t.Errorf("Retryable(status %d) = %v, want %v", status, got, want)
		}
	}
	if !Retryable(&Response{Err: errors.New("connection reset")}) {
		t.Error("a network error is not retryable")
	}
	if Retryable(&Response{Err: ErrTooManyRedirects}) {
		t.Error("too many redirects is retryable")
	}
}

func TestBackoff(t *testing.T) {
	fail := &Response{Status: 503}
	for _, tc := range []struct {
		jitter  float64
		attempt int
		want    time.Duration
	}{
		{0, 1, 500 * time.Millisecond},
		{0, 2, time.Second},
		{0, 3, 2 * time.Second},
		{0.99999, 1, 624999 * time.Microsecond},
		{0.5, 3, 2250 * time.Millisecond},
		{0, 7, 30 * time.Second},   // 32s capped
		{0.9, 6, 30 * time.Second}, // 16s + 3.6s jitter... 19.6s; see below
		{0, 60, 30 * time.Second},
	} {
		p := Policy{Retries: 100, Jitter: func() float64 { return tc.jitter }}
		got, ok := p.Next(tc.attempt, fail, now)
		want := tc.want
		if tc.attempt == 6 {
			want = 16*time.Second + 3600*time.Millisecond
		}
		if !ok || got.Round(time.Microsecond) != want {
			t.Errorf("attempt %d jitter %v: %v, %v; want %v", tc.attempt, tc.jitter, got, ok, want)
		}
	}
}

func TestRetriesRunOut(t *testing.T) {
	p := Policy{Retries: 2}
	fail := &Response{Status: 500}
	for attempt, want := range []bool{true, true, false} {
		if _, ok := p.Next(attempt+1, fail, now); ok != want {
			t.Errorf("after attempt %d: retry = %v, want %v", attempt+1, ok, want)
		}
	}
	if _, ok := (Policy{Retries: 0}).Next(1, fail, now); ok {
		t.Error("--retries 0 retried")
	}
	if _, ok := p.Next(1, &Response{Status: 404}, now); ok {
		t.Error("404 retried")
	}
}

func TestRetryAfter(t *testing.T) {
	p := Policy{Retries: 5, Jitter: func() float64 { return 0 }}
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"3", 3 * time.Second},
		{"0", 500 * time.Millisecond}, // the backoff is longer
		{"3600", 60 * time.Second},    // capped
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 500 * time.Millisecond},
		{"soon", 500 * time.Millisecond},
		{"-5", 500 * time.Millisecond},
	} {
		r := &Response{Status: 429, Header: http.Header{"Retry-After": {tc.header}}}
		if got, ok := p.Next(1, r, now); !ok || got != tc.want {
			t.Errorf("Retry-After %q: %v, %v; want %v", tc.header, got, ok, tc.want)
		}
	}
}
