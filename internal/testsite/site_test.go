package testsite

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func newSite(t *testing.T, cfg SiteConfig) *Site {
	t.Helper()
	s, err := NewSite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLinksReachEveryPage walks the link graph breadth-first from page 0
// and checks that it covers every page within about log_L(N) steps.
func TestLinksReachEveryPage(t *testing.T) {
	for _, cfg := range []SiteConfig{
		{Pages: 1, Links: 0},
		{Pages: 1, Links: 10},
		{Pages: 7, Links: 1},
		{Pages: 100, Links: 2},
		{Pages: 1000, Links: 3},
		{Pages: 10, Links: 20},
		{Pages: 20000, Links: 10},
		{Pages: 1000000, Links: 10},
	} {
		s := newSite(t, cfg)
		depth := make([]int, cfg.Pages)
		for i := range depth {
			depth[i] = -1
		}
		depth[0] = 0
		maxDepth, seen := 0, 1
		for queue := []int{0}; len(queue) > 0; queue = queue[1:] {
			for _, j := range s.Links(queue[0]) {
				if depth[j] < 0 {
					depth[j] = depth[queue[0]] + 1
					maxDepth = max(maxDepth, depth[j])
					seen++
					queue = append(queue, j)
				}
			}
		}
		if seen != cfg.Pages {
			t.Errorf("%+v: %d pages reachable from /p/0, want %d", cfg, seen, cfg.Pages)
		}
		if want := treeDepth(cfg); maxDepth > want {
			t.Errorf("%+v: deepest page at depth %d, want at most %d", cfg, maxDepth, want)
		}
	}
}

// treeDepth is the depth of the deepest page of a complete L-ary tree of
// N pages.
func treeDepth(cfg SiteConfig) int {
	if cfg.Links <= 1 {
		return cfg.Pages - 1
	}
	return int(math.Ceil(math.Log(float64(cfg.Pages*(cfg.Links-1)+1)/float64(cfg.Links)) / math.Log(float64(cfg.Links))))
}

var hrefRE = regexp.MustCompile(`<a href="(/p/[0-9]+)">`)

// TestCrawlOverHTTP crawls the site the way a crawler does, over HTTP
// from /p/0, and checks that every page is served once, with a title and
// the links Links promises.
func TestCrawlOverHTTP(t *testing.T) {
	srv, err := Serve(SiteConfig{Pages: 500, Size: 1024, Links: 4}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	site, base := srv.Sites[0], srv.URLs[0]
	seen := map[string]bool{"/p/0": true}
	for queue := []string{"/p/0"}; len(queue) > 0; queue = queue[1:] {
		body := get(t, base+queue[0], http.StatusOK)
		i, _ := strconv.Atoi(strings.TrimPrefix(queue[0], "/p/"))
		if title := "<title>Page " + strconv.Itoa(i) + "</title>"; !strings.Contains(body, title) {
			t.Fatalf("%s: no %s in\n%s", queue[0], title, body)
		}
		var links []int
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			j, _ := strconv.Atoi(strings.TrimPrefix(m[1], "/p/"))
			links = append(links, j)
			if !seen[m[1]] {
				seen[m[1]] = true
				queue = append(queue, m[1])
			}
		}
		if want := site.Links(i); !equal(links, want) {
			t.Fatalf("%s links to %v, want %v", queue[0], links, want)
		}
	}
	if err := site.CheckOnce(); err != nil {
		t.Fatal(err)
	}
	if got := site.PageHits(); got != 500 {
		t.Errorf("PageHits = %d, want 500", got)
	}

	get(t, base+"/p/3", http.StatusOK)
	err = site.CheckOnce()
	if err == nil || !strings.Contains(err.Error(), "1 more than once (/p/3)") {
		t.Errorf("after a second hit on /p/3: CheckOnce = %v", err)
	}
	site.Reset()
	c := site.Coverage()
	if c.Hit != 0 || c.PageHits != 0 || site.Requests() != 0 {
		t.Errorf("after Reset: %+v, %d requests", c, site.Requests())
	}
	if want := "0/500 pages (never: /p/0 /p/1 /p/2 /p/3 /p/4 ...)"; c.String() != want {
		t.Errorf("Coverage after Reset = %q, want %q", c, want)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func get(t *testing.T, url string, status int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, status)
	}
	return string(body)
}

func TestPageSizeAndDeterminism(t *testing.T) {
	cfg := SiteConfig{Pages: 20000, Size: 8192, Links: 10}
	a, b := newSite(t, cfg), newSite(t, cfg)
	for _, i := range []int{0, 1, 999, 19999} {
		page := a.Page(i)
		if len(page) != cfg.Size {
			t.Errorf("page %d is %d bytes, want %d", i, len(page), cfg.Size)
		}
		if !bytes.Equal(page, b.Page(i)) {
			t.Errorf("page %d differs between two sites of the same config", i)
		}
		if !bytes.HasSuffix(page, []byte("</p>\n</body></html>\n")) {
			t.Errorf("page %d does not end its markup: %q", i, page[len(page)-40:])
		}
	}
	small := newSite(t, SiteConfig{Pages: 10, Size: 10, Links: 3}).Page(5)
	if !bytes.Contains(small, []byte(`<a href="/p/6">`)) || !bytes.HasSuffix(small, []byte("</html>\n")) {
		t.Errorf("a page smaller than its markup lost markup:\n%s", small)
	}
}

func TestServeHTTP(t *testing.T) {
	s := newSite(t, SiteConfig{Pages: 10, Size: 100, Links: 2})
	for _, tt := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/robots.txt", 200, "User-agent: *\nAllow: /\n"},
		{"GET", "/p/9", 200, "<title>Page 9</title>"},
		{"HEAD", "/p/0", 200, ""},
		{"POST", "/p/0", 405, ""},
		{"GET", "/p/10", 404, ""},
		{"GET", "/p/01", 404, ""},
		{"GET", "/p/-1", 404, ""},
		{"GET", "/p/", 404, ""},
		{"GET", "/p/99999999999999999999", 404, ""},
		{"GET", "/", 404, ""},
	} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s %s: %d %q, want %d with %q", tt.method, tt.path, w.Code, w.Body, tt.status, tt.body)
		}
	}
	if s.RobotsHits() != 1 || s.Hits(9) != 1 || s.Hits(0) != 2 || s.PageHits() != 3 || s.Requests() != 10 {
		t.Errorf("counters: robots %d, /p/9 %d, /p/0 %d, pages %d, requests %d; want 1, 1, 2, 3, 10",
			s.RobotsHits(), s.Hits(9), s.Hits(0), s.PageHits(), s.Requests())
	}
}

