package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecordFields(t *testing.T) {
	s := newServer(t)
	s.page("/", "  Home\n  page ", "/a", "/b#frag", "/a", "mailto:x@y", "javascript:void(0)", "  /c  ", "tel:123", "data:text/html,x")
	s.page("/a", "A")
	s.page("/b", "B")
	s.handle("/c", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, `<a href="/not-a-link">plain text is not parsed</a>`)
	})
	r := run(t, "", args(s.URL)...)
	wantCode(t, r, 0)
	if len(r.records) != 4 {
		t.Fatalf("%d records, want 4: %v", len(r.records), r.urls())
	}
	root := r.byURL(t, s.URL+"/")
	if _, ok := root["parent"]; ok {
		t.Errorf("seed has a parent: %v", root)
	}
	wantLinks := []any{s.URL + "/a", s.URL + "/b", s.URL + "/c"}
	if fmt.Sprint(root["links"]) != fmt.Sprint(wantLinks) {
		t.Errorf("links = %v, want %v", root["links"], wantLinks)
	}
	checks := map[string]any{
		"depth": 0.0, "status": 200.0, "content_type": "text/html; charset=utf-8",
		"title": "Home page", "attempts": 1.0,
	}
	for k, v := range checks {
		if root[k] != v {
			t.Errorf("%s = %#v, want %#v", k, root[k], v)
		}
	}
	if root["size"].(float64) < 100 {
		t.Errorf("size = %v", root["size"])
	}
	if _, err := time.Parse(time.RFC3339, root["fetched_at"].(string)); err != nil {
		t.Errorf("fetched_at %v: %v", root["fetched_at"], err)
	}
	if _, ok := root["duration_ms"].(float64); !ok {
		t.Errorf("duration_ms = %#v, want a number", root["duration_ms"])
	}
	for _, absent := range []string{"error", "truncated", "redirect"} {
		if _, ok := root[absent]; ok {
			t.Errorf("%s present: %v", absent, root[absent])
		}
	}
	a := r.byURL(t, s.URL+"/a")
	if a["parent"] != s.URL+"/" || a["depth"] != 1.0 || a["title"] != "A" {
		t.Errorf("record of /a = %v", a)
	}
	c := r.byURL(t, s.URL+"/c")
	if _, ok := c["links"]; ok {
		t.Errorf("text/plain record has links: %v", c)
	}
	if s.hits()["/not-a-link"] != 0 {
		t.Error("a link in a text/plain body was followed")
	}
	for p, n := range s.hits() {
		if n != 1 {
			t.Errorf("%s requested %d times", p, n)
		}
	}
	if !strings.Contains(r.stderr, "4 records") {
		t.Errorf("no summary on stderr: %q", r.stderr)
	}
}

func TestHTTPErrorIsARecordNotAnError(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/missing", "/broken")
	s.handle("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) })
	r := run(t, "", args(s.URL)...)
	wantCode(t, r, 0)
	for path, status := range map[string]float64{"/missing": 404, "/broken": 403} {
		rec := r.byURL(t, s.URL+path)
		if rec["status"] != status {
			t.Errorf("%s status = %v, want %v", path, rec["status"], status)
		}
		if _, ok := rec["error"]; ok {
			t.Errorf("%s has an error field: %v", path, rec["error"])
		}
		if s.hits()[path] != 1 {
			t.Errorf("%s requested %d times; 4xx is not retried", path, s.hits()[path])
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	s := newServer(t)
	url := s.URL
	s.Close()
	r := run(t, "", args("--retries", "0", url)...)
	wantCode(t, r, 0)
	rec := r.byURL(t, url+"/")
	if rec["status"] != 0.0 || rec["error"] != "connection refused" {
		t.Errorf("record = %v, want status 0 and error \"connection refused\"", rec)
	}
	if _, ok := rec["content_type"]; ok {
		t.Errorf("content_type present without a response: %v", rec)
	}
}

func TestTimeoutPerAttempt(t *testing.T) {
	s := newServer(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s.handle("/robots.txt", http.NotFound)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(200)
		io.WriteString(w, "<title>slow")
		w.(http.Flusher).Flush()
		select { // the body never ends: the timeout must cover it
		case <-r.Context().Done():
		case <-release:
		}
	})
	start := time.Now()
	r := run(t, "", args("--timeout", "300ms", "--retries", "1", s.URL)...)
	wantCode(t, r, 0)
	rec := r.byURL(t, s.URL+"/")
	if msg, _ := rec["error"].(string); !strings.Contains(msg, "timeout") {
		t.Errorf("error = %v, want one containing timeout", rec["error"])
	}
	if rec["attempts"] != 2.0 || s.hits()["/"] != 2 {
		t.Errorf("attempts = %v, server saw %d; want 2 each", rec["attempts"], s.hits()["/"])
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("crawl took %v", d)
	}
}

func TestOutputFile(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/a")
	s.page("/a", "a")
	out := filepath.Join(t.TempDir(), "out.jsonl")
	r := run(t, "", args("-o", out, s.URL)...)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("stdout not empty with -o: %q", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(parseLines(t, string(data))); got != 2 {
		t.Errorf("%d records in the file, want 2", got)
	}
}

func TestOutputNotWritable(t *testing.T) {
	s := newServer(t)
	s.page("/", "root")
	r := run(t, "", args("-o", filepath.Join(t.TempDir(), "no", "such", "dir", "out"), s.URL)...)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "output") {
		t.Errorf("stderr does not say what failed: %q", r.stderr)
	}
	if s.rec.Total() != 0 {
		t.Errorf("server saw %d requests; want none", s.rec.Total())
	}
}

func TestQuietHasNoSummary(t *testing.T) {
	s := newServer(t)
	s.page("/", "root")
	r := run(t, "", args("-q", s.URL)...)
	wantCode(t, r, 0)
	if r.stderr != "" {
		t.Errorf("stderr with -q: %q", r.stderr)
	}
	if len(r.records) != 1 {
		t.Errorf("%d records", len(r.records))
	}
}

func TestVersionAndHelp(t *testing.T) {
	r := run(t, "", "--version")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, version) {
		t.Errorf("--version printed %q", r.stdout)
	}
	r = run(t, "", "--help")
	wantCode(t, r, 0)
	for _, want := range []string{
		"--concurrency", "--per-host", "--rate", "--max-depth", "--max-pages", "--scope", "--include",
		"--exclude", "--timeout", "--retries", "--max-time", "--max-body", "--user-agent", "--ignore-robots",
		"--header", "--output", "--progress", "--quiet", "--verbose", "--seeds", "130", "143",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
}

func TestOutputFailsMidCrawl(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	s := newServer(t)
	s.page("/", "root", "/a")
	s.page("/a", "a")
	r := run(t, "", args("-o", "/dev/full", s.URL)...)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "no space left") {
		t.Errorf("stderr does not say why: %q", r.stderr)
	}
}

func TestProgressAndLogsStayOnStderr(t *testing.T) {
	s := newServer(t)
	s.page("/", "root", "/a", "/missing")
	s.page("/a", "a")
	r := run(t, "", "--rate", "0", "--progress", "always", "-v", s.URL)
	wantCode(t, r, 0)
	if len(r.records) != 3 || strings.Count(r.stdout, "\n") != 3 {
		t.Fatalf("stdout is not exactly the 3 records:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "crawling") || !strings.Contains(r.stderr, s.URL+"/missing") {
		t.Errorf("stderr lacks the progress bar or the verbose log:\n%s", r.stderr)
	}
}
