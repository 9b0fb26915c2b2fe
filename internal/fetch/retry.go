package fetch

import (
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy decides whether a failed attempt is tried again, and when.
type Policy struct {
	// Retries is how many further attempts follow a retryable failure.
	Retries int
	// Base is the first backoff (500 ms by default); it doubles with each
	// attempt, up to Max (30 s by default).
	Base, Max time.Duration
	// MaxRetryAfter caps a server's Retry-After (60 s by default).
	MaxRetryAfter time.Duration
	// Jitter returns a number in [0, 1); nil means math/rand.
	Jitter func() float64
}

// Retryable reports whether a response is worth another attempt: a
// network error or timeout, or status 408, 429, 500, 502, 503 or 504.
func Retryable(r *Response) bool {
	if r.Err != nil {
		var certErr *x509.CertificateInvalidError
		var authErr x509.UnknownAuthorityError
		var hostErr x509.HostnameError
		switch {
		case errors.As(r.Err, &certErr), errors.As(r.Err, &authErr), errors.As(r.Err, &hostErr):
			return false // the next attempt would fail the same way
		case errors.Is(r.Err, ErrTooManyRedirects):
			return false
		}
		return true
	}
	switch r.Status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Next reports whether to try again after attempt number attempt (1 for
// the first) ended in r, and how long to wait before doing so: the
// backoff Base·2^(attempt-1), plus up to a quarter more of jitter, capped
// at Max; or the server's Retry-After when that is longer, capped at
// MaxRetryAfter.
func (p Policy) Next(attempt int, r *Response, now time.Time) (time.Duration, bool) {
	if attempt > p.Retries || !Retryable(r) {
		return 0, false
	}
	base, maxWait, maxRA := p.Base, p.Max, p.MaxRetryAfter
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	if maxRA <= 0 {
		maxRA = 60 * time.Second
	}
	d := maxWait
	if shift := attempt - 1; shift < 30 && base<<shift < maxWait {
		d = base << shift
	}
	jitter := p.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	d = min(d+time.Duration(jitter()*float64(d)/4), maxWait)
	if r.Header != nil {
		if ra, ok := RetryAfter(r.Header.Get("Retry-After"), now); ok {
			d = max(d, min(ra, maxRA))
		}
	}
	return d, true
}

// RetryAfter parses a Retry-After value: delay seconds or an HTTP-date.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, 1<<30)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
