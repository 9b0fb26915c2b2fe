package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNormalizationAndDedup(t *testing.T) {
	s := newServer(t)
	host := strings.TrimPrefix(s.URL, "http://")
	s.page("/", "root",
		"/a", "/a#x", "./a", "/b/../a", "HTTP://"+strings.ToUpper(host)+"/a", "/%7Ea", "/~a", "/q?b=2&a=1", "/q?b=2&a=1#f",
		"/q?a=1&b=2", "/sp%2fx", "/sp%2Fx")
	for _, p := range []string{"/a", "/~a", "/q", "/sp%2Fx"} {
		s.page(p, p)
	}
	r := run(t, "", args(s.URL)...)
	wantCode(t, r, 0)
	root := r.byURL(t, s.URL+"/")
	want := []string{s.URL + "/a", s.URL + "/~a", s.URL + "/q?b=2&a=1", s.URL + "/q?a=1&b=2", s.URL + "/sp%2Fx"}
	if fmt.Sprint(root["links"]) != fmt.Sprint(want) {
		t.Errorf("links = %v\nwant    %v", root["links"], want)
	}
	for _, u := range want {
		r.byURL(t, u) // exactly one record each
	}
	for p, n := range s.hits() {
		if n != 1 {
			t.Errorf("%s requested %d times, want once", p, n)
		}
	}
	if len(r.records) != 6 {
		t.Errorf("%d records: %v", len(r.records), r.urls())
	}
}

func TestDepth(t *testing.T) {
	s := newServer(t)
	s.page("/", "d0", "/d1")
	s.page("/d1", "d1", "/d2")
	s.page("/d2", "d2", "/d3")
	s.page("/d3", "d3", "/d4")
	s.page("/d4", "d4")
	for _, tc := range []struct {
		depth string
		n     int
	}{{"0", 1}, {"2", 3}, {"-1", 5}} {
		t.Run(tc.depth, func(t *testing.T) {
			r := run(t, "", args("--max-depth", tc.depth, s.URL)...)
			wantCode(t, r, 0)
			if len(r.records) != tc.n {
				t.Fatalf("%d records, want %d: %v", len(r.records), tc.n, r.urls())
			}
			for i, rec := range r.records {
				_ = i
				u := rec["url"].(string)
				want := 0.0
				if u != s.URL+"/" {
					fmt.Sscanf(u[len(s.URL):], "/d%g", &want)
				}
				if rec["depth"] != want {
					t.Errorf("%s depth %v, want %v", u, rec["depth"], want)
				}
			}
			if tc.depth == "2" && !strings.Contains(r.stderr, "depth 1") {
				t.Errorf("summary does not count the link too deep: %s", r.stderr)
			}
		})
	}
}

