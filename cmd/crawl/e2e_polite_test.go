package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRobotsTxt(t *testing.T) {
	s := newServer(t)
	s.robots("User-agent: *\nDisallow: /private\nDisallow: /*.pdf$\n\nUser-agent: otherbot\nDisallow: /\n")
	s.page("/", "root", "/public", "/private/x", "/doc.pdf", "/doc.pdf?x=1")
	s.page("/public", "public")
	s.page("/doc.pdf", "pdf?")
	r := run(t, "", args(s.URL, s.URL+"/private/seed")...) // robots.txt applies to seeds
	if r.has(s.URL + "/private/seed") {
		t.Error("a seed disallowed by robots.txt was fetched")
	}
	wantCode(t, r, 0)
	got := fmt.Sprint(sortedURLs(r))
	want := fmt.Sprint([]string{s.URL + "/", s.URL + "/doc.pdf?x=1", s.URL + "/public"})
	if got != want {
		t.Errorf("records %s, want %s", got, want)
	}
	if s.hits()["/robots.txt"] != 1 {
		t.Errorf("robots.txt requested %d times, want once", s.hits()["/robots.txt"])
	}
	if s.hits()["/private/x"] != 0 {
		t.Error("a disallowed page was requested")
	}
	if !strings.Contains(r.stderr, "robots 3") {
		t.Errorf("summary does not count 3 robots skips: %s", r.stderr)
	}
	// The product token of --user-agent picks its group.
	r = run(t, "", args("--user-agent", "OtherBot/2.0 (+x)", s.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 0 {
		t.Errorf("otherbot is disallowed everything, yet got %v", r.urls())
	}
	// --ignore-robots never asks.
	before := s.hits()["/robots.txt"]
	r = run(t, "", args("--ignore-robots", s.URL)...)
	wantCode(t, r, 0)
	if s.hits()["/robots.txt"] != before {
		t.Error("robots.txt requested with --ignore-robots")
	}
	if !r.has(s.URL + "/private/x") {
		t.Error("--ignore-robots did not fetch a disallowed page")
	}
}

func TestRobotsStatuses(t *testing.T) {
	for _, tc := range []struct {
		status  int
		fetched bool
		hits    int
	}{{404, true, 1}, {403, true, 1}, {500, false, 2}, {503, false, 2}} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			s := newServer(t)
			s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "robots", tc.status)
			})
			s.page("/", "root")
			r := run(t, "", args("--retries", "1", s.URL)...)
			wantCode(t, r, 0)
			if r.has(s.URL+"/") != tc.fetched {
				t.Errorf("seed fetched = %v, want %v", r.has(s.URL+"/"), tc.fetched)
			}
			if got := s.hits()["/robots.txt"]; got != tc.hits {
				t.Errorf("robots.txt requested %d times, want %d", got, tc.hits)
			}
		})
	}
}

func TestRobotsRedirectAndHeaders(t *testing.T) {
	s := newServer(t)
	s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/real-robots.txt", http.StatusMovedPermanently)
	})
	s.handle("/real-robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /no\n")
	})
	s.page("/", "root", "/no", "/yes")
	s.page("/yes", "yes")
	r := run(t, "", args("-H", "X-Crawl-Test: 42", "-H", "Accept-Language: fr", s.URL)...)
	wantCode(t, r, 0)
	if r.has(s.URL+"/no") || !r.has(s.URL+"/yes") {
		t.Errorf("records %v: robots.txt behind a redirect not obeyed", r.urls())
	}
	for _, q := range s.rec.Requests() {
		if q.Header.Get("X-Crawl-Test") != "42" || q.Header.Get("Accept-Language") != "fr" {
			t.Errorf("request for %s lacks the -H headers: %v", q.Path, q.Header)
		}
		if !strings.HasPrefix(q.Header.Get("User-Agent"), "crawl/") {
			t.Errorf("request for %s has User-Agent %q", q.Path, q.Header.Get("User-Agent"))
		}
	}
}

func TestNofollow(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/meta", "/rel", "/header")
	s.handle("/meta", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<meta name="ROBOTS" content="noindex, NoFollow"><a href="/from-meta">x</a>`)
	})
	s.handle("/rel", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<a rel="external nofollow" href="/from-rel">x</a><a href="/followed">y</a>`)
	})
	s.handle("/header", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("X-Robots-Tag", "noarchive, nofollow")
		io.WriteString(w, `<a href="/from-header">x</a>`)
	})
	for _, p := range []string{"/from-meta", "/from-rel", "/followed", "/from-header"} {
		s.page(p, p)
	}
	r := run(t, "", args(s.URL)...)
	wantCode(t, r, 0)
	if r.has(s.URL+"/from-meta") || r.has(s.URL+"/from-rel") || r.has(s.URL+"/from-header") || !r.has(s.URL+"/followed") {
		t.Errorf("records %v", r.urls())
	}
	if links := r.byURL(t, s.URL+"/meta")["links"]; fmt.Sprint(links) != fmt.Sprint([]string{s.URL + "/from-meta"}) {
		t.Errorf("nofollow links are still listed: got %v", links)
	}
	r = run(t, "", args("--ignore-robots", s.URL)...)
	if !r.has(s.URL+"/from-meta") || !r.has(s.URL+"/from-rel") {
		t.Errorf("--ignore-robots did not follow nofollow links: %v", r.urls())
	}
}

