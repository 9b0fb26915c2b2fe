package testsite

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// SiteConfig describes a synthetic site.
type SiteConfig struct {
	Pages   int           // pages /p/0 .. /p/Pages-1 (at least 1)
	Size    int           // body bytes of a page, reached by padding with text; a page is never shorter than its markup
	Links   int           // links on every page (0 or more)
	Latency time.Duration // added before every response, cut short when the client goes away
}

// Site is a synthetic web site for benchmarks and tests: an http.Handler
// serving Pages deterministic HTML pages at /p/<i> and an allow-all
// /robots.txt. Page i links to pages i*L+1 .. i*L+L modulo Pages (L =
// Links): the first pages form an L-ary tree, so a breadth-first crawl
// from /p/0 reaches every page, page j at depth about log_L(j), and the
// pages past the tree's leaves link back into it, as real sites do, giving
// the crawler links to deduplicate.
//
// Pages are rendered into pooled buffers and hits are counted with one
// atomic counter per page, so the server costs little beside the crawler
// it serves. A Site is safe for concurrent use.
type Site struct {
	cfg      SiteConfig
	hits     []atomic.Uint32 // per page
	pageHits atomic.Int64
	robots   atomic.Int64
	requests atomic.Int64 // every request, pages, robots.txt and 404s alike
	pad      []byte       // filler text, cfg.Size bytes
	bufs     sync.Pool    // *[]byte
}

// NewSite returns a site for cfg.
func NewSite(cfg SiteConfig) (*Site, error) {
	if cfg.Pages < 1 || cfg.Links < 0 || cfg.Size < 0 || cfg.Latency < 0 {
		return nil, errors.New("testsite: site needs at least one page and no negative size, links or latency")
	}
	s := &Site{cfg: cfg, hits: make([]atomic.Uint32, cfg.Pages), pad: filler(cfg.Size)}
	s.bufs.New = func() any { b := make([]byte, 0, cfg.Size+cfg.Links*48+256); return &b }
	return s, nil
}

// Config returns the site's configuration.
func (s *Site) Config() SiteConfig { return s.cfg }

// Path returns the path of page i.
func Path(i int) string { return "/p/" + strconv.Itoa(i) }

// Links returns the pages that page i links to, in document order.
func (s *Site) Links(i int) []int {
	links := make([]int, s.cfg.Links)
	for k := range links {
		links[k] = s.link(i, k)
	}
	return links
}

// link is the page of page i's k-th link.
func (s *Site) link(i, k int) int { return (i*s.cfg.Links + k + 1) % s.cfg.Pages }

// Page returns the body of page i.
func (s *Site) Page(i int) []byte { return s.appendPage(nil, i) }

const robotsTxt = "User-agent: *\nAllow: /\n"

// ServeHTTP serves /p/<i>, /robots.txt, and 404 for every other path.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	page, isPage := parsePage(r.URL.Path)
	isPage = isPage && page < s.cfg.Pages
	if isPage {
		s.hits[page].Add(1)
		s.pageHits.Add(1)
	} else if r.URL.Path == "/robots.txt" {
		s.robots.Add(1)
	}
	if !s.wait(r) {
		return
	}
	h := w.Header()
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	case isPage:
		bp := s.bufs.Get().(*[]byte)
		body := s.appendPage((*bp)[:0], page)
		h["Content-Type"] = htmlType
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		_, _ = w.Write(body) // the client went away: nothing to do
		*bp = body
		s.bufs.Put(bp)
	case r.URL.Path == "/robots.txt":
		h["Content-Type"] = textType
		_, _ = w.Write([]byte(robotsTxt))
	default:
		http.NotFound(w, r)
	}
}

// Header values shared by every response; net/http only reads them.
var (
	htmlType = []string{"text/html; charset=utf-8"}
	textType = []string{"text/plain; charset=utf-8"}
)

// wait holds the response for the configured latency; it reports false
// when the client went away first.
func (s *Site) wait(r *http.Request) bool {
	if s.cfg.Latency <= 0 {
		return true
	}
	t := time.NewTimer(s.cfg.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// parsePage returns i from "/p/<i>" written without sign or leading
// zeros, so every page has exactly one path.
func parsePage(path string) (int, bool) {
	const prefix = "/p/"
	if len(path) <= len(prefix) || path[:len(prefix)] != prefix || len(path) > len(prefix)+9 {
		return 0, false
	}
	digits := path[len(prefix):]
	if digits[0] == '0' && len(digits) > 1 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// appendPage appends the body of page i to dst.
func (s *Site) appendPage(dst []byte, i int) []byte {
	start := len(dst)
	dst = append(dst, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Page "...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, "</title></head>\n<body>\n<h1>Page "...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, "</h1>\n<ul>\n"...)
	for k := range s.cfg.Links {
		j := int64(s.link(i, k))
		dst = append(dst, `<li><a href="/p/`...)
		dst = strconv.AppendInt(dst, j, 10)
		dst = append(dst, `">page `...)
		dst = strconv.AppendInt(dst, j, 10)
		dst = append(dst, "</a></li>\n"...)
	}
	dst = append(dst, "</ul>\n<p>"...)
	const footer = "</p>\n</body></html>\n"
	if n := s.cfg.Size - (len(dst) - start) - len(footer); n > 0 {
		dst = append(dst, s.pad[:n]...)
	}
	return append(dst, footer...)
}

// filler returns n bytes of plain words, safe inside a <p>.
func filler(n int) []byte {
	const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua\n"
	b := make([]byte, 0, n+len(words))
	for len(b) < n {
		b = append(b, words...)
	}
	return b[:n]
}