func TestMaxPages(t *testing.T) {
	s := newServer(t)
	var links []string
	for i := range 50 {
		links = append(links, fmt.Sprintf("/p%d", i))
		s.page(fmt.Sprintf("/p%d", i), "p")
	}
	s.page("/", "root", links...)
	r := run(t, "", args("--max-pages", "5", "-c", "8", "--per-host", "8", s.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 5 {
		t.Errorf("%d records, want 5", len(r.records))
	}
	if n := s.pageHits(); n != 5 {
		t.Errorf("server saw %d page requests, want 5", n)
	}
}

func TestIncludeExclude(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/docs/a", "/docs/b.pdf", "/blog/x", "/docs/private/y")
	for _, p := range []string{"/docs/a", "/docs/b.pdf", "/blog/x", "/docs/private/y"} {
		s.page(p, p)
	}
	// The seed is fetched although it matches no include.
	r := run(t, "", args("--include", `/docs/`, "--include", `/nothing/`, "--exclude", `\.pdf$`, "--exclude", "private", s.URL)...)
	wantCode(t, r, 0)
	got := fmt.Sprint(sortedURLs(r)) // records come in the order pages finish
	if want := fmt.Sprint([]string{s.URL + "/", s.URL + "/docs/a"}); got != want {
		t.Errorf("records %s, want %s", got, want)
	}
	if !strings.Contains(r.stderr, "filters 3") {
		t.Errorf("summary does not count 3 filtered: %s", r.stderr)
	}
}

func TestScopeHost(t *testing.T) {
	other := newServer(t) // same hostname 127.0.0.1, other port: in host scope
	other.page("/", "other port")
	s := newServer(t)
	local := strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
	s.page("/", "root", other.URL+"/", local+"/by-name")
	s.page("/by-name", "by name")
	r := run(t, "", args(s.URL)...)
	wantCode(t, r, 0)
	if other.hits()["/robots.txt"] != 1 || s.hits()["/robots.txt"] != 1 {
		t.Errorf("robots.txt is kept per host and port: requested %d and %d times, want once each",
			other.hits()["/robots.txt"], s.hits()["/robots.txt"])
	}
	if !r.has(other.URL + "/") {
		t.Errorf("a link to the same hostname on another port was not followed: %v", r.urls())
	}
	if r.has(local + "/by-name") {
		t.Errorf("localhost followed from a 127.0.0.1 seed with --scope host")
	}
	if !strings.Contains(r.stderr, "scope 1") {
		t.Errorf("summary does not count the link out of scope: %s", r.stderr)
	}
	r = run(t, "", args("--scope", "any", s.URL)...)
	wantCode(t, r, 0)
	if !r.has(local + "/by-name") {
		t.Errorf("--scope any did not follow localhost: %v", r.urls())
	}
}

// TestScopeDomain serves several host names through an HTTP proxy on
// loopback, so the crawler can see real domain names without DNS.
func TestScopeDomain(t *testing.T) {
	s := newServer(t)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path != "/" {
			io.WriteString(w, html(r.Host+r.URL.Path))
			return
		}
		switch r.Host {
		case "www.example.com":
			io.WriteString(w, html("www", "http://blog.example.com/", "http://example.org/", "http://x.www.example.com/deep"))
		default:
			io.WriteString(w, html(r.Host))
		}
	})
	r := runEnv(t, []string{"HTTP_PROXY=" + s.URL, "NO_PROXY="}, "", args("--scope", "domain", "http://www.example.com/")...)
	wantCode(t, r, 0)
	got := fmt.Sprint(sortedURLs(r))
	want := fmt.Sprint([]string{"http://blog.example.com/", "http://www.example.com/", "http://x.www.example.com/deep"})
	if got != want {
		t.Errorf("records %s, want %s", got, want)
	}
	r = runEnv(t, []string{"HTTP_PROXY=" + s.URL, "NO_PROXY="}, "", args("--scope", "host", "http://www.example.com/")...)
	if got := fmt.Sprint(r.urls()); got != "[http://www.example.com/]" {
		t.Errorf("--scope host records %s", got)
	}
}

func TestRedirects(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/old", "/loop1", "/chain/0", "/away")
	s.handle("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	s.page("/new", "new")
	s.handle("/loop1", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	s.handle("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop1", http.StatusFound) })
	s.handle("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/chain/%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusTemporaryRedirect)
	})
	s.handle("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:1/elsewhere", http.StatusFound)
	})
	r := run(t, "", args("--max-depth", "1", s.URL)...)
	wantCode(t, r, 0)
	old := r.byURL(t, s.URL+"/old")
	if old["status"] != 301.0 || old["redirect"] != s.URL+"/new" {
		t.Errorf("redirect record = %v", old)
	}
	if _, ok := old["error"]; ok {
		t.Errorf("a redirect has an error: %v", old)
	}
	n := r.byURL(t, s.URL+"/new")
	if n["depth"] != 1.0 || n["parent"] != s.URL+"/old" {
		t.Errorf("redirect target depth %v parent %v; want depth 1 (same as the redirect), parent /old", n["depth"], n["parent"])
	}
	if s.hits()["/loop1"] != 1 || s.hits()["/loop2"] != 1 {
		t.Errorf("loop hits %v", s.hits())
	}
	chain := 0
	for p, c := range s.hits() {
		if strings.HasPrefix(p, "/chain/") {
			chain += c
		}
	}
	if chain != 11 {
		t.Errorf("redirect chain made %d requests, want 11 (10 hops)", chain)
	}
	last := r.byURL(t, s.URL+"/chain/10")
	if last["error"] != "too many redirects" {
		t.Errorf("last hop record = %v, want error too many redirects", last)
	}
	if r.has("http://localhost:1/elsewhere") {
		t.Error("a redirect out of scope was followed")
	}
}