// gate is a handler that holds every request until released, counting
// how many are held at once.
type gate struct {
	mu      sync.Mutex
	held    int
	maxHeld int
	arrived chan struct{}
	release chan struct{}
}

func newGate() *gate { return &gate{arrived: make(chan struct{}, 1000), release: make(chan struct{})} }

func (g *gate) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.held++
		g.maxHeld = max(g.maxHeld, g.held)
		g.mu.Unlock()
		g.arrived <- struct{}{}
		select {
		case <-g.release:
		case <-r.Context().Done():
		}
		g.mu.Lock()
		g.held--
		g.mu.Unlock()
		h(w, r)
	}
}

func TestPerHostInFlight(t *testing.T) {
	s := newServer(t)
	var links []string
	for i := range 12 {
		links = append(links, fmt.Sprintf("/p%d", i))
	}
	s.page("/", "root", links...)
	g := newGate()
	for _, l := range links {
		s.handle(l, g.wrap(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	}
	go func() {
		// Hold requests until 3 are waiting (or all have come), then let
		// one through: the crawler is kept at its per-host limit.
		arrived, released := 0, 0
		for released < len(links) {
			if arrived-released < 3 && arrived < len(links) {
				select {
				case <-g.arrived:
					arrived++
				case <-time.After(30 * time.Second):
					return
				}
				continue
			}
			g.release <- struct{}{}
			released++
		}
	}()
	r := run(t, "", args("-c", "16", "--per-host", "3", s.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 13 {
		t.Fatalf("%d records", len(r.records))
	}
	if m := s.rec.MaxInFlight(); m > 3 {
		t.Errorf("server saw %d requests in flight, --per-host 3", m)
	}
	if g.maxHeld != 3 {
		t.Errorf("server saw at most %d requests held at once; --per-host 3 should reach 3", g.maxHeld)
	}
}

func TestRateSpacing(t *testing.T) {
	s := newServer(t)
	var links []string
	for i := range 5 {
		links = append(links, fmt.Sprintf("/p%d", i))
		s.page(fmt.Sprintf("/p%d", i), "p")
	}
	s.page("/", "root", links...)
	r := run(t, "", "--progress", "never", "--rate", "10", "--per-host", "4", s.URL)
	wantCode(t, r, 0)
	reqs := s.rec.Requests()
	if len(reqs) != 7 { // robots.txt, root, 5 pages
		t.Fatalf("%d requests", len(reqs))
	}
	// Handouts are 100 ms apart; a request reaches the server a little
	// after its handout (a new connection, a busy machine), so a single gap
	// may shrink a little, but not the whole.
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].Start.Sub(reqs[i-1].Start); gap < 70*time.Millisecond {
			t.Errorf("requests %s and %s %v apart; --rate 10 wants 100ms", reqs[i-1].Path, reqs[i].Path, gap)
		}
	}
	if span := reqs[len(reqs)-1].Start.Sub(reqs[0].Start); span < 6*95*time.Millisecond {
		t.Errorf("7 requests in %v; --rate 10 needs 600ms", span)
	}
}

func TestCrawlDelay(t *testing.T) {
	s := newServer(t)
	s.robots("User-agent: *\nCrawl-delay: 0.4\n")
	s.page("/", "root", "/a", "/b")
	s.page("/a", "a")
	s.page("/b", "b")
	r := run(t, "", args("--per-host", "4", s.URL)...) // --rate 0: only Crawl-delay spaces them
	wantCode(t, r, 0)
	reqs := s.rec.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].Start.Sub(reqs[i-1].Start); gap < 350*time.Millisecond {
			t.Errorf("requests %s and %s %v apart; Crawl-delay 0.4", reqs[i-1].Path, reqs[i].Path, gap)
		}
	}
	if span := reqs[len(reqs)-1].Start.Sub(reqs[0].Start); span < 3*390*time.Millisecond {
		t.Errorf("4 requests in %v; Crawl-delay 0.4 needs 1.2s", span)
	}
}

func TestSlowHostDoesNotStallOthers(t *testing.T) {
	slow := newServer(t)
	g := newGate()
	t.Cleanup(func() { close(g.release) })
	slow.handle("/robots.txt", http.NotFound)
	slow.handle("/hang", g.wrap(func(w http.ResponseWriter, r *http.Request) {}))
	fast := newServer(t)
	var links []string
	for i := range 20 {
		links = append(links, fmt.Sprintf("/p%d", i))
		fast.page(fmt.Sprintf("/p%d", i), "p")
	}
	fast.page("/", "root", links...)
	// Two workers: the slow host may hold one at most (per-host 1).
	r := run(t, "", args("-c", "2", "--per-host", "1", "--timeout", "5s", "--retries", "0", slow.URL+"/hang", fast.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 22 {
		t.Fatalf("%d records, want 22", len(r.records))
	}
	var hangEnd, lastFast time.Time
	for _, q := range slow.rec.Requests() {
		if q.Path == "/hang" {
			hangEnd = q.End
		}
	}
	for _, q := range fast.rec.Requests() {
		lastFast = q.End
	}
	if !lastFast.Before(hangEnd) {
		t.Errorf("the fast host finished at %v, after the slow one at %v", lastFast, hangEnd)
	}
}
