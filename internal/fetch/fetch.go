package fetch

import (
	"bytes"
	"context"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// RobotsMaxBody is the most of a robots.txt read (RFC 9309 asks for at
// least 500 KiB).
const RobotsMaxBody = 500 << 10

// robotsMaxRedirects is how many redirects a robots.txt fetch follows.
const robotsMaxRedirects = 5

// ErrTooManyRedirects is the error of a robots.txt fetch that redirected
// more than five times.
var ErrTooManyRedirects = errors.New("fetch: too many redirects")

// Config is how a Fetcher makes requests.
type Config struct {
	// UserAgent is sent on every request.
	UserAgent string
	// Header holds extra headers sent on every request; a User-Agent or
	// Host here overrides the defaults.
	Header http.Header
	// Timeout bounds one attempt, from connect to the end of the body.
	Timeout time.Duration
	// MaxBody is the most body bytes read, after decompression.
	MaxBody int64
	// IdlePerHost is how many idle connections to keep per host; set it
	// to the crawl's per-host concurrency.
	IdlePerHost int
	// HashBodies makes every Response carry a hash of its body (for
	// change detection across crawls).
	HashBodies bool
	// Transport replaces the default transport (tests).
	Transport http.RoundTripper
}

// Conditional holds the validators of an earlier fetch of a URL; Get then
// asks the server whether the page changed (If-None-Match,
// If-Modified-Since), which it may answer with 304 Not Modified.
type Conditional struct {
	ETag         string
	LastModified string
}

// Response is the outcome of one attempt.
type Response struct {
	URL         string
	Status      int    // 0 when no response came
	ContentType string // the Content-Type header
	Header      http.Header
	// Body holds the bytes read when the caller asked for them.
	Body      []byte
	Size      int64 // body bytes read, after decompression
	Truncated bool  // the body was longer than the limit
	// Hash identifies the body read (with Config.HashBodies): its length
	// and CRC-32C, which hardware computes at memory speed.
	Hash     uint64
	Start    time.Time
	Duration time.Duration
	// Err is set when no usable response came: a network error, a
	// timeout, an error while reading the body.
	Err error

	buf  *bytes.Buffer // holds Body; back to the pool on Release
	pool *sync.Pool
}

// maxPooled is the largest body buffer kept for reuse; bigger ones, rare,
// are left to the garbage collector.
const maxPooled = 1 << 20

// Release gives Body's memory back for reuse by later fetches. Body must
// not be used afterwards. Calling it is optional, and more than once is
// harmless.
func (r *Response) Release() {
	if r.buf != nil && r.buf.Cap() <= maxPooled {
		r.pool.Put(r.buf)
	}
	r.buf, r.Body = nil, nil
}

// Fetcher makes HTTP requests. It is safe for concurrent use.
type Fetcher struct {
	cfg    Config
	client *http.Client
	robots *http.Client
	bufs   sync.Pool
}

// New returns a Fetcher for cfg.
func New(cfg Config) *Fetcher {
	rt := cfg.Transport
	if rt == nil {
		rt = newTransport(cfg)
	}
	f := &Fetcher{cfg: cfg}
	f.client = &http.Client{
		Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	f.robots = &http.Client{
		Transport: rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > robotsMaxRedirects {
				return ErrTooManyRedirects
			}
			f.setHeaders(req)
			return nil
		},
	}
	f.bufs.New = func() any { return new(bytes.Buffer) }
	return f
}

func newTransport(cfg Config) *http.Transport {
	dialer := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           0, // no limit: hosts × IdlePerHost
		MaxIdleConnsPerHost:    max(cfg.IdlePerHost, 2),
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    cfg.Timeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
}

// Close closes idle connections.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// Get makes one attempt at url, conditional when cond has validators.
// When keepBody reports true for the response's Content-Type, the body is
// returned in Response.Body; otherwise it is only counted.
func (f *Fetcher) Get(ctx context.Context, url string, cond Conditional, keepBody func(contentType string) bool) *Response {
	return f.do(ctx, f.client, url, cond, f.cfg.MaxBody, keepBody)
}

// Robots fetches robots.txt of hostKey (scheme://host[:port]), following
// up to five redirects, body kept and cut at RobotsMaxBody.
func (f *Fetcher) Robots(ctx context.Context, hostKey string) *Response {
	return f.do(ctx, f.robots, hostKey+"/robots.txt", Conditional{}, RobotsMaxBody, func(string) bool { return true })
}

func (f *Fetcher) do(ctx context.Context, c *http.Client, url string, cond Conditional, limit int64, keepBody func(string) bool) *Response {
	r := &Response{URL: url, Start: time.Now()}
	defer func() { r.Duration = time.Since(r.Start) }()
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		r.Err = err
		return r
	}
	f.setHeaders(req)
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	resp, err := c.Do(req)
	if err != nil {
		r.Err = err
		return r
	}
	defer resp.Body.Close()
	r.Status = resp.StatusCode
	r.Header = resp.Header
	r.ContentType = resp.Header.Get("Content-Type")
	keep := keepBody != nil && keepBody(r.ContentType)
	f.read(r, resp.Body, limit, keep)
	return r
}

// read reads at most limit bytes of r's body into r, keeping them when
// keep is set.
func (f *Fetcher) read(r *Response, body io.Reader, limit int64, keep bool) {
	lr := io.LimitedReader{R: body, N: limit + 1}
	if f.cfg.HashBodies {
		h := crc32.New(castagnoli)
		defer func() { r.Hash = uint64(r.Size)<<32 | uint64(h.Sum32()) }()
		body = io.TeeReader(&lr, &hashUpTo{h, limit})
	} else {
		body = &lr
	}
	var n int64
	if keep {
		r.buf, r.pool = f.bufs.Get().(*bytes.Buffer), &f.bufs
		r.buf.Reset()
		n, r.Err = r.buf.ReadFrom(body)
		r.Body = r.buf.Bytes()
	} else {
		n, r.Err = io.Copy(io.Discard, body)
	}
	if n > limit {
		r.Truncated = true
		n = limit
		if r.Body != nil {
			r.Body = r.Body[:limit]
		}
	}
	r.Size = n
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// hashUpTo hashes the first left bytes written to it: the byte read past
// the limit, to detect truncation, is not part of the body.
type hashUpTo struct {
	h    hash.Hash32
	left int64
}

func (w *hashUpTo) Write(p []byte) (int, error) {
	n := len(p)
	if int64(len(p)) > w.left {
		p = p[:w.left]
	}
	w.left -= int64(len(p))
	w.h.Write(p)
	return n, nil
}

func (f *Fetcher) setHeaders(req *http.Request) {
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	for k, vs := range f.cfg.Header {
		if http.CanonicalHeaderKey(k) == "Host" {
			req.Host = vs[len(vs)-1]
			continue
		}
		req.Header[k] = vs
	}
}