func TestLatency(t *testing.T) {
	s := newSite(t, SiteConfig{Pages: 1, Latency: 20 * time.Millisecond})
	start := time.Now()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/p/0", nil))
	if d := time.Since(start); d < 20*time.Millisecond || w.Code != 200 {
		t.Errorf("answered %d after %v, want 200 after 20ms", w.Code, d)
	}

	// A client that went away gets no response and holds no goroutine.
	s = newSite(t, SiteConfig{Pages: 1, Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w = httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/p/0", nil).WithContext(ctx))
	if w.Body.Len() != 0 || s.Hits(0) != 1 {
		t.Errorf("cancelled request: body %q, %d hits; want none, 1", w.Body, s.Hits(0))
	}
}

// TestConcurrentHits counts hits from many goroutines (run with -race).
func TestConcurrentHits(t *testing.T) {
	s := newSite(t, SiteConfig{Pages: 64, Size: 512, Links: 3})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 64 {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, httptest.NewRequest("GET", Path((i+g)%64), nil))
			}
		})
	}
	wg.Wait()
	c := s.Coverage()
	if c.Hit != 64 || c.Repeated != 64 || c.PageHits != 16*64 || s.Hits(5) != 16 {
		t.Errorf("coverage %+v, /p/5 hit %d times; want every page hit 16 times", c, s.Hits(5))
	}
}

func TestServeLoopback(t *testing.T) {
	srv, err := ServeLoopback(3, SiteConfig{Pages: 2, Links: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if len(srv.URLs) != 3 || srv.URLs[0] == srv.URLs[1] {
		t.Fatalf("URLs = %v, want 3 distinct", srv.URLs)
	}
	for i, u := range srv.URLs {
		for range i + 1 {
			get(t, u+"/p/1", http.StatusOK)
		}
	}
	for i, site := range srv.Sites {
		if got := site.Hits(1); got != i+1 {
			t.Errorf("site %d: /p/1 hit %d times, want %d", i, got, i+1)
		}
	}
	c := srv.Coverage()
	if c.Pages != 6 || c.Hit != 3 || c.Repeated != 2 || srv.PageHits() != 6 {
		t.Errorf("coverage %+v, %d page hits; want 3/6 pages hit, 2 repeated, 6 hits", c, srv.PageHits())
	}
	srv.Reset()
	if srv.PageHits() != 0 {
		t.Errorf("after Reset: %d page hits", srv.PageHits())
	}
}

// BenchmarkServePage is the handler's own cost per page, without the
// network: it must stay small beside net/http's.
func BenchmarkServePage(b *testing.B) {
	s, err := NewSite(SiteConfig{Pages: 20000, Size: 8192, Links: 10})
	if err != nil {
		b.Fatal(err)
	}
	w := &discardWriter{header: http.Header{}}
	req := httptest.NewRequest("GET", "/p/12345", nil)
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(w, req)
	}
}

type discardWriter struct{ header http.Header }

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}