func TestRetries(t *testing.T) {
	s := newServer(t)
	var flaky, limited int
	s.page("/", "root", "/flaky", "/limited", "/down", "/gone")
	s.handle("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky++; flaky < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok")
	})
	s.handle("/limited", func(w http.ResponseWriter, r *http.Request) {
		if limited++; limited < 2 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	})
	s.handle("/down", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusInternalServerError) })
	s.handle("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	r := run(t, "", args("-c", "4", "--per-host", "4", s.URL)...)
	wantCode(t, r, 0)
	for path, want := range map[string][2]float64{"/flaky": {200, 3}, "/limited": {200, 2}, "/down": {500, 3}, "/gone": {410, 1}} {
		rec := r.byURL(t, s.URL+path)
		if rec["status"] != want[0] || rec["attempts"] != want[1] {
			t.Errorf("%s: status %v attempts %v, want %v %v", path, rec["status"], rec["attempts"], want[0], want[1])
		}
		if s.hits()[path] != int(want[1]) {
			t.Errorf("%s: server saw %d requests, want %v", path, s.hits()[path], want[1])
		}
	}
	gaps := func(path string) []time.Duration {
		var starts []time.Time
		for _, q := range s.rec.Requests() {
			if q.Path == path {
				starts = append(starts, q.Start)
			}
		}
		var g []time.Duration
		for i := 1; i < len(starts); i++ {
			g = append(g, starts[i].Sub(starts[i-1]))
		}
		return g
	}
	if g := gaps("/flaky"); len(g) != 2 || g[0] < 450*time.Millisecond || g[1] < 900*time.Millisecond {
		t.Errorf("/flaky retries spaced %v; want backoff of about 500ms then 1s", g)
	}
	if g := gaps("/limited"); len(g) != 1 || g[0] < 950*time.Millisecond {
		t.Errorf("/limited retry after %v; want Retry-After 1s honoured", g)
	}
}

func TestBodyLimitAndGzipBomb(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/big", "/bomb")
	s.handle("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<title>big</title>"+strings.Repeat("x", 10000))
	})
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 32 { // 32 MiB of zeros, about 32 KiB compressed
		zw.Write(zero)
	}
	zw.Close()
	s.handle("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	r := run(t, "", args("--max-body", "2KB", s.URL)...)
	wantCode(t, r, 0)
	big := r.byURL(t, s.URL+"/big")
	if big["size"] != 2000.0 || big["truncated"] != true || big["title"] != "big" {
		t.Errorf("big = %v; want size 2000, truncated, title", big)
	}
	root := r.byURL(t, s.URL+"/")
	if _, ok := root["truncated"]; ok {
		t.Errorf("small page marked truncated")
	}
	r = run(t, "", args("--max-body", "1MiB", s.URL+"/bomb")...)
	wantCode(t, r, 0)
	b := r.byURL(t, s.URL+"/bomb")
	if b["size"] != float64(1<<20) || b["truncated"] != true {
		t.Errorf("bomb = %v; want size 1048576 (after decompression), truncated", b)
	}
}

func TestLinkSources(t *testing.T) {
	s := newServer(t)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><head>
<base href="/base/">
<meta http-equiv="refresh" content="0; url=refresh">
<link rel="next" href="next"><link rel="stylesheet" href="style.css"><link rel="alternate" href="alt">
</head><body>
<a href="a">a</a><map><area href="area"></map><iframe src="iframe"></iframe>
<frameset><frame src="frame"></frameset>
<img src="img.png"><a href="`+"/"+strings.Repeat("x", 2100)+`">too long</a>
<a href="  spaced  ">x</a><a href="a">dup</a><a>no href</a><a href="http://B&#xFC;cher.example/x">idn</a>
<a href="sp ace">s</a><a href="t	ab">t</a><a href="ftp://x/">ftp</a>
`)
	})
	r := run(t, "", args("--max-depth", "0", s.URL)...)
	wantCode(t, r, 0)
	rec := r.byURL(t, s.URL+"/")
	b := s.URL + "/base/"
	want := []string{b + "refresh", b + "next", b + "alt", b + "a", b + "area", b + "iframe", b + "frame", b + "spaced",
		"http://xn--bcher-kva.example/x", b + "sp%20ace", b + "tab"}
	if fmt.Sprint(rec["links"]) != fmt.Sprint(want) {
		t.Errorf("links = %v\nwant    %v", rec["links"], want)
	}
}

func TestCharsetTitle(t *testing.T) {
	s := newServer(t)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write([]byte("<title>Caf\xe9 &amp; cr\xe8me</title>"))
	})
	s.handle("/meta", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<meta charset=\"iso-8859-1\"><title>na\xefve</title>"))
	})
	r := run(t, "", args(s.URL, s.URL+"/meta")...)
	wantCode(t, r, 0)
	if got := r.byURL(t, s.URL+"/")["title"]; got != "Café & crème" {
		t.Errorf("title %q", got)
	}
	if got := r.byURL(t, s.URL+"/meta")["title"]; got != "naïve" {
		t.Errorf("title %q", got)
	}
}

func sortedURLs(r *result) []string {
	us := r.urls()
	for i := range us {
		for j := i + 1; j < len(us); j++ {
			if us[j] < us[i] {
				us[i], us[j] = us[j], us[i]
			}
		}
	}
	return us
}
